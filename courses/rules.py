"""Who may open and run classes: BTC for courses of the Party block, SNV for the State block
(and administrators). Everyone reads classes (they are not personal data); learners are scoped
by the nominations' rules."""

import rules

from training_plan.rules import add_perm, manages_block

NOT_MANAGER_MESSAGE = (
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) hoặc Sở Nội vụ (khối Nhà nước) được thay đổi lớp này."
)


@rules.predicate
def manages_block_of(user, obj):
    """Acts on the block of a course, program or class (`obj.block`); without one, on some."""
    return manages_block(user, None if obj is None else obj.block)


# Open a class of a course (without a course: open classes at all).
add_perm("courses.open_class", manages_block_of, NOT_MANAGER_MESSAGE)
# Change a class, enrol and remove learners, record results, cancel it.
add_perm("courses.manage_class", manages_block_of, NOT_MANAGER_MESSAGE)
