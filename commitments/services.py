"""Writes of commitments and repayment: the rule in force, the formula, the records.

The formula (NĐ 101/2017/NĐ-CP Điều 8, taken over by NĐ 171/2025/NĐ-CP): a person who drops out
or quits during training, is dismissed by discipline, or is not awarded the degree repays 100 %
of F; a person who leaves before serving T1 months repays S = F / T1 × (T1 − T2). F is what the
sending body paid for that one person (tuition and course costs, never salary or allowances).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from budget.selectors import class_estimate_expression
from commitments.models import (
    MAX_COST,
    Commitment,
    CommitmentRule,
    Interruption,
    Payment,
    RepaymentCase,
    RepaymentKind,
    Share,
)
from courses.models import TrainingClass
from quotas.models import MAX_MONTHS, Nomination
from training_plan.rules import check_perm
from training_plan.text import format_money, format_number

# Nominations a commitment can be recorded with: approved and later, not closed.
COMMITTABLE = (
    Nomination.Status.APPROVED,
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)
# Learners of a class who share its cost.
LEARNER_STATUSES = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)


# --- The rule and the formula -----------------------------------------------------------------


def rule_in_force(*, category: str, sent_date: datetime.date) -> CommitmentRule:
    """The commitment rule for a category in force on the day the person was sent."""
    rule = (
        CommitmentRule.objects.in_force(category=category, on=sent_date)
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise ValidationError(
            f"Chưa có quy định cam kết phục vụ áp dụng cho loại cán bộ này vào ngày "
            f"{sent_date:%d/%m/%Y}."
        )
    return rule


def repayment_amount(*, cost: int, share: str, required_months: int, served_months: int) -> int:
    """S in whole đồng (half up). 100 %: F. Proportional: F / T1 × (T1 − T2), 0 once T2 ≥ T1."""
    if share == Share.FULL:
        return cost
    if required_months <= 0 or served_months >= required_months:
        return 0
    remaining = required_months - served_months
    return (2 * cost * remaining + required_months) // (2 * required_months)


@dataclass(frozen=True)
class Cost:
    amount: int | None
    source: str


def class_cost_per_learner(training_class: TrainingClass | None) -> Cost:
    """F derived from the class's budget lines: its estimate shared by its learners (the
    planned number while it has none)."""
    if training_class is None:
        return Cost(None, "Chưa xếp lớp: nhập chi phí đào tạo thực tế.")
    row = (
        TrainingClass.objects.filter(pk=training_class.pk)
        .annotate(estimate=class_estimate_expression())
        .values("estimate", "planned_learners")
        .first()
    )
    learners = Nomination.objects.filter(
        training_class=training_class, status__in=LEARNER_STATUSES
    ).count()
    learners = learners or row["planned_learners"]
    if not row["estimate"] or not learners:
        return Cost(None, f"Lớp {training_class.name} chưa có dự toán: nhập chi phí thực tế.")
    amount = (2 * row["estimate"] + learners) // (2 * learners)
    return Cost(
        amount,
        f"Dự toán lớp {training_class.name}: {format_money(row['estimate'])} / "
        f"{format_number(learners)} học viên",
    )


def commitment_cost(commitment: Commitment) -> Cost:
    """F as entered, or derived from the class's budget lines, with where it comes from."""
    if commitment.cost is not None:
        source = commitment.cost_source or "Số liệu do cơ quan cử đi học nhập"
        return Cost(commitment.cost, source)
    return class_cost_per_learner(commitment.nomination.training_class)


# --- Commitments --------------------------------------------------------------------------

# Dates a commitment can have: from NĐ 101/2017's time to a return at most ten years ahead.
EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def check_dates(**dates):
    """Refuse dates outside what a commitment can have (a mistyped year)."""
    latest = timezone.localdate().replace(year=timezone.localdate().year + YEARS_AHEAD)
    labels = {
        "sent_date": "Ngày cử đi đào tạo",
        "signed_date": "Ngày ký cam kết",
        "return_date": "Ngày trở về công tác",
        "start_date": "Ngày bắt đầu gián đoạn",
        "end_date": "Ngày kết thúc gián đoạn",
        "event_date": "Ngày phát sinh",
        "decision_date": "Ngày quyết định",
        "paid_on": "Ngày nộp",
    }
    for name, value in dates.items():
        if value is not None and not EARLIEST <= value <= latest:
            raise ValidationError(
                f"{labels[name]} phải từ {EARLIEST:%d/%m/%Y} đến {latest:%d/%m/%Y}."
            )


def _check_months(training_months, required_months, rule):
    for value, label in ((training_months, "Thời gian đào tạo"), (required_months, "T1")):
        if value is None or not 1 <= value <= MAX_MONTHS:
            raise ValidationError(f"{label} phải từ 1 đến {MAX_MONTHS} tháng.")
    least = rule.multiple * training_months
    if required_months < least:
        raise ValidationError(
            f"Theo {rule.citation}, thời gian phục vụ cam kết ít nhất gấp {rule.multiple} lần "
            f"thời gian đào tạo: T1 phải từ {least} tháng trở lên."
        )


def _check_cost(cost):
    if cost is not None and not 0 <= cost <= MAX_COST:
        raise ValidationError(f"Chi phí đào tạo không quá {format_money(MAX_COST)}.")


def commitment_recompute(commitment: Commitment):
    commitment.service_end_date = commitment.compute_service_end()
    commitment.save(update_fields=["service_end_date"])


@transaction.atomic
def commitment_create(
    *,
    actor,
    nomination: Nomination,
    sent_date: datetime.date,
    signed_date: datetime.date,
    training_months: int,
    required_months: int | None = None,
    return_date: datetime.date | None = None,
    cost: int | None = None,
    cost_source: str = "",
    note: str = "",
) -> Commitment:
    """Record the commitment signed with a nomination under the rule in force on `sent_date`.
    Without T1, the rule's least: multiple × training months."""
    check_perm(actor, "commitments.change_commitment", nomination)
    check_dates(sent_date=sent_date, signed_date=signed_date, return_date=return_date)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if Commitment.objects.filter(nomination=nomination).exists():
        raise ValidationError("Hồ sơ cử đi học này đã có cam kết phục vụ.")
    if nomination.status not in COMMITTABLE:
        raise ValidationError(
            "Chỉ ghi cam kết cho hồ sơ đã được duyệt (hoặc đã xếp lớp, đã có kết quả)."
        )
    if signed_date > sent_date + datetime.timedelta(days=366):
        raise ValidationError("Ngày ký cam kết không thể sau ngày cử đi học quá một năm.")
    if return_date is not None and return_date < sent_date:
        raise ValidationError("Ngày trở về công tác không thể trước ngày cử đi đào tạo.")
    rule = rule_in_force(category=nomination.person.category, sent_date=sent_date)
    if required_months is None and training_months:
        required_months = rule.multiple * training_months
    _check_months(training_months, required_months, rule)
    _check_cost(cost)
    commitment = Commitment(
        nomination=nomination,
        person=nomination.person,
        rule=rule,
        sent_date=sent_date,
        signed_date=signed_date,
        training_months=training_months,
        required_months=required_months,
        return_date=return_date,
        cost=cost,
        cost_source=cost_source if cost is not None else "",
        note=note,
        created_by=actor,
    )
    commitment.service_end_date = commitment.compute_service_end()
    commitment._history_user = actor
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def commitment_update(*, actor, commitment: Commitment, **changes) -> Commitment:
    """Change the return date, T1, F or the note (not once a repayment is decided)."""
    check_perm(actor, "commitments.change_commitment", commitment)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if RepaymentCase.objects.filter(commitment=commitment).exists():
        raise ValidationError("Đã có quyết định đền bù: cam kết không còn sửa được.")
    allowed = {"return_date", "required_months", "cost", "cost_source", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Unknown commitment fields: {sorted(unknown)}")
    check_dates(return_date=changes.get("return_date"))
    for name, value in changes.items():
        setattr(commitment, name, value)
    if commitment.return_date is not None and commitment.return_date < commitment.sent_date:
        raise ValidationError("Ngày trở về công tác không thể trước ngày cử đi đào tạo.")
    _check_months(commitment.training_months, commitment.required_months, commitment.rule)
    _check_cost(commitment.cost)
    if commitment.cost is None:
        commitment.cost_source = ""
    commitment.service_end_date = commitment.compute_service_end()
    commitment._history_user = actor
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def interruption_add(
    *, actor, commitment: Commitment, start_date: datetime.date, end_date: datetime.date, reason
) -> Interruption:
    check_perm(actor, "commitments.change_commitment", commitment)
    check_dates(start_date=start_date, end_date=end_date)
    if commitment.return_date is None:
        raise ValidationError("Chưa có ngày trở về công tác: chưa tính thời gian phục vụ.")
    if end_date < start_date:
        raise ValidationError("Ngày kết thúc gián đoạn không thể trước ngày bắt đầu.")
    if start_date < commitment.return_date:
        raise ValidationError("Thời gian gián đoạn phải sau ngày trở về công tác.")
    overlapping = commitment.interruptions.filter(
        start_date__lte=end_date, end_date__gte=start_date
    )
    if overlapping.exists():
        raise ValidationError("Thời gian gián đoạn này trùng với một khoảng đã ghi.")
    interruption = Interruption(
        commitment=commitment, start_date=start_date, end_date=end_date, reason=reason.strip()
    )
    interruption._history_user = actor
    interruption.full_clean()
    interruption.save()
    commitment_recompute(commitment)
    return interruption


# --- Repayment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Calculation:
    """The figures of a repayment, as the page and the decision show them."""

    kind: str
    share: str
    cost: int
    cost_source: str
    required_months: int
    served_months: int
    amount: int
    citation: str

    @property
    def formula(self):
        if self.share == Share.FULL:
            return f"S = F = {format_money(self.cost)}"
        remaining = max(0, self.required_months - self.served_months)
        return (
            f"S = F / T1 × (T1 − T2) = {format_number(self.cost)} / {self.required_months} × "
            f"({self.required_months} − {self.served_months}) = {format_number(self.cost)} / "
            f"{self.required_months} × {remaining} = {format_money(self.amount)}"
        )


def repayment_calculate(*, commitment: Commitment, kind: str, event_date: datetime.date):
    """The amount a case would repay, with its figures (nothing saved)."""
    if kind not in RepaymentKind.values:
        raise ValidationError("Chọn trường hợp đền bù.")
    check_dates(event_date=event_date)
    share = commitment.rule.share_for(kind)
    if share is None:
        raise ValidationError(
            f"{commitment.rule.citation} không quy định đền bù trong trường hợp "
            f"“{RepaymentKind(kind).label.lower()}”."
        )
    during_training = kind in (RepaymentKind.DROPOUT, RepaymentKind.NO_DEGREE)
    if kind == RepaymentKind.LEFT_EARLY and commitment.return_date is None:
        raise ValidationError("Chưa có ngày trở về công tác: ghi ngày trở về trước khi tính.")
    if event_date < commitment.sent_date:
        raise ValidationError("Ngày phát sinh không thể trước ngày cử đi đào tạo.")
    cost = commitment_cost(commitment)
    if cost.amount is None:
        raise ValidationError(f"Chưa xác định được chi phí đào tạo F. {cost.source}")
    served = 0 if during_training else commitment.served_months(event_date)
    amount = repayment_amount(
        cost=cost.amount,
        share=share,
        required_months=commitment.required_months,
        served_months=served,
    )
    return Calculation(
        kind=kind,
        share=share,
        cost=cost.amount,
        cost_source=cost.source,
        required_months=commitment.required_months,
        served_months=served,
        amount=amount,
        citation=commitment.rule.repayment_citation,
    )


@transaction.atomic
def repayment_case_create(
    *,
    actor,
    commitment: Commitment,
    kind: str,
    event_date: datetime.date,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> RepaymentCase:
    """Decide a repayment: the figures are computed now and kept as decided."""
    check_perm(actor, "commitments.decide_repayment", commitment)
    commitment = Commitment.objects.select_for_update().select_related("rule").get(pk=commitment.pk)
    if RepaymentCase.objects.filter(commitment=commitment).exists():
        raise ValidationError("Cam kết này đã có quyết định đền bù.")
    check_dates(event_date=event_date, decision_date=decision_date)
    if event_date > timezone.localdate():
        raise ValidationError("Ngày phát sinh không thể sau hôm nay.")
    calculation = repayment_calculate(commitment=commitment, kind=kind, event_date=event_date)
    case = RepaymentCase(
        commitment=commitment,
        kind=kind,
        event_date=event_date,
        share=calculation.share,
        cost=calculation.cost,
        cost_source=calculation.cost_source[:255],
        required_months=calculation.required_months,
        served_months=calculation.served_months,
        amount=calculation.amount,
        legal_citation=calculation.citation[:255],
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        signer_title=signer_title.strip(),
        signer_name=signer_name.strip(),
        created_by=actor,
    )
    case._history_user = actor
    case.full_clean()
    case.save()
    return case


def case_calculation(case: RepaymentCase) -> Calculation:
    return Calculation(
        kind=case.kind,
        share=case.share,
        cost=case.cost,
        cost_source=case.cost_source,
        required_months=case.required_months,
        served_months=case.served_months,
        amount=case.amount,
        citation=case.legal_citation,
    )


def case_paid(case: RepaymentCase) -> int:
    return case.payments.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def payment_add(
    *, actor, case: RepaymentCase, paid_on: datetime.date, amount: int, note: str = ""
) -> Payment:
    """Record an instalment; never more than what remains."""
    check_perm(actor, "commitments.decide_repayment", case.commitment)
    check_dates(paid_on=paid_on)
    case = RepaymentCase.objects.select_for_update().get(pk=case.pk)
    remaining = case.amount - case_paid(case)
    if amount is None or amount < 1:
        raise ValidationError("Số tiền nộp phải lớn hơn 0 đồng.")
    if amount > remaining:
        raise ValidationError(
            f"Số tiền nộp ({format_money(amount)}) vượt số còn phải nộp "
            f"({format_money(remaining)})."
        )
    if paid_on > timezone.localdate():
        raise ValidationError("Ngày nộp không thể sau hôm nay.")
    if paid_on < case.event_date:
        raise ValidationError("Ngày nộp không thể trước ngày phát sinh đền bù.")
    payment = Payment(
        case=case, paid_on=paid_on, amount=amount, note=note.strip(), created_by=actor
    )
    payment._history_user = actor
    payment.full_clean()
    payment.save()
    return payment
