"""Writes of core data: people (cán bộ, công chức, viên chức) and the plan life cycle.

Blocks of this file belong to different areas; keep each in its own section.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from training_plan.locking import key_for, lock
from training_plan.models import Organisation, Person, PersonTransfer, Plan
from training_plan.rules import check_perm
from training_plan.text import clean_text, name_case, normalise_search

# The person fields users edit, in form order (the form and the services share this list).
PERSON_FIELDS = [
    "full_name",
    "date_of_birth",
    "gender",
    "organisation",
    "position",
    "manager_level",
    "category",
    "rank",
    "theory_level",
    "professional_level",
    "foreign_language_level",
    "planned_positions",
    "service_start_date",
    "identity_number",
]


def _check_fields(data):
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields: {sorted(unknown)}")


def _apply(person, data):
    _check_fields(data)
    for name, value in data.items():
        setattr(person, name, value)


class DuplicatePerson(ValidationError):
    """The person already has a record (`existing`): create nothing, offer a transfer."""

    def __init__(self, message, existing):
        super().__init__(message)
        self.existing = existing


def find_existing(*, full_name, date_of_birth, identity_number="", exclude_pk=None):
    """The record of the same person anywhere in the province: the same identity number, or the
    same name without diacritics and the same date of birth."""
    others = Person.objects.exclude(pk=exclude_pk).select_related("organisation")
    if identity_number:
        same = others.filter(identity_number=identity_number).first()
        if same is not None:
            return same
    if not full_name or date_of_birth is None:
        return None
    return (
        others.filter(
            search_name=normalise_search(clean_text(full_name)), date_of_birth=date_of_birth
        )
        .order_by("pk")
        .first()
    )


def _refuse_duplicate(person):
    """One person, one record: the same identity number, or the same name and date of birth,
    anywhere in the province is the person already recorded (a double click, a second clerk, a
    person who moved). Called inside the unit's lock, so two identical requests cannot both
    pass."""
    same = find_existing(
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        identity_number=person.identity_number,
        exclude_pk=person.pk,
    )
    if same is not None:
        raise DuplicatePerson(
            f"{same.full_name} (sinh {same.date_of_birth:%d/%m/%Y}) đã có hồ sơ tại "
            f"{same.organisation}: không tạo thêm hồ sơ thứ hai.",
            same,
        )


def _save_unique(person, actor):
    """Check and save a person as the only record of that person (see `_refuse_duplicate`)."""
    if person.organisation_id:
        lock(key_for(person.organisation))
    _refuse_duplicate(person)
    person.full_clean()
    person._history_user = actor
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:
        # The same identity number saved meanwhile for a person of another unit.
        raise ValidationError(
            "Số định danh cá nhân này vừa được lưu cho một hồ sơ khác: "
            "không tạo thêm hồ sơ thứ hai."
        ) from error


@transaction.atomic
def person_create(*, actor, data: dict) -> Person:
    """Create a person. A unit user's people always belong to that unit, whatever `data` says."""
    check_perm(actor, "training_plan.add_person")
    person = Person()
    _apply(person, data)
    if not actor.has_perm("training_plan.change_person_unit"):
        person.organisation = actor.organisation
    _save_unique(person, actor)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> list[str]:
    """Change a person; returns the names of the fields that changed (nothing saved if none).

    A unit user may change only its own people and cannot move them to another unit.
    """
    check_perm(actor, "training_plan.change_person")
    if not actor.has_perm("training_plan.change_person", person):
        raise PermissionDenied("Cán bộ này không thuộc đơn vị của bạn.")
    _check_fields(data)
    if not actor.has_perm("training_plan.change_person_unit"):
        data = {k: v for k, v in data.items() if k != "organisation"}
    changed = [name for name, value in data.items() if getattr(person, name) != value]
    if not changed:
        return []
    _apply(person, {name: data[name] for name in changed})
    _save_unique(person, actor)
    return changed


# --- Transfers of a person's record between units ------------------------------------------


@transaction.atomic
def person_transfer_request(*, actor, data: dict) -> PersonTransfer:
    """Ask for the record of a person who already exists (found from what the create form was
    given) to move to the actor's unit (BTC, SNV: to the unit chosen in the form)."""
    check_perm(actor, "training_plan.request_transfer")
    existing = find_existing(
        full_name=name_case(data.get("full_name") or ""),
        date_of_birth=data.get("date_of_birth"),
        identity_number=data.get("identity_number") or "",
    )
    if existing is None:
        raise ValidationError("Không tìm thấy hồ sơ nào trùng để đề nghị chuyển.")
    to_unit = data.get("organisation")
    if not actor.has_perm("training_plan.change_person_unit"):
        to_unit = actor.organisation
    if not isinstance(to_unit, Organisation):
        raise ValidationError("Chọn đơn vị nhận hồ sơ.")
    if existing.organisation_id == to_unit.pk:
        raise ValidationError(f"{existing.full_name} đã thuộc {to_unit}.")
    if PersonTransfer.objects.filter(
        person=existing, to_unit=to_unit, status=PersonTransfer.Status.PENDING
    ).exists():
        raise ValidationError("Đã có đề nghị chuyển hồ sơ này đang chờ xử lý.")
    transfer = PersonTransfer(
        person=existing,
        from_unit=existing.organisation,
        to_unit=to_unit,
        requested_by=actor,
    )
    transfer._history_user = actor
    transfer.save()
    return transfer


@transaction.atomic
def person_transfer_decide(*, actor, transfer: PersonTransfer, accept: bool) -> PersonTransfer:
    """The holding unit (or BTC, SNV) accepts — the person moves to the new unit with all their
    history (nominations, classes, commitments stay theirs) — or declines."""
    check_perm(actor, "training_plan.decide_transfer", transfer)
    transfer = PersonTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != PersonTransfer.Status.PENDING:
        raise ValidationError("Đề nghị này đã được xử lý.")
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    if accept and person.organisation_id != transfer.from_unit_id:
        raise ValidationError("Hồ sơ đã chuyển sang đơn vị khác từ khi có đề nghị này.")
    transfer.status = PersonTransfer.Status.ACCEPTED if accept else PersonTransfer.Status.DECLINED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer._history_user = actor
    transfer.save()
    if accept:
        person.organisation = transfer.to_unit
        person._history_user = actor
        person.save(update_fields=["organisation", "updated_at"])
    return transfer


# ---------------------------------------------------------------------------------------------
# Plan life cycle (budget area): issuing a plan, the read-only structure of an issued plan,
# copying a plan into the next year.
# ---------------------------------------------------------------------------------------------

STRUCTURE_LOCKED_MESSAGE = (
    "Kế hoạch năm {year} đã ban hành: cấu trúc kế hoạch (nội dung, mục, chương trình, khóa, "
    "chỉ tiêu, khối kinh phí, định mức) chỉ còn để xem."
)


def ensure_structure_editable(plan: Plan):
    """Refuse a change to the structure of an issued (or closed) plan.

    Structure: plan texts, sections, programs, courses, quota lines, eligibility rules, budget
    blocks, cost norms, recipients, responsibilities. Nominations, classes, budget lines of
    classes and results go on after issuing."""
    if not plan.is_structure_editable:
        raise ValidationError(STRUCTURE_LOCKED_MESSAGE.format(year=plan.year))


# ---------------------------------------------------------------------------------------------
# End of the plan life-cycle block.
# ---------------------------------------------------------------------------------------------
