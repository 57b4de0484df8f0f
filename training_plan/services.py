"""Writes of core data: people (cán bộ, công chức, viên chức) and the plan life cycle.

Blocks of this file belong to different areas; keep each in its own section.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from training_plan.locking import key_for, lock
from training_plan.models import Person, Plan
from training_plan.rules import check_perm
from training_plan.text import clean_text, normalise_search

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


def _refuse_duplicate(person):
    """One person, one record: the same identity number anywhere, or the same name and date of
    birth in the same unit, is the person already recorded (a double click, a second clerk).
    Called inside the unit's lock, so two identical requests cannot both pass."""
    others = Person.objects.exclude(pk=person.pk).select_related("organisation")
    same = None
    if person.identity_number:
        same = others.filter(identity_number=person.identity_number).first()
    if same is None and person.organisation_id:
        same = others.filter(
            organisation_id=person.organisation_id,
            search_name=normalise_search(clean_text(person.full_name)),
            date_of_birth=person.date_of_birth,
        ).first()
    if same is not None:
        raise ValidationError(
            f"{same.full_name} (sinh {same.date_of_birth:%d/%m/%Y}) đã có hồ sơ tại "
            f"{same.organisation}: không tạo thêm hồ sơ thứ hai."
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
