"""Scoped reads of classes and their learners; every class view goes through these."""

from courses.models import Course
from training_plan.rules import managed_blocks

# Classes in the plan's order: section, program, course, then by start date.
CLASS_ORDER = [
    "course__program__section__position",
    "course__program__position",
    "course__position",
    "start_date",
    "code",
]


def manageable_courses(user, plan):
    """Courses of a plan for which the user may open classes (`courses.open_class`): those of
    the blocks the user acts on."""
    courses = Course.objects.filter(program__section__plan=plan).select_related("program__section")
    return courses.filter(program__block__in=managed_blocks(user))
