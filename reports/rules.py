"""Who may read and download what of the plan as a whole, and who issues and copies it.

BTC, SNV, leadership and administrators read the whole plan: its documents, workbook, results
report, plan check and the province's dashboard. A unit downloads only lists of its own people
(its nominations, the learners it sent to a class) and follows its own progress. Only BTC issues
the plan and copies it into the next year. Every file with personal data (workbook, nomination
lists, class lists) is recorded in the download log, whoever downloads it.
"""

import rules

from training_plan.models import Block
from training_plan.rules import (
    add_perm,
    administrator,
    in_own_unit,
    is_btc,
    is_snv,
    is_unit,
    manages_block,
    province_staff,
    reads_every_unit,
    reads_own_unit,
)

WHOLE_PLAN_ONLY = "Tài khoản của bạn không có quyền tải văn bản, số liệu của toàn kế hoạch."
OWN_LISTS = "Tài khoản của bạn không có quyền tải danh sách này."
BTC_ONLY = "Chỉ Ban Tổ chức Tỉnh ủy được {action}."

# The plan document, its funding appendix and the Word file (no personal data).
add_perm("reports.download_plan_documents", reads_every_unit, WHOLE_PLAN_ONLY)
# The plan's workbook: every unit's nominations (personal data, logged).
add_perm("reports.download_workbook", reads_every_unit, WHOLE_PLAN_ONLY)
# Nomination lists: every unit's, or a unit its own (personal data, logged).
add_perm("reports.download_nominations", reads_every_unit | reads_own_unit, OWN_LISTS)
# Class lists: every learner, or a unit the learners it sent (personal data, logged).
add_perm("reports.download_class_list", reads_every_unit | reads_own_unit, OWN_LISTS)
# The results report (page, PDF, Excel): figures per program, unit and class.
add_perm("reports.view_results", reads_every_unit, WHOLE_PLAN_ONLY)
# The plan check before issuing.
add_perm(
    "reports.view_plan_check",
    reads_every_unit,
    "Chỉ Ban Tổ chức Tỉnh ủy, Sở Nội vụ và lãnh đạo xem kết quả kiểm tra kế hoạch.",
)
add_perm("reports.issue_plan", administrator | is_btc, BTC_ONLY.format(action="ban hành kế hoạch"))
# The deadline for the units' lists (operational: also after the plan is issued).
add_perm(
    "reports.set_nomination_deadline",
    administrator | is_btc,
    BTC_ONLY.format(action="đặt hạn gửi danh sách cử đi học"),
)
add_perm(
    "reports.copy_plan",
    administrator | is_btc,
    BTC_ONLY.format(action="sao chép kế hoạch sang năm sau"),
)
# The dashboards: the province's (every unit) or the unit's own.
add_perm("reports.view_plan_progress", reads_every_unit)
add_perm("reports.view_unit_progress", reads_own_unit)


# --- The workflow's documents (reports/issuing.py) ---


@rules.predicate
def is_own_unit(user, unit):
    """The organisation is the user's own unit (without one: whether the user has a unit)."""
    if unit is None:
        return is_unit(user)
    return is_unit(user) and unit.pk == user.organisation_id


@rules.predicate
def manages_course_block(user, course):
    return manages_block(user, course.program.block if course is not None else None)


# A unit issues its letter sending its people to a course (công văn cử cán bộ đi học).
add_perm(
    "reports.issue_letter",
    administrator | is_own_unit,
    "Chỉ đơn vị cử cán bộ được lập công văn cử cán bộ đi học của mình.",
)
# The block's manager (BTC: Party, SNV: State) issues the decision sending the approved people.
add_perm(
    "reports.issue_decision",
    manages_course_block,
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) được ban hành quyết định "
    "cử đi học của khóa thuộc khối mình.",
)
add_perm("reports.view_decisions", reads_every_unit, WHOLE_PLAN_ONLY)
# BTC or SNV issues the results report with a number; leadership reads an unnumbered copy.
add_perm(
    "reports.issue_results_report",
    province_staff,
    "Chỉ Ban Tổ chức Tỉnh ủy và Sở Nội vụ được ban hành báo cáo kết quả có số.",
)
# An issued document: the whole province's readers; a unit its own letters (people's data).
add_perm(
    "reports.download_issued_document",
    reads_every_unit | (reads_own_unit & in_own_unit),
    OWN_LISTS,
)


def progress_block(user):
    """The block the dashboard follows: SNV its State block; everyone else the whole plan."""
    if is_snv(user) and not administrator(user):
        return Block.STATE
    return None


# A reorganisation (the tree of organisations changed on a date) is applied once, by BTC or an
# administrator; everyone signed in reads the events and their preview.
add_perm(
    "reports.apply_reorganisation",
    administrator | is_btc,
    BTC_ONLY.format(action="áp dụng sắp xếp tổ chức"),
)
add_perm("reports.view_reorganisation", rules.is_authenticated)
