"""Who may do what with learners' evaluations: the one place these rules are written.

The class's manager (BTC for the Party block, SNV for the State block) opens a class's evaluation
and prints its links; a unit sees the links of the learners it sent, to pass on; results (no
personal data) are read by BTC, SNV, leadership and administrators, and a unit sees the results
of classes its people attended. The answer form itself needs no account: its token is the key.
"""

import rules

from training_plan.rules import add_perm, is_unit, manages_block, reads_every_unit


def _block(obj):
    training_class = getattr(obj, "training_class", obj)
    return training_class.course.program.block


@rules.predicate
def manages_class(user, obj):
    return manages_block(user, None if obj is None else _block(obj))


add_perm(
    "evaluation.open_evaluation",
    manages_class,
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) mở đánh giá của lớp.",
)
add_perm("evaluation.view_links", manages_class | is_unit)
add_perm("evaluation.view_results", reads_every_unit | is_unit)
