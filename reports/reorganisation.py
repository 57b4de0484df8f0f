"""Applying a reorganisation: what belongs to the units that ended moves to their successors in
the plans after the date; everything of the plans before it stays (the 2021 plan still reads
“Huyện ủy Bình Sơn”).

The event itself (its units, date and act) is core data (`training_plan.models`); moving
people, nominations, allocations and needs registers needs the apps above it, hence here.
`reorganisation_preview` says who and what moves and what stays; `reorganisation_apply` does
exactly that, all or nothing, once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inbox.models import Notice
from inbox.services import notify
from needs.models import UnitNeeds
from quotas.models import Allocation, Nomination
from training_plan.models import Organisation, Person, ReorganisationEvent, User  # noqa: F401
from training_plan.rules import accounts_of_units, check_perm
from training_plan.text import normalise_search

S = Nomination.Status
# Nominations still in progress: they follow the person (finished ones are the past).
OPEN = (S.DRAFT, S.RESERVE, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.APPROVED, S.ENROLLED)


@dataclass
class Preview:
    event: ReorganisationEvent
    first_year: int  # the first plan year wholly after the date
    main: Organisation | None
    successors: list
    rule: str  # how people are assigned, in words
    people: list = field(default_factory=list)  # (person, successor)
    unplaced: list = field(default_factory=list)  # people for a person to place
    nominations: list = field(default_factory=list)  # (nomination, successor)
    nominations_unplaced: list = field(default_factory=list)
    allocations: list = field(default_factory=list)  # (allocation, successor)
    registers: list = field(default_factory=list)  # (register, successor)
    registers_kept: list = field(default_factory=list)  # the successor has one already
    accounts: list = field(default_factory=list)  # (user, successor)
    stays: dict = field(default_factory=dict)  # label -> count of the past that keeps its unit

    @property
    def moves_anything(self):
        return bool(self.people or self.nominations or self.allocations or self.registers)


def first_plan_year(day: datetime.date) -> int:
    """Plans after the date: those whose year begins on or after it (01/07/2025 → 2026)."""
    return day.year if (day.month, day.day) == (1, 1) else day.year + 1


def _person_successor(person, links, main):
    """The rule the preview shows: a single successor takes everyone; of several, the first
    whose words occur in the person's position or workplace; otherwise nobody (to be placed)."""
    if len(links) == 1:
        return links[0].organisation
    text = normalise_search(person.position or "")
    for link in links:
        if any(word in text for word in link.words):
            return link.organisation
    return None


def _rule_text(event, links, main):
    if not links:
        return (
            "Không có đơn vị kế thừa: cán bộ, hồ sơ và phân bổ của các năm sau được liệt kê "
            "để Ban Tổ chức Tỉnh ủy xếp."
        )
    if len(links) == 1:
        return f"Toàn bộ cán bộ chuyển về {links[0].organisation.name}."
    parts = [
        f"chức vụ chứa “{link.match_words}” → {link.organisation.name}"
        for link in links
        if link.match_words
    ]
    tail = (
        f" Phân bổ chỉ tiêu, đăng ký nhu cầu và tài khoản chuyển về {main.name} (kế thừa chính)."
        if main
        else " Chưa chọn đơn vị kế thừa chính: phân bổ và đăng ký nhu cầu giữ nguyên."
    )
    return (
        "Theo địa bàn ghi trong chức vụ, nơi công tác: "
        + ("; ".join(parts) or "chưa có quy tắc")
        + ". Cán bộ không khớp quy tắc nào được liệt kê để xếp."
        + tail
    )


def reorganisation_preview(event: ReorganisationEvent) -> Preview:
    """Who and what moves if the event is applied now, and what stays. A fixed number of
    queries whatever the number of people."""
    preds = [org.pk for org in event.predecessors.all()]
    links = list(event.successor_links.all())
    main = next((link.organisation for link in links if link.is_main), None)
    if main is None and len(links) == 1:
        main = links[0].organisation
    first_year = first_plan_year(event.effective_date)
    preview = Preview(
        event=event,
        first_year=first_year,
        main=main,
        successors=[link.organisation for link in links],
        rule=_rule_text(event, links, main),
    )
    placed = {}
    for person in (
        Person.objects.filter(organisation_id__in=preds)
        .select_related("organisation")
        .order_by("sort_key", "id")
    ):
        successor = _person_successor(person, links, main)
        placed[person.pk] = successor
        if successor is None:
            preview.unplaced.append(person)
        else:
            preview.people.append((person, successor))
    after = {"course__program__section__plan__year__gte": first_year}
    for nomination in (
        Nomination.objects.filter(unit_id__in=preds, status__in=OPEN, **after)
        .select_related("person", "course", "course__program__section__plan")
        .order_by("person__sort_key", "id")
    ):
        successor = placed.get(nomination.person_id) or main
        if successor is None:
            preview.nominations_unplaced.append(nomination)
        else:
            preview.nominations.append((nomination, successor))
    if main is not None:
        preview.allocations = [
            (allocation, main)
            for allocation in Allocation.objects.filter(
                unit_id__in=preds, quota_line__course__program__section__plan__year__gte=first_year
            ).select_related("quota_line__course__program__section__plan", "unit")
        ]
        taken = set(
            UnitNeeds.objects.filter(unit=main, round__year__gte=first_year).values_list(
                "round_id", flat=True
            )
        )
        for register in UnitNeeds.objects.filter(
            unit_id__in=preds, round__year__gte=first_year
        ).select_related("round", "unit"):
            if register.round_id in taken:
                preview.registers_kept.append(register)
            else:
                taken.add(register.round_id)
                preview.registers.append((register, main))
        if event.move_accounts:
            preview.accounts = [
                (user, main)
                for user in User.objects.filter(organisation_id__in=preds).order_by("username")
            ]
    before = {"course__program__section__plan__year__lt": first_year}
    preview.stays = {
        "hồ sơ cử đi học của các kế hoạch trước ngày hiệu lực": Nomination.objects.filter(
            unit_id__in=preds, **before
        ).count(),
        "hồ sơ đã kết thúc (hoàn thành, không hoàn thành, rút, không chấp thuận)": (
            Nomination.objects.filter(unit_id__in=preds, **after).exclude(status__in=OPEN).count()
        ),
        "phân bổ chỉ tiêu của các kế hoạch trước ngày hiệu lực": Allocation.objects.filter(
            unit_id__in=preds, quota_line__course__program__section__plan__year__lt=first_year
        ).count(),
        "đăng ký nhu cầu của các năm trước": UnitNeeds.objects.filter(
            unit_id__in=preds, round__year__lt=first_year
        ).count(),
    }
    return preview


def _move_allocation(allocation, successor):
    """The successor's allocation on the line grows by the moved seats (merge), or the row
    changes hands."""
    existing = (
        Allocation.objects.select_for_update()
        .filter(quota_line_id=allocation.quota_line_id, unit=successor)
        .first()
    )
    if existing is None:
        allocation.unit = successor
        allocation.save(update_fields=["unit", "updated_at"])
        return
    existing.count += allocation.count
    existing.save(update_fields=["count", "updated_at"])
    allocation.delete()


def reorganisation_apply(*, event: ReorganisationEvent, actor) -> Preview:
    """Apply the event once: the predecessors end the day before, the successors begin on the
    day, and what the preview lists moves; all or nothing. Raises ValidationError (Vietnamese)
    when it cannot."""
    check_perm(actor, "reports.apply_reorganisation", event)
    with transaction.atomic():
        locked = ReorganisationEvent.objects.select_for_update().get(pk=event.pk)
        if locked.applied_at is not None:
            raise ValidationError(
                f"Sự kiện này đã được áp dụng lúc "
                f"{timezone.localtime(locked.applied_at):%H:%M %d/%m/%Y}; không áp dụng lại."
            )
        preds = list(locked.predecessors.select_for_update().all())
        if not preds:
            raise ValidationError("Sự kiện chưa có đơn vị trước sắp xếp.")
        successors = {link.organisation_id for link in locked.successor_links.all()}
        if successors & {org.pk for org in preds}:
            raise ValidationError("Một đơn vị không thể vừa kết thúc vừa kế thừa chính nó.")
        # Row locks on what moves, so no allocation or nomination changes under the move.
        list(Allocation.objects.select_for_update().filter(unit__in=preds))
        list(Nomination.objects.select_for_update().filter(unit__in=preds, status__in=OPEN))
        preview = reorganisation_preview(locked)
        for person, successor in preview.people:
            person.organisation = successor
            person._change_reason = f"Sắp xếp tổ chức: {locked.title}"
            person.save()
        for nomination, successor in preview.nominations:
            nomination.unit = successor
            nomination._change_reason = f"Sắp xếp tổ chức: {locked.title}"
            nomination.save(update_fields=["unit", "updated_at"])
        for allocation, successor in preview.allocations:
            _move_allocation(allocation, successor)
        for register, successor in preview.registers:
            register.unit = successor
            register.save(update_fields=["unit"])
        for user, successor in preview.accounts:
            user.organisation = successor
            user.save(update_fields=["organisation"])
        day_before = locked.day_before
        for org in preds:
            if org.valid_to is None or org.valid_to > day_before:
                if org.valid_from and org.valid_from > day_before:
                    raise ValidationError(
                        f"{org.name} bắt đầu hoạt động từ {org.valid_from:%d/%m/%Y}, sau ngày "
                        f"{day_before:%d/%m/%Y}: không thể kết thúc trước khi bắt đầu."
                    )
                org.valid_to = day_before
                org.save()
        locked.applied_at = timezone.now()
        locked.applied_by = actor
        locked.applied_summary = {
            "people": len(preview.people),
            "unplaced": len(preview.unplaced),
            "nominations": len(preview.nominations),
            "allocations": len(preview.allocations),
            "registers": len(preview.registers),
            "accounts": len(preview.accounts),
        }
        locked.save()
        concerned = {org.pk for org in preds} | successors
        by_unit = defaultdict(int)
        for _, successor in preview.people:
            by_unit[successor.pk] += 1
        notify(
            accounts_of_units(concerned),
            kind=Notice.Kind.REORGANISED,
            title=f"Sắp xếp tổ chức từ ngày {locked.effective_date:%d/%m/%Y}: {locked.title}",
            detail=(
                f"{len(preview.people)} cán bộ, {len(preview.nominations)} hồ sơ cử đi học, "
                f"{len(preview.allocations)} phân bổ chỉ tiêu chuyển sang đơn vị kế thừa; "
                f"{len(preview.unplaced)} cán bộ chờ xếp đơn vị."
            ),
            url=locked.get_absolute_url(),
            subject=f"reorganisation:{locked.pk}",
        )
    event.refresh_from_db()
    return preview
