"""Scoped reads of classes and their learners; every class view goes through these."""

from courses.models import Course
from training_plan.models import Block

NOT_MANAGER_MESSAGE = (
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) hoặc Sở Nội vụ (khối Nhà nước) được thay đổi lớp này."
)


# Classes in the plan's order: section, program, course, then by start date.
CLASS_ORDER = [
    "course__program__section__position",
    "course__program__position",
    "course__position",
    "start_date",
    "code",
]


def manageable_courses(user, plan):
    """Courses of a plan for which the user may open classes."""
    courses = Course.objects.filter(program__section__plan=plan).select_related("program__section")
    if user.is_superuser:
        return courses
    blocks = [block for block in Block.values if user.reviews_block(block)]
    return courses.filter(program__block__in=blocks)
