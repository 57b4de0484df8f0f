"""Eligibility rules as data: evaluate a course's rules against a person and a nomination.

A rule (`courses.models.EligibilityRule`) carries its kind, its figures in `params`, its severity
(block or warn), its legal basis and the dates it applies between. Only the rules whose dates meet
the plan's year apply, so a later plan takes new figures (Nghị định 171/2025/NĐ-CP: 45 years, three
times the training time) from new rows alone, without a code change.

`params` by kind:
    max_age             {"age": 40, "below": true}   below: age < 40 ("dưới 40 tuổi");
                        false: age ≤ 40 ("không quá 40 tuổi")
    rank                {"ranks": ["chuyen_vien", "can_su"]}           Person.Rank values
    manager             {"levels": ["phong", "huyen"], "accept_planned": false}
                        Person.ManagerLevel values; accept_planned: a person in quy hoạch passes
    not_holding_theory  {"levels": ["cao_cap", "cu_nhan"]}             Person.TheoryLevel values
    min_service         {"years": 3}                  full years since Person.service_start_date
    service_commitment  {"multiplier": 2}             commitment_months ≥ multiplier × training

The verdicts of one nomination are stored on it: their summary in `Nomination.eligibility_flag`
(indexed, what lists filter on) and the verdicts themselves in `Nomination.eligibility_details`
(a JSON list, see `EligibilityReport.to_details`), so lists show them without a query per row.
People read them only as Vietnamese sentences with their legal basis
(`EligibilityReport.sentences`), never as the stored data.
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date

from django.db import models
from django.utils import timezone

from courses.models import EligibilityRule
from training_plan.models import Person
from training_plan.text import number_to_words


class Flag(models.TextChoices):
    """Summary of a nomination's verdicts, stored in `Nomination.eligibility_flag` (filterable).

    NONE: the course has no checkable rule in the plan's year (or nothing was checked yet);
    OK: every rule passed; WARN: a warning stands that no reviewer has accepted; OVERRIDDEN:
    every failed warning was accepted by a reviewer; BLOCKED: a blocking rule failed (the
    workflow refuses such a write, so only data loaded around it carries this flag).
    """

    NONE = "none", "Không có điều kiện kiểm tra tự động"
    OK = "ok", "Đạt các điều kiện"
    WARN = "warn", "Có cảnh báo chưa được chấp nhận"
    OVERRIDDEN = "overridden", "Cảnh báo đã được chấp nhận"
    BLOCKED = "blocked", "Không đạt điều kiện"


def plan_period(plan_year):
    return date(plan_year, 1, 1), date(plan_year, 12, 31)


def reference_date(plan_year, today=None):
    """The day conditions are measured on: today, kept within the plan's year."""
    start, end = plan_period(plan_year)
    today = today or timezone.localdate()
    return min(max(today, start), end)


def rule_applies(rule, plan_year):
    """A rule applies to a plan when its validity dates meet the plan's year."""
    start, end = plan_period(plan_year)
    if rule.valid_from and rule.valid_from > end:
        return False
    if rule.valid_to and rule.valid_to < start:
        return False
    return True


def applicable_rules(course, plan_year, rules=None):
    """The course's rules that apply in the plan's year, in code order.

    Pass `rules` (already fetched, e.g. prefetched) to avoid a query.
    """
    if rules is None:
        rules = course.eligibility_rules.select_related("legal_document__issuer").order_by("code")
    return [rule for rule in rules if rule_applies(rule, plan_year)]


def legal_basis(rule):
    """“Nghị định 101/2017/NĐ-CP ngày 01/9/2017 của Chính phủ, Điều 6 khoản 2 điểm a”."""
    parts = []
    if rule.legal_document_id:
        parts.append(rule.legal_document.citation)
    if rule.article:
        parts.append(rule.article)
    return ", ".join(parts)


def _choice_labels(choices, values):
    """“a, b hoặc c”."""
    labels = dict(choices)
    names = [labels.get(value, value).lower() for value in values]
    if len(names) <= 2:
        return " hoặc ".join(names)
    return ", ".join(names[:-1]) + " hoặc " + names[-1]


def _years_months(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0) // 12, max(months, 0) % 12


def _times(multiplier):
    if float(multiplier).is_integer():
        return f"{number_to_words(int(multiplier))} lần"
    return f"{str(multiplier).replace('.', ',')} lần"


def _max_age(rule, person, plan_year, nomination):
    limit = int(rule.params["age"])
    below = bool(rule.params.get("below", True))
    age = person.age_in_year(plan_year)
    wording = f"dưới {limit} tuổi" if below else f"không quá {limit} tuổi"
    ok = age < limit if below else age <= limit
    return ok, f"{age} tuổi trong năm {plan_year}; yêu cầu {wording}."


def _rank(rule, person, plan_year, nomination):
    ranks = rule.params["ranks"]
    wanted = _choice_labels(Person.Rank.choices, ranks)
    if not person.rank:
        return False, f"Hồ sơ chưa ghi ngạch, chức danh; yêu cầu {wanted}."
    return (
        person.rank in ranks,
        f"Ngạch hiện giữ: {person.get_rank_display().lower()}; yêu cầu {wanted}.",
    )


def _manager(rule, person, plan_year, nomination):
    levels = rule.params["levels"]
    wanted = _choice_labels(Person.ManagerLevel.choices, levels)
    if person.manager_level in levels:
        return True, f"Đang giữ chức vụ: {person.get_manager_level_display().lower()}."
    held = person.get_manager_level_display().lower() if person.manager_level else "chưa giữ"
    if rule.params.get("accept_planned") and person.planned_positions.strip():
        return True, f"Chức vụ lãnh đạo, quản lý: {held}; thuộc nguồn quy hoạch: " + (
            f"{person.planned_positions.strip()}."
        )
    return False, f"Chức vụ lãnh đạo, quản lý: {held}; yêu cầu {wanted}."


def _not_holding_theory(rule, person, plan_year, nomination):
    levels = rule.params["levels"]
    held = person.get_theory_level_display().lower() if person.theory_level else "chưa có"
    if person.theory_level in levels:
        return False, f"Đã có trình độ lý luận chính trị {held}; khóa này dành cho người chưa có."
    return True, f"Trình độ lý luận chính trị hiện có: {held}."


def _min_service(rule, person, plan_year, nomination):
    years = int(rule.params["years"])
    if not person.service_start_date:
        return False, f"Hồ sơ chưa ghi ngày vào công tác; yêu cầu công tác từ đủ {years} năm."
    on = reference_date(plan_year)
    full_years, months = _years_months(person.service_start_date, on)
    ok = (full_years, months) >= (years, 0) and person.service_start_date <= on
    return ok, (
        f"Đã công tác {full_years} năm {months} tháng (từ "
        f"{person.service_start_date:%d/%m/%Y} đến {on:%d/%m/%Y}); yêu cầu từ đủ {years} năm."
    )


def _service_commitment(rule, person, plan_year, nomination):
    multiplier = rule.params["multiplier"]
    times = _times(multiplier)
    training = getattr(nomination, "training_months", None)
    commitment = getattr(nomination, "commitment_months", None)
    if not training or commitment is None:
        return False, (
            "Chưa ghi thời gian đào tạo và thời gian cam kết phục vụ (tháng); yêu cầu cam kết "
            f"ít nhất gấp {times} thời gian đào tạo."
        )
    needed = training * multiplier
    needed_text = int(needed) if float(needed).is_integer() else needed
    return commitment >= needed, (
        f"Cam kết phục vụ {commitment} tháng, thời gian đào tạo {training} tháng; yêu cầu ít "
        f"nhất gấp {times} ({needed_text} tháng)."
    )


EVALUATORS = {
    EligibilityRule.Kind.MAX_AGE: _max_age,
    EligibilityRule.Kind.RANK: _rank,
    EligibilityRule.Kind.MANAGER: _manager,
    EligibilityRule.Kind.NOT_HOLDING_THEORY: _not_holding_theory,
    EligibilityRule.Kind.MIN_SERVICE: _min_service,
    EligibilityRule.Kind.SERVICE_COMMITMENT: _service_commitment,
}


def evaluate(rule, person, plan_year, nomination):
    """One rule against one person (and the nomination's months): (passed, message in Vietnamese).

    `nomination` may be unsaved, or any object with `training_months` and `commitment_months`.
    A rule whose params are missing or wrong fails with a message that says so.
    """
    evaluator = EVALUATORS.get(rule.kind)
    if evaluator is None:
        return False, f"Loại điều kiện “{rule.kind}” chưa được hỗ trợ."
    try:
        return evaluator(rule, person, plan_year, nomination)
    except (KeyError, TypeError, ValueError):
        return False, "Tham số của điều kiện này không hợp lệ; báo quản trị hệ thống kiểm tra."


@dataclass
class Verdict:
    code: str
    kind: str
    severity: str
    ok: bool
    message: str
    description: str
    basis: str
    overridden: bool = False

    @property
    def is_block(self):
        return self.severity == EligibilityRule.Severity.BLOCK

    @property
    def state(self):
        """ok / block / warn / overridden, for the templates."""
        if self.ok:
            return "ok"
        if self.is_block:
            return "block"
        return "overridden" if self.overridden else "warn"

    @property
    def state_label(self):
        return {
            "ok": "Đạt",
            "block": "Không đạt (chặn)",
            "warn": "Cảnh báo",
            "overridden": "Cảnh báo đã được chấp nhận",
        }[self.state]

    SENTENCE_STARTS = {
        "ok": "Đạt",
        "block": "Không đạt",
        "warn": "Cảnh báo",
        "overridden": "Cảnh báo đã được chấp nhận",
    }

    def sentence(self, reason=""):
        """“Cảnh báo: <điều kiện> — <lý do> (Căn cứ: <văn bản>).”; an accepted warning ends
        with the reviewer's `reason` (“…; lý do chấp nhận: …).”)."""
        message = self.message.strip().rstrip(".")
        notes = [f"Căn cứ: {self.basis}"] if self.basis else []
        if reason and self.state == "overridden":
            notes.append(f"lý do chấp nhận: {reason.strip().rstrip('.')}")
        tail = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.SENTENCE_STARTS[self.state]}: {self.description} — {message}{tail}."


VERDICT_FIELDS = {item.name for item in fields(Verdict)}


@dataclass
class EligibilityReport:
    verdicts: list = field(default_factory=list)
    # The reviewer's written reason for accepting the warnings (`Nomination.override_reason`).
    override_reason: str = ""

    @property
    def blocking(self):
        return [v for v in self.verdicts if not v.ok and v.is_block]

    @property
    def warnings(self):
        """Failed warnings no reviewer has accepted."""
        return [v for v in self.verdicts if not v.ok and not v.is_block and not v.overridden]

    @property
    def flag(self):
        if self.blocking:
            return Flag.BLOCKED
        if self.warnings:
            return Flag.WARN
        if any(v.overridden for v in self.verdicts if not v.ok):
            return Flag.OVERRIDDEN
        return Flag.OK if self.verdicts else Flag.NONE

    @property
    def flag_label(self):
        return self.flag.label

    @property
    def sentences(self):
        """The verdicts as Vietnamese sentences with their legal basis: what the nomination
        pages, the workbook's “Ghi chú điều kiện” column and any PDF show.

        “Đạt các điều kiện.” when every rule passed; otherwise one sentence per failed rule
        (“Không đạt: …”, “Cảnh báo: …”, “Cảnh báo đã được chấp nhận: … (…; lý do chấp nhận: …).”).
        """
        if not self.verdicts:
            return [f"{Flag.NONE.label}."]
        failed = [v for v in self.verdicts if not v.ok]
        if not failed:
            return [f"{Flag.OK.label}."]
        return [v.sentence(self.override_reason) for v in failed]

    @property
    def text(self):
        """The sentences, one per line (a workbook cell)."""
        return "\n".join(self.sentences)

    def override_warnings(self):
        """Mark every standing warning accepted; returns the verdicts accepted."""
        accepted = self.warnings
        for verdict in accepted:
            verdict.overridden = True
        return accepted

    def to_details(self):
        """The verdicts as stored in `Nomination.eligibility_details` (a JSON list)."""
        return [asdict(v) for v in self.verdicts]

    @classmethod
    def from_details(cls, details, override_reason=""):
        """The report of stored verdicts; an entry that is not a verdict is left out."""
        verdicts = []
        for item in details or ():
            if not isinstance(item, dict):
                continue
            try:
                verdicts.append(Verdict(**{k: v for k, v in item.items() if k in VERDICT_FIELDS}))
            except TypeError:
                continue
        return cls(verdicts, override_reason or "")


def check(course, person, plan_year, nomination=None, *, rules=None, overridden=()):
    """Every applicable rule of the course against the person: an `EligibilityReport`.

    `overridden`: codes of warnings a reviewer accepted earlier; they stay accepted.
    """
    verdicts = []
    for rule in applicable_rules(course, plan_year, rules):
        ok, message = evaluate(rule, person, plan_year, nomination)
        verdicts.append(
            Verdict(
                code=rule.code,
                kind=rule.kind,
                severity=rule.severity,
                ok=ok,
                message=message,
                description=rule.description,
                basis=legal_basis(rule),
                overridden=(
                    not ok
                    and rule.severity == EligibilityRule.Severity.WARN
                    and rule.code in overridden
                ),
            )
        )
    return EligibilityReport(verdicts)
