"""The draft plan of a year from the accepted needs.

The draft itself is the copy of the latest plan into the year (`reports.lifecycle.
plan_copy_to_year`, called by the page that builds it); `apply_needs` then proposes its figures
from the accepted registers — each course with accepted needs gets their total, its capped quota
lines share it in last year's proportions, its program the sum of its courses — and puts the named
people of the accepted registers on the draft as proposals. Everything stays editable on the
draft; a build can be run again while the plan is a draft (it recomputes from last year's figures
and the needs, so it gives the same result twice). Once the plan is issued, the proposals become
draft nominations of their units (`proposals_to_nominations`)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from courses.models import Course, Program
from needs.models import DraftBuild, DraftProposal, NeedsCount, NeedsPerson, UnitNeeds
from quotas.models import Nomination, QuotaLine
from quotas.services import eligibility_check, nomination_set_status
from training_plan.models import Plan
from training_plan.rules import check_perm


def course_key(course):
    """(section, program, course) positions: how a course is found again in the next plan."""
    return (course.program.section.position, course.program.position, course.position)


def share(total, weights):
    """`total` split in proportion to `weights` (largest remainders), summing exactly to it."""
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def accepted_needs(year):
    """{course id of the source plan: total of accepted needs} for the rounds of `year`."""
    accepted = UnitNeeds.objects.filter(round__year=year, status=UnitNeeds.Status.ACCEPTED)
    totals = defaultdict(int)
    for row in (
        NeedsCount.objects.filter(register__in=accepted)
        .values("course_id")
        .annotate(total=Sum("count"))
    ):
        totals[row["course_id"]] += row["total"]
    for row in (
        NeedsPerson.objects.filter(register__in=accepted)
        .values("course_id")
        .annotate(total=Count("id"))
    ):
        totals[row["course_id"]] += row["total"]
    return totals


def _courses(plan):
    return {
        course_key(course): course
        for course in Course.objects.filter(program__section__plan=plan)
        .select_related("program__section")
        .prefetch_related("quota_lines")
    }


@transaction.atomic
def apply_needs(*, plan: Plan, actor) -> DraftBuild:
    """Figures and proposals of the draft `plan` from the accepted needs of its year."""
    from needs.models import NeedsRound

    check_perm(actor, "needs.build_draft")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(
            f"Kế hoạch năm {plan.year} đã ban hành: không lập lại dự thảo từ nhu cầu."
        )
    rounds = list(NeedsRound.objects.filter(year=plan.year).select_related("source_plan"))
    if not rounds:
        raise ValidationError(f"Chưa có đợt đăng ký nhu cầu năm {plan.year}.")
    totals = accepted_needs(plan.year)
    new_courses = _courses(plan)
    figures = []
    touched_programs = set()
    for round_ in rounds:
        for source in (
            round_.courses.select_related("program__section")
            .prefetch_related("quota_lines")
            .order_by("program__section__position", "program__position", "position")
        ):
            target = new_courses.get(course_key(source))
            if target is None:
                continue
            needs = totals.get(source.pk, 0)
            before = source.quantity
            row = {
                "code": target.code,
                "name": target.name,
                "block": round_.block,
                "before": before,
                "needs": needs,
                "after": target.quantity,
            }
            if needs and before is not None:
                target.quantity = needs
                target.save(update_fields=["quantity"])
                old_lines = {line.position: line for line in source.quota_lines.all()}
                lines = [line for line in target.quota_lines.all() if line.is_capped]
                weights = [
                    (old_lines[line.position].planned_count or 0)
                    if line.position in old_lines
                    else 0
                    for line in lines
                ]
                for line, count in zip(lines, share(needs, weights), strict=True):
                    if line.planned_count != count:
                        line.planned_count = count
                        line.save(update_fields=["planned_count"])
                row["after"] = needs
                touched_programs.add(target.program_id)
            elif before is not None:
                # No accepted need yet: last year's figure stays, as copied.
                target.quantity = before
                target.save(update_fields=["quantity"])
                for line in target.quota_lines.all():
                    old = source.quota_lines.all()
                    match = next((o for o in old if o.position == line.position), None)
                    if match is not None and line.planned_count != match.planned_count:
                        line.planned_count = match.planned_count
                        line.save(update_fields=["planned_count"])
                row["after"] = before
            figures.append(row)
    for program in Program.objects.filter(pk__in=touched_programs, quantity__isnull=False):
        quantities = list(program.courses.values_list("quantity", flat=True))
        if quantities and all(q is not None for q in quantities):
            program.quantity = sum(quantities)
            program.save(update_fields=["quantity"])
    _refresh_proposals(plan, new_courses)
    return DraftBuild.objects.create(plan=plan, built_by=actor, figures=figures)


def _refresh_proposals(plan, new_courses):
    """The named people of accepted registers as proposals on the draft; proposals already
    turned into nominations stay."""
    DraftProposal.objects.filter(plan=plan, nomination__isnull=True).delete()
    kept = set(DraftProposal.objects.filter(plan=plan).values_list("course_id", "person_id"))
    people = NeedsPerson.objects.filter(
        register__round__year=plan.year, register__status=UnitNeeds.Status.ACCEPTED
    ).select_related("course__program__section", "register")
    proposals = []
    for entry in people:
        target = new_courses.get(course_key(entry.course))
        if target is None or (target.pk, entry.person_id) in kept:
            continue
        kept.add((target.pk, entry.person_id))
        proposals.append(
            DraftProposal(
                plan=plan,
                course=target,
                person_id=entry.person_id,
                unit_id=entry.register.unit_id,
                major=entry.major,
                institution=entry.institution,
                source=entry,
            )
        )
    DraftProposal.objects.bulk_create(proposals)


def proposals_to_nominations(*, plan: Plan, actor):
    """The issue step's hook: each waiting proposal of the plan becomes a draft nomination of
    its unit (its quota line when the course has only one); a proposal that cannot (the person
    moved to another unit, already has a live nomination) keeps the reason. Returns the count."""
    made = 0
    proposals = DraftProposal.objects.filter(plan=plan, nomination__isnull=True).select_related(
        "person", "course__program__section__plan"
    )
    single_lines = {}
    for line in QuotaLine.objects.filter(course__program__section__plan=plan):
        single_lines.setdefault(line.course_id, []).append(line)
    for proposal in proposals:
        person, course = proposal.person, proposal.course
        refusal = ""
        if person.organisation_id != proposal.unit_id:
            refusal = "Cán bộ đã chuyển sang đơn vị khác."
        elif (
            Nomination.objects.filter(person=person, course=course)
            .exclude(status__in=Nomination.CLOSED)
            .exists()
        ):
            refusal = "Cán bộ đã có hồ sơ cử đi học khóa này."
        if refusal:
            proposal.refusal = refusal
            proposal.save(update_fields=["refusal"])
            continue
        lines = single_lines.get(course.pk, [])
        note_parts = [f"Từ đăng ký nhu cầu năm {plan.year}"]
        if proposal.major:
            note_parts.append(f"chuyên ngành: {proposal.major}")
        if proposal.institution:
            note_parts.append(f"cơ sở đào tạo: {proposal.institution}")
        nomination = Nomination(
            person=person,
            course=course,
            quota_line=lines[0] if len(lines) == 1 else None,
            unit_id=proposal.unit_id,
            note="; ".join(note_parts) + ".",
            created_by=actor,
        )
        nomination.eligibility_store(eligibility_check(nomination))
        with transaction.atomic():
            nomination_set_status(
                nomination=nomination,
                to_status=Nomination.Status.DRAFT,
                actor=actor,
                reason=f"Lập từ cán bộ đề xuất của đăng ký nhu cầu năm {plan.year}",
            )
            proposal.nomination = nomination
            proposal.refusal = ""
            proposal.save(update_fields=["nomination", "refusal"])
        made += 1
    return made
