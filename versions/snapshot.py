"""A plan as data at one moment, and the differences between two such moments.

`take(plan)` reads the plan's wording, figures, quota lines, classes and money lines into a plain
dict (stored as JSON in `PlanVersion.content`); `compare(old, new)` says what changed: wording as
inserted and deleted words (difflib), figures old → new, quota lines, classes and money lines
added, removed or changed, and the totals per block before and after."""

import difflib
from dataclasses import dataclass, field

from budget.models import BudgetLine
from courses.models import TrainingClass
from quotas import selectors as plan_selectors
from training_plan.models import Block

PLAN_TEXTS = (
    ("title", "Tên kế hoạch"),
    ("preamble", "Lời mở đầu"),
    ("purpose", "Mục đích"),
    ("requirements", "Yêu cầu"),
    ("budget_basis_text", "Căn cứ kinh phí"),
    ("budget_appendix_note", "Ghi chú phụ lục"),
    ("closing_text", "Đoạn kết"),
)
PROGRAM_TEXTS = (
    ("name", "tên chương trình"),
    ("target_group", "đối tượng"),
    ("conditions", "điều kiện"),
    ("period", "thời gian thực hiện"),
)
COURSE_TEXTS = (("name", "tên khóa"), ("target_group", "đối tượng"))


def take(plan):
    """The plan's content now, with a fixed number of queries."""
    plan = plan_selectors.plan_for_year(plan.year)
    texts, figures, lines = {}, {}, {}
    for name, label in PLAN_TEXTS:
        texts[label] = getattr(plan, name) or ""
    texts["Nơi nhận"] = "\n".join(r.text for r in plan.recipients.all())
    for responsibility in plan.responsibilities.all():
        texts[f"V.{responsibility.position} {responsibility.heading}"] = "\n".join(
            filter(None, [responsibility.intro, responsibility.tasks])
        )
    for section in plan.sections.all():
        for program in section.programs.all():
            for name, label in PROGRAM_TEXTS:
                texts[f"{program.number} {label}"] = getattr(program, name) or ""
            figures[program.number] = {
                "label": program.name,
                "value": program.quantity,
                "block": program.block,
            }
            for course in program.courses.all():
                for name, label in COURSE_TEXTS:
                    texts[f"{course.code} {label}"] = getattr(course, name) or ""
                figures[course.code] = {
                    "label": course.name,
                    "value": course.quantity,
                    "block": program.block,
                }
                for line in course.quota_lines.all():
                    lines[f"{course.code}-{line.position}"] = {
                        "label": f"{course.name} — {line.place}",
                        "value": line.planned_count,
                        "block": program.block,
                    }
    classes, money = {}, {}
    for training_class in (
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .select_related("course__program__section", "institution")
        .order_by("course__program__section__position", "course__program__position", "code")
    ):
        key = f"{training_class.course.code}/{training_class.code}"
        classes[key] = {
            "label": training_class.name,
            "value": (
                f"{training_class.institution.name}; {training_class.start_date:%d/%m/%Y} – "
                f"{training_class.end_date:%d/%m/%Y}; sĩ số {training_class.capacity}; "
                f"dự kiến {training_class.planned_learners} học viên; "
                f"{training_class.get_status_display().lower()}"
            ),
            "block": training_class.course.program.block,
        }
    for line in BudgetLine.objects.filter(
        training_class__course__program__section__plan=plan
    ).select_related("training_class__course__program__section"):
        training_class = line.training_class
        key = f"{training_class.course.code}/{training_class.code}#{line.position}"
        money[key] = {
            "label": f"{training_class.name}: {line.description}",
            "value": line.rate * line.quantity * line.multiplier,
            "block": training_class.course.program.block,
        }
    blocks = {
        block.block: {"label": block.get_block_display(), "planned": block.planned_total}
        for block in plan.budget_blocks.all()
    }
    return {
        "year": plan.year,
        "status": plan.get_status_display(),
        "number": plan.number,
        "issue_date": plan.issue_date.strftime("%d/%m/%Y") if plan.issue_date else "",
        "texts": texts,
        "figures": figures,
        "quota_lines": lines,
        "classes": classes,
        "money": money,
        "blocks": blocks,
    }


# ---- Comparison -----------------------------------------------------------------------------


@dataclass
class TextChange:
    label: str
    segments: list  # [(kind, text)] kind: "equal", "delete", "insert"


@dataclass
class ItemChange:
    key: str
    label: str
    kind: str  # "added", "removed", "changed"
    old: object = None
    new: object = None
    block: str = ""

    @property
    def kind_label(self):
        return {"added": "Thêm", "removed": "Bỏ", "changed": "Sửa"}[self.kind]


@dataclass
class BlockTotals:
    label: str
    planned_old: int
    planned_new: int
    money_old: int
    money_new: int
    figures_old: int
    figures_new: int

    @property
    def changed(self):
        return (self.planned_old, self.money_old, self.figures_old) != (
            self.planned_new,
            self.money_new,
            self.figures_new,
        )


@dataclass
class Comparison:
    texts: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    quota_lines: list = field(default_factory=list)
    classes: list = field(default_factory=list)
    money: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    heading: list = field(default_factory=list)  # number, date, status: old → new

    @property
    def is_empty(self):
        return not (
            self.texts or self.figures or self.quota_lines or self.classes or self.money
        ) and not any(b.changed for b in self.blocks)


def word_diff(old, new):
    """The words of `new` against `old`: [(kind, text)], whitespace kept between words."""
    old_words, new_words = old.split(), new.split()
    segments = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("equal", " ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(("delete", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(("insert", " ".join(new_words[j1:j2])))
    return segments


def _items(old, new):
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is None:
            kind = "added"
        elif after is None:
            kind = "removed"
        elif before.get("value") == after.get("value") and before.get("label") == after.get(
            "label"
        ):
            continue
        else:
            kind = "changed"
        item = after or before
        changes.append(
            ItemChange(
                key=key,
                label=item.get("label", ""),
                kind=kind,
                old=None if before is None else before.get("value"),
                new=None if after is None else after.get("value"),
                block=item.get("block", ""),
            )
        )
    return changes


def _sum(items, block):
    return sum(v["value"] or 0 for v in items.values() if v.get("block") == block)


def compare(old, new):
    comparison = Comparison()
    for label, key in (("Số, ký hiệu", "number"), ("Ngày ban hành", "issue_date")):
        if old.get(key) != new.get(key):
            comparison.heading.append((label, old.get(key) or "—", new.get(key) or "—"))
    old_texts, new_texts = old["texts"], new["texts"]
    for label in list(old_texts) + [k for k in new_texts if k not in old_texts]:
        before, after = old_texts.get(label, ""), new_texts.get(label, "")
        if before.split() != after.split():
            comparison.texts.append(TextChange(label, word_diff(before, after)))
    comparison.figures = _items(old["figures"], new["figures"])
    comparison.quota_lines = _items(old["quota_lines"], new["quota_lines"])
    comparison.classes = _items(old["classes"], new["classes"])
    comparison.money = _items(old["money"], new["money"])
    for block, label in Block.choices:
        old_block, new_block = old["blocks"].get(block, {}), new["blocks"].get(block, {})
        comparison.blocks.append(
            BlockTotals(
                label=label,
                planned_old=old_block.get("planned", 0),
                planned_new=new_block.get("planned", 0),
                money_old=_sum(old["money"], block),
                money_new=_sum(new["money"], block),
                figures_old=_sum(old["quota_lines"], block),
                figures_new=_sum(new["quota_lines"], block),
            )
        )
    return comparison
