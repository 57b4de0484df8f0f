"""Progress of a plan (planned → allocated → nominated → approved → enrolled → completed) per
program, block, unit and class, and budget planned vs. classes. Every function runs a fixed
number of aggregate queries whatever the number of nominations; the dashboard, the results
report and their exports all read through here."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from budget.models import BudgetBlock, BudgetLine
from courses.models import Course, Program, StudyMode, TrainingClass
from quotas.models import Allocation, Nomination, QuotaLine
from training_plan.models import Block, Organisation
from training_plan.selectors import former_names, heirs

# Nomination statuses counted at each stage of progress (cumulative: a completed nomination was
# also nominated, approved and enrolled).
NOMINATED = tuple(Nomination.SEAT_HOLDING)
APPROVED = (
    Nomination.Status.APPROVED,
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)
ENROLLED = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)
COMPLETED = (Nomination.Status.COMPLETED,)


def stage_counts():
    """Conditional counts of the progress stages, for `.annotate()` on nominations."""
    return {
        "nominated": Count("pk", filter=Q(status__in=NOMINATED)),
        "approved": Count("pk", filter=Q(status__in=APPROVED)),
        "enrolled": Count("pk", filter=Q(status__in=ENROLLED)),
        "completed": Count("pk", filter=Q(status__in=COMPLETED)),
        "not_completed": Count("pk", filter=Q(status=Nomination.Status.NOT_COMPLETED)),
    }


ROMAN = ["", "I", "II", "III", "IV", "V", "VI"]


def plan_courses(plan, *, block=None):
    """{course id: its position and name with its program's and section's} for the courses of
    a plan (of one budget block if given). One query over a few dozen rows: the grouped
    aggregates below count on the big tables by id alone and take their labels from here."""
    courses = Course.objects.filter(program__section__plan=plan)
    if block:
        courses = courses.filter(program__block=block)
    return {
        row["id"]: row
        for row in courses.order_by().values(
            "id",
            "position",
            "name",
            "program_id",
            "program__position",
            "program__name",
            "program__section__position",
        )
    }


def allocation_usage(plan, *, unit=None, block=None, courses=None):
    """Per unit and quota line (or course, for nominations outside any line): allocated seats
    and the nominations that use them. Five queries (four for one unit), whatever the number
    of nominations: the courses (unless given: `plan_courses(plan, block=block)`) and quota
    lines of the plan, allocations and nominations grouped by ids only, and the names of the
    units."""
    if courses is None:
        courses = plan_courses(plan, block=block)
    lines = {
        row["id"]: row
        for row in QuotaLine.objects.filter(course_id__in=list(courses))
        .order_by()
        .values("id", "course_id", "position", "institution__name", "study_mode")
    }
    allocations = Allocation.objects.filter(quota_line_id__in=list(lines))
    nominations = Nomination.objects.filter(course_id__in=list(courses), status__in=NOMINATED)
    if unit is not None:
        allocations = allocations.filter(unit=unit)
        nominations = nominations.filter(unit=unit)
    stages = stage_counts()
    rows = {}
    for values in (
        allocations.order_by().values("unit_id", "quota_line_id").annotate(allocated=Sum("count"))
    ):
        line = lines[values["quota_line_id"]]
        key = (values["unit_id"], line["course_id"], values["quota_line_id"])
        rows[key] = {"allocated": values["allocated"], **dict.fromkeys(stages, 0)}
    for values in (
        nominations.order_by().values("unit_id", "course_id", "quota_line_id").annotate(**stages)
    ):
        key = (values["unit_id"], values["course_id"], values["quota_line_id"])
        item = rows.setdefault(key, {"allocated": None})
        item.update({stage: values[stage] for stage in stages})
    if unit is not None:
        units = {
            unit.pk: {
                "name": unit.name,
                "block": unit.block,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
            }
        }
    else:
        # Every organisation of the province (a few hundred rows at most), not the ids found:
        # one query whether or not the plan has any activity yet.
        units = {
            row["id"]: row
            for row in Organisation.objects.order_by().values(
                "id", "name", "block", "valid_from", "valid_to"
            )
        }
    first_day, last_day = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
    no_line = {"position": None, "institution__name": None, "study_mode": ""}
    for (unit_id, course_id, line_id), item in rows.items():
        unit_row, course, line = units[unit_id], courses[course_id], lines.get(line_id, no_line)
        allocated = item["allocated"]
        item.update(
            unit_id=unit_id,
            unit_name=unit_row["name"],
            # ended before the plan's year: its figures are shown under its heir (unit_progress)
            unit_ended=(unit_row["valid_to"] is not None and unit_row["valid_to"] < first_day)
            or (unit_row["valid_from"] is not None and unit_row["valid_from"] > last_day),
            unit_block=Block(unit_row["block"]).label if unit_row["block"] else "",
            section=course["program__section__position"],
            program_id=course["program_id"],
            program_position=course["program__position"],
            program=course["program__name"],
            course_id=course_id,
            course_position=course["position"],
            course=course["name"],
            quota_line_id=line_id,
            line_position=line["position"],
            institution=line["institution__name"] or "",
            study_mode=StudyMode(line["study_mode"]).label if line["study_mode"] else "",
            number=f"{ROMAN[course['program__section__position']]}.{course['program__position']}",
            remaining=None if allocated is None else max(allocated - item["nominated"], 0),
        )
    return sorted(
        rows.values(),
        key=lambda item: (
            item["unit_name"],
            item["section"],
            item["program_position"],
            item["course_position"],
            item["line_position"] or 0,
        ),
    )


STAGES = [
    ("planned", "Kế hoạch"),
    ("allocated", "Đã phân bổ"),
    ("nominated", "Đã cử"),
    ("approved", "Đã duyệt"),
    ("enrolled", "Đã xếp lớp"),
    ("completed", "Hoàn thành"),
]
STAGE_FILLS = {
    "planned": "#6c757d",
    "allocated": "#0d6efd",
    "nominated": "#6f42c1",
    "approved": "#fd7e14",
    "enrolled": "#20c997",
    "completed": "#198754",
}
COUNTS = ["allocated", "nominated", "approved", "enrolled", "completed", "not_completed"]


@dataclass
class Progress:
    label: str
    planned: int | None = None
    demand_driven: bool = False
    allocated: int = 0
    nominated: int = 0
    approved: int = 0
    enrolled: int = 0
    completed: int = 0
    not_completed: int = 0
    number: str = ""
    block: str = ""
    key: object = None

    @property
    def planned_display(self):
        """“145”, “Theo nhu cầu”, or “460 + theo nhu cầu” for a block mixing both."""
        from training_plan.text import format_number

        if self.planned is None:
            return "Theo nhu cầu"
        if self.demand_driven:
            return f"{format_number(self.planned)} + theo nhu cầu"
        return format_number(self.planned)

    @property
    def completion_percent(self):
        """Completed as a share of the planned number (None when demand-driven only)."""
        if not self.planned:
            return None
        return round(100 * self.completed / self.planned, 1)

    @property
    def remaining(self):
        if self.planned is None:
            return None
        return max(self.planned - self.completed, 0)

    def add(self, other):
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class UnitProgress(Progress):
    behind: int = 0  # allocated seats not yet taken by a nomination


@dataclass
class BudgetProgress:
    block: str
    label: str
    planned: int
    classes_total: int = 0
    class_count: int = 0

    @property
    def difference(self):
        return self.classes_total - self.planned


@dataclass
class PlanProgress:
    programs: list[Progress]
    blocks: list[Progress]
    total: Progress
    budget: list[BudgetProgress] = field(default_factory=list)

    @property
    def budget_planned(self):
        return sum(item.planned for item in self.budget)

    @property
    def budget_classes(self):
        return sum(item.classes_total for item in self.budget)


def program_progress(plan, *, block=None, usage=None):
    """One row per program of sections II–III, in plan order: one query for the programs, the
    counts summed from `usage` (`allocation_usage` of the same plan and block, computed here
    unless the caller already has it). Every stage counted is a seat-holding status, so the
    usage rows hold every nomination counted here."""
    if usage is None:
        usage = allocation_usage(plan, block=block)
    programs = Program.objects.filter(section__plan=plan).select_related("section")
    if block:
        programs = programs.filter(block=block)
    counts = {}
    for item in usage:
        total = counts.setdefault(item["program_id"], dict.fromkeys(COUNTS, 0))
        total["allocated"] += item["allocated"] or 0
        for name in COUNTS[1:]:
            total[name] += item[name]
    rows = []
    for program in programs.order_by("section__position", "position"):
        row = Progress(
            label=program.name,
            number=program.number,
            planned=program.quantity,
            demand_driven=program.quantity is None,
            block=program.block,
            key=program,
        )
        for name, value in counts.get(program.pk, {}).items():
            setattr(row, name, value)
        rows.append(row)
    return rows


def block_rows(program_rows, *, blocks=None):
    """Sum program rows per budget block (no query)."""
    blocks = blocks or [choice for choice in Block]
    result = []
    for block in blocks:
        row = Progress(label=Block(block).label, block=block, key=block)
        members = [item for item in program_rows if item.block == block]
        capped = [item.planned for item in members if item.planned is not None]
        row.planned = sum(capped) if capped else None
        row.demand_driven = any(item.planned is None for item in members)
        for item in members:
            row.add(item)
        result.append(row)
    return result


def total_row(rows, label="Toàn tỉnh"):
    total = Progress(label=label)
    capped = [item.planned for item in rows if item.planned is not None]
    total.planned = sum(capped) if capped else None
    total.demand_driven = any(item.planned is None or item.demand_driven for item in rows)
    for item in rows:
        total.add(item)
    return total


def budget_progress(plan, *, block=None):
    """Planned block totals (section IV) vs. the estimates of the plan's classes. Three queries."""
    blocks = BudgetBlock.objects.filter(plan=plan).order_by("position")
    lines = BudgetLine.objects.filter(training_class__course__program__section__plan=plan).exclude(
        training_class__status=TrainingClass.Status.CANCELLED
    )
    classes = TrainingClass.objects.filter(course__program__section__plan=plan).exclude(
        status=TrainingClass.Status.CANCELLED
    )
    if block:
        blocks = blocks.filter(block=block)
    totals = dict(
        lines.order_by()
        .values("training_class__course__program__block")
        .annotate(total=Sum(BudgetLine.amount_expression()))
        .values_list("training_class__course__program__block", "total")
    )
    counts = dict(
        classes.order_by()
        .values("course__program__block")
        .annotate(n=Count("pk"))
        .values_list("course__program__block", "n")
    )
    return [
        BudgetProgress(
            block=item.block,
            label=item.get_block_display(),
            planned=item.planned_total,
            classes_total=int(totals.get(item.block) or 0),
            class_count=counts.get(item.block, 0),
        )
        for item in blocks
    ]


def plan_progress(plan, *, block=None, usage=None):
    programs = program_progress(plan, block=block, usage=usage)
    blocks = block_rows(programs, blocks=[block] if block else None)
    return PlanProgress(
        programs=programs,
        blocks=blocks,
        total=total_row(blocks, label="Cộng" if block else "Toàn tỉnh"),
        budget=budget_progress(plan, block=block),
    )


def unit_progress(plan, *, unit=None, block=None, usage=None):
    """One row per unit that has allocations or nominations in the plan (in the programs of one
    budget block if given), summed from `usage` (`allocation_usage` of the same plan, unit and
    block, computed here unless the caller already has it). No query of its own."""
    if usage is None:
        usage = allocation_usage(plan, unit=unit, block=block)
    # A unit that ended before the plan's year (figures recorded before a reorganisation was
    # applied) is shown under its heir, marked “(trước đây: …)”; three queries, only then.
    heir_map = heirs(plan.year) if any(item["unit_ended"] for item in usage) else {}
    units = {}
    for item in usage:
        key, label = item["unit_id"], item["unit_name"]
        if key in heir_map:
            heir = heir_map[key][0]
            key = heir.pk
            label = f"{heir.name} (trước đây: {', '.join(former_names(heir_map, heir.pk))})"
        row = units.get(key)
        if row is None:
            row = units[key] = UnitProgress(label=label, key=key)
            row.block = item["unit_block"]
        elif label != row.label and "(trước đây:" in label:
            row.label = label
        allocated = item["allocated"]
        if allocated is None:
            row.demand_driven = True
        else:
            row.planned = (row.planned or 0) + allocated
            row.allocated += allocated
            row.behind += item["remaining"]
        for name in COUNTS[1:]:
            setattr(row, name, getattr(row, name) + item[name])
    return sorted(units.values(), key=lambda row: row.label)


def units_behind(unit_rows, limit=None):
    """Units with allocated seats not yet nominated, most seats first."""
    rows = sorted(
        (row for row in unit_rows if row.behind > 0), key=lambda row: (-row.behind, row.label)
    )
    return rows[:limit] if limit else rows


def class_progress(plan, *, unit=None, courses=None):
    """Classes of the plan with their learners and results; for one unit, only the classes with
    learners of that unit, counting its people only. Two queries: the learners are counted on
    the nominations alone, grouped by class id (`courses`: `plan_courses(plan)` when the caller
    already has it)."""
    from courses.selectors import CLASS_ORDER
    from quotas.selectors import LEARNER_STATUSES

    classes = TrainingClass.objects.select_related(
        "course__program__section", "institution"
    ).order_by(*CLASS_ORDER)
    nominations = Nomination.objects.filter(status__in=LEARNER_STATUSES)
    if unit is None:
        classes = list(classes.filter(course__program__section__plan=plan))
        nominations = nominations.filter(training_class_id__in=[c.pk for c in classes])
    else:
        if courses is None:
            courses = plan_courses(plan)
        nominations = nominations.filter(unit=unit, training_class__course_id__in=list(courses))
    counts = {
        row["training_class_id"]: row
        for row in nominations.order_by()
        .values("training_class_id")
        .annotate(
            learners=Count("pk"),
            completed=Count("pk", filter=Q(status=Nomination.Status.COMPLETED)),
            not_completed=Count("pk", filter=Q(status=Nomination.Status.NOT_COMPLETED)),
        )
    }
    if unit is not None:
        classes = list(classes.filter(pk__in=list(counts)))
    for training_class in classes:
        row = counts.get(training_class.pk, {})
        training_class.learners = row.get("learners", 0)
        training_class.completed = row.get("completed", 0)
        training_class.not_completed = row.get("not_completed", 0)
    return classes


S = Nomination.Status


def status_rows(plan, *, unit=None, courses=None):
    """[(status, label, count)] of the plan's nominations (of one unit if given), in the order
    of the workflow: the dashboards link each count to the list filtered on it. One query on the
    nominations alone (`courses`: `plan_courses(plan)` when the caller already has it, else one
    more)."""
    if courses is None:
        courses = plan_courses(plan)
    nominations = Nomination.objects.filter(course_id__in=list(courses))
    if unit is not None:
        nominations = nominations.filter(unit=unit)
    counts = dict(
        nominations.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(status.value, status.label, counts.get(status.value, 0)) for status in S]


def unit_status_counts(plan, unit, *, courses=None):
    """Nominations of one unit in the plan per status: [(label, count)] (see `status_rows`)."""
    return [(label, count) for _, label, count in status_rows(plan, unit=unit, courses=courses)]


# ---- Charts ------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int | None
    display: str
    fill: str
    y: int = 0
    width: float = 0
    label_x: int = 0
    value_x: float = 0

    @property
    def text_y(self):
        return self.y + 15

    @property
    def rect_y(self):
        return self.y + 4


@dataclass
class BarChart:
    """A horizontal bar chart drawn as SVG by templates/training_plan/_bar_chart.html."""

    title: str
    bars: list[Bar]
    label_width: int = 170
    bar_area: int = 280
    row_height: int = 24

    @property
    def width(self):
        return self.label_width + self.bar_area + 130

    @property
    def height(self):
        return self.row_height * len(self.bars) + 8

    @property
    def label_x(self):
        return self.label_width - 6


def bar_chart(title, items, *, label_width=170):
    """items: (label, value or None, fill). Bars scale to the largest value of the chart."""
    from training_plan.text import format_number

    peak = max((value for _, value, _ in items if value), default=0)
    chart = BarChart(title=title, bars=[], label_width=label_width)
    for index, (label, value, fill) in enumerate(items):
        width = round(chart.bar_area * value / peak, 1) if peak and value else 0
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                display="theo nhu cầu" if value is None else format_number(value),
                fill=fill,
                y=4 + index * chart.row_height,
                width=width,
                value_x=label_width + width + 6,
            )
        )
    return chart


def progress_chart(row, title=None):
    """The six stages of one progress row as a bar chart."""
    items = []
    for name, label in STAGES:
        value = row.planned if name == "planned" else getattr(row, name)
        if name == "planned" and row.demand_driven and row.planned is not None:
            label = "Kế hoạch (+ theo nhu cầu)"
        items.append((label, value, STAGE_FILLS[name]))
    return bar_chart(title or row.label, items)


def budget_chart(budget_rows):
    items = []
    for row in budget_rows:
        items.append((f"{row.label}: dự kiến", row.planned, "#6c757d"))
        items.append((f"{row.label}: các lớp", row.classes_total, "#0d6efd"))
    return bar_chart("Kinh phí dự kiến và dự toán các lớp (đồng)", items, label_width=300)


def behind_chart(rows):
    items = [(row.label, row.behind, "#dc3545") for row in rows]
    return bar_chart("Chỉ tiêu đã phân bổ chưa cử", items, label_width=200)


def results_context(plan):
    """What the results report shows (its page, PDF and workbook)."""
    usage = allocation_usage(plan)
    return {
        "plan": plan,
        "progress": plan_progress(plan, usage=usage),
        "units": unit_progress(plan, usage=usage),
        "classes": class_progress(plan),
    }
