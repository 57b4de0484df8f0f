"""Recording versions of a plan, and the draft of a year built from its needs round."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from needs.draft import apply_needs
from reports import documents
from reports.lifecycle import plan_copy_to_year
from training_plan.models import Plan
from training_plan.rules import check_perm
from versions import snapshot
from versions.models import PlanVersion

Step = PlanVersion.Step


@transaction.atomic
def record_version(*, plan, step, actor=None, note=""):
    """Keep the plan as it stands now: its content and its PDF with the PDF's SHA-256. The
    version number follows the plan's last one; an amendment gets its own document number."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    last = PlanVersion.objects.filter(plan=plan).aggregate(
        number=Max("number"), amendment=Max("amendment_number")
    )
    pdf = documents.plan_pdf(plan.year)
    return PlanVersion.objects.create(
        plan=plan,
        number=(last["number"] or 0) + 1,
        step=step,
        note=(note or "").strip()[:500],
        created_by=actor,
        content=snapshot.take(plan),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        amendment_number=(last["amendment"] or 0) + 1 if step == Step.AMENDED else None,
    )


# Which steps BTC records by hand, by the plan's status.
MANUAL_STEPS = {
    Plan.Status.DRAFT: (Step.SAVED, Step.SUBMITTED),
    Plan.Status.ISSUED: (Step.SAVED, Step.AMENDED),
    Plan.Status.CLOSED: (Step.SAVED,),
}


def save_version(*, plan, actor, step=Step.SAVED, note=""):
    check_perm(actor, "versions.save_version", plan)
    if step not in MANUAL_STEPS.get(plan.status, ()):
        raise ValidationError(
            f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”: không lưu được phiên bản "
            f"“{Step(step).label}”."
        )
    if step == Step.AMENDED and not (note or "").strip():
        raise ValidationError("Cần ghi nội dung điều chỉnh, bổ sung.")
    return record_version(plan=plan, step=step, actor=actor, note=note)


@transaction.atomic
def build_draft(*, year, actor):
    """“Lập dự thảo kế hoạch năm Y”: the copy of the latest plan into Y (made now unless it
    exists as a draft), its figures and proposals from the accepted needs, then a version
    “Dự thảo” of what came out. Returns (plan, build, version)."""
    check_perm(actor, "needs.build_draft")
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        source = Plan.objects.filter(year__lt=year).order_by("-year").first()
        if source is None:
            raise ValidationError(f"Chưa có kế hoạch nào trước năm {year} để sao chép.")
        plan = plan_copy_to_year(plan=source, actor=actor, year=year)
    build = apply_needs(plan=plan, actor=actor)
    version = record_version(
        plan=plan, step=Step.DRAFT, actor=actor, note="Lập từ nhu cầu đăng ký đã tiếp nhận"
    )
    return plan, build, version
