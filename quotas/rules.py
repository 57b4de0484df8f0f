"""Who may do what with quotas and nominations: the one place these rules are written.

Two sides act on a nomination. The unit side enters, edits, submits, puts on the reserve list
and withdraws it before approval: the nominating unit's own users, in both blocks, and BTC for
courses of the Party block (it enters for every unit there; State-block courses are entered by
the units themselves). The reviewer verifies, approves, returns, rejects and accepts warnings:
BTC for the Party block, SNV for the State block. Leadership reads every nomination and changes
none. Administrators may do everything.

The permissions say who may act; `action_refusal` adds the status rules and says why not, in
Vietnamese, for the views' messages and the services' refusals.
"""

import rules

from quotas.models import Nomination, QuotaLine, status_label
from training_plan.models import Block
from training_plan.rules import (
    add_perm,
    administrator,
    block_manager_name,
    in_own_unit,
    is_btc,
    is_leadership,
    is_unit,
    manages_block,
    own_unit_alive_in,
    reads_every_unit,
    reads_own_unit,
)

S = Nomination.Status

OWN_UNIT_ONLY = "Đơn vị chỉ được cử cán bộ của đơn vị mình."
NOT_A_NOMINATOR = "Tài khoản của bạn không được lập hồ sơ cử đi học."
BTC_PARTY_ONLY = (
    "Ban Tổ chức Tỉnh ủy chỉ lập, gửi hồ sơ thay đơn vị cho các khóa khối Đảng, Mặt trận, đoàn "
    "thể; hồ sơ khóa khối Nhà nước do đơn vị cử cán bộ lập và Sở Nội vụ thẩm định."
)
LEADERSHIP_READS = "Tài khoản lãnh đạo chỉ được xem, không được thay đổi hồ sơ."
READS_ONLY = "Tài khoản của bạn chỉ được xem hồ sơ cử đi học, không được thay đổi."
NOT_AN_ALLOCATOR = (
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) được phân bổ chỉ tiêu."
)


def _block(obj):
    """The budget block of a nomination, quota line or course."""
    if isinstance(obj, Nomination | QuotaLine):
        return obj.course.program.block
    return obj.block


# --- Predicates -----------------------------------------------------------------------------


@rules.predicate
def acts_for_unit(user, nomination):
    """The unit side of a nomination (also of an unsaved one, to create it): the nominating
    unit's users in both blocks, BTC in the Party block, administrators. Without a nomination:
    may act for some unit."""
    if administrator(user):
        return True
    if nomination is None:
        return is_unit(user) or is_btc(user)
    if is_unit(user):
        if not in_own_unit(user, nomination):
            return False
        if nomination.pk is None and getattr(nomination, "course_id", None):
            # Nothing new in a plan after the unit ended.
            return own_unit_alive_in(user, nomination.course.program.section.plan.year)
        return True
    return is_btc(user) and _block(nomination) == Block.PARTY


@rules.predicate
def acts_as_own_unit(user, nomination):
    """A user of the nominating unit itself (not BTC acting for it): who is not told of what
    the unit did to its own file."""
    return is_unit(user) and in_own_unit(user, nomination)


@rules.predicate
def reviews_nomination(user, nomination):
    """BTC for the Party block, SNV for the State block (and administrators). Without a
    nomination: reviews some block."""
    return manages_block(user, None if nomination is None else _block(nomination))


@rules.predicate
def reads_nomination(user, nomination):
    """BTC, SNV, leadership and administrators read every nomination; a unit its own."""
    if reads_every_unit(user):
        return True
    return reads_own_unit(user) and (nomination is None or in_own_unit(user, nomination))


@rules.predicate
def allocates(user, quota_line):
    """Allocates seats of a quota line (or of a course's lines): the block's manager."""
    return manages_block(user, None if quota_line is None else _block(quota_line))


# --- Permissions ----------------------------------------------------------------------------

# What each action needs, besides the status rules of `action_refusal`.
PERMISSIONS = {
    "edit": "quotas.change_nomination",
    "submit": "quotas.submit_nomination",
    "reserve": "quotas.reserve_nomination",
    "override": "quotas.override_nomination",
    "verify": "quotas.verify_nomination",
    "approve": "quotas.approve_nomination",
    "return": "quotas.return_nomination",
    "reject": "quotas.reject_nomination",
    "withdraw": "quotas.withdraw_nomination",
}
UNIT_SIDE = ("edit", "submit", "reserve")
REVIEW = ("override", "verify", "approve", "return", "reject")

add_perm("quotas.view_nomination", reads_nomination)
# Acts on some nominations, on either side: everyone but leadership (the write screens' gate;
# each action is then checked on its nomination, with the reason as a message).
add_perm("quotas.act_on_nominations", acts_for_unit | reviews_nomination, READS_ONLY)
# Enter a nomination (with the unsaved nomination: for this person and course), import a list.
add_perm("quotas.add_nomination", acts_for_unit, NOT_A_NOMINATOR)
for _action in UNIT_SIDE:
    add_perm(PERMISSIONS[_action], acts_for_unit)
for _action in REVIEW:
    add_perm(PERMISSIONS[_action], reviews_nomination)
add_perm(PERMISSIONS["withdraw"], acts_for_unit | reviews_nomination)
add_perm("quotas.change_allocation", allocates, NOT_AN_ALLOCATOR)


def permission(action):
    return PERMISSIONS[action]


# --- Reasons ----------------------------------------------------------------------------------


def create_refusal(user, nomination):
    """Why `user` may not enter this (unsaved) nomination, or None."""
    if user.has_perm("quotas.add_nomination", nomination):
        return None
    if is_unit(user) and in_own_unit(user, nomination):
        unit = user.organisation
        return (
            f"{unit.name} đã kết thúc hoạt động"
            + (f" ngày {unit.valid_to:%d/%m/%Y}" if unit.valid_to else "")
            + ": không lập hồ sơ mới cho kế hoạch sau ngày này."
        )
    if is_unit(user):
        return OWN_UNIT_ONLY
    if is_btc(user):
        return BTC_PARTY_ONLY
    return NOT_A_NOMINATOR


ACTIONS = {
    # action: (label, button style, reason required)
    "submit": ("Gửi duyệt", "primary", False),
    "reserve": ("Đưa vào danh sách dự bị", "secondary", False),
    "override": ("Chấp nhận cảnh báo điều kiện", "warning", True),
    "verify": ("Thẩm định đạt", "success", False),
    "approve": ("Phê duyệt", "success", False),
    "return": ("Trả lại để bổ sung", "warning", True),
    "reject": ("Không chấp thuận", "danger", True),
    "withdraw": ("Rút hồ sơ", "outline-danger", False),
}


UNIT_WITHDRAWABLE = (S.DRAFT, S.RESERVE, S.SUBMITTED, S.RETURNED, S.VERIFIED)


REVIEWER_WITHDRAWABLE = (*UNIT_WITHDRAWABLE, S.APPROVED, S.ENROLLED)


def _who_refusal(user, nomination, action):
    """Why the user's role may not do `action` on this nomination at all."""
    if is_leadership(user):
        return LEADERSHIP_READS
    block = _block(nomination)
    block_label = nomination.course.program.get_block_display()
    if action in UNIT_SIDE:
        if block == Block.STATE:
            return (
                f"Chỉ đơn vị cử cán bộ được gửi, sửa hồ sơ của khóa này ({block_label}); "
                "Ban Tổ chức Tỉnh ủy chỉ lập hồ sơ thay đơn vị cho khóa khối Đảng."
            )
        return "Chỉ đơn vị cử cán bộ hoặc Ban Tổ chức Tỉnh ủy được gửi, sửa hồ sơ này."
    if action in REVIEW:
        return (
            f"Chỉ {block_manager_name(block)} thẩm định, phê duyệt hồ sơ của khóa này "
            f"({block_label})."
        )
    return (
        f"Chỉ đơn vị cử cán bộ và {block_manager_name(block)} được rút hồ sơ của khóa này "
        f"({block_label})."
    )


STATUS_RULES = {
    "verify": (S.SUBMITTED,),
    "approve": (S.VERIFIED,),
    "return": (S.SUBMITTED, S.VERIFIED),
    "reject": (S.SUBMITTED, S.VERIFIED, S.RETURNED, S.RESERVE),
    "override": (S.SUBMITTED, S.RETURNED, S.RESERVE, S.VERIFIED),
}


def action_refusal(user, nomination, action):
    """Why `user` may not do `action` on `nomination` now (permission, then status), or None.

    Seats and eligibility are checked by the action itself, inside its transaction.
    """
    if action not in PERMISSIONS:
        return "Thao tác không hợp lệ."
    if not user.has_perm(PERMISSIONS[action], nomination):
        return _who_refusal(user, nomination, action)
    status = nomination.status
    label = status_label(status)
    if action in UNIT_SIDE:
        if status not in (S.DRAFT, S.RETURNED):
            return f"Hồ sơ đang ở trạng thái “{label}”: chỉ hồ sơ dự thảo hoặc bị trả lại mới " + (
                "được gửi, sửa hoặc đưa vào danh sách dự bị."
            )
        return None
    if action in REVIEW:
        allowed = STATUS_RULES[action]
        if status not in allowed:
            names = ", ".join(f"“{status_label(s)}”" for s in allowed)
            return f"Hồ sơ đang ở trạng thái “{label}”; thao tác này chỉ áp dụng cho hồ sơ {names}."
        return None
    # withdraw: the reviewer until the class ends, the unit side until approval.
    reviewer = reviews_nomination(user, nomination)
    unit_side = acts_for_unit(user, nomination)
    if reviewer and status in REVIEWER_WITHDRAWABLE:
        return None
    if unit_side and status in UNIT_WITHDRAWABLE:
        return None
    return f"Hồ sơ đang ở trạng thái “{label}” nên không thể rút." + (
        " Đơn vị chỉ rút được hồ sơ trước khi được phê duyệt." if unit_side else ""
    )


def allowed_actions(user, nomination):
    """[(action, label, style, reason required)] the user may try on this nomination now."""
    return [
        (action, label, style, needs_reason)
        for action, (label, style, needs_reason) in ACTIONS.items()
        if action_refusal(user, nomination, action) is None
        and (action != "override" or nomination.eligibility_report.warnings)
        and (action != "reserve" or nomination.quota_line_id is not None)
    ]


def bulk_actions(user):
    """The bulk actions the user may try on a selection (each nomination is checked again)."""
    return [
        action for action in ("submit", "verify", "approve") if user.has_perm(permission(action))
    ]
