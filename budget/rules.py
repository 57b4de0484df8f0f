"""Who may change the budget: cost norms (BTC and SNV, SPEC §2 Budget), the budget lines of a
class (the manager of the class's block, as for the class itself), and who reads a block's
review (BTC, SNV, leadership). Everyone reads the budget page and the funding appendix."""

import rules

from courses.rules import NOT_MANAGER_MESSAGE, manages_block_of
from training_plan.rules import add_perm, province_staff, reads_every_unit

# Norms are the plan's, not a block's: BTC and SNV both keep them.
add_perm(
    "budget.change_costnorm",
    province_staff,
    "Chỉ Ban Tổ chức Tỉnh ủy và Sở Nội vụ được sửa định mức chi.",
)


@rules.predicate
def manages_line_class(user, obj):
    """The class of a budget line (or the class itself, to add a line) is in the user's block."""
    training_class = getattr(obj, "training_class", obj)
    return manages_block_of(user, training_class)


add_perm("budget.change_budgetline", manages_line_class, NOT_MANAGER_MESSAGE)
# A block's classes with their learner counts and estimates, side by side.
add_perm(
    "budget.view_block_review",
    reads_every_unit,
    "Chỉ Ban Tổ chức Tỉnh ủy, Sở Nội vụ và lãnh đạo xem rà soát kinh phí theo khối.",
)
