"""Who may do what with quotas and nominations: the one place these rules are written."""

from quotas.models import Nomination, status_label
from training_plan.models import Block

S = Nomination.Status


def acts_for_unit(user, unit_id):
    """The unit side of a nomination: the unit's own users, BTC (enters for every unit), admins."""
    if user.is_superuser or user.is_btc:
        return True
    return user.is_unit and user.organisation_id == unit_id


def may_create_nominations(user):
    return user.is_superuser or user.is_btc or (user.is_unit and user.organisation_id is not None)


def is_reviewer(user, nomination):
    """BTC for the Party block, SNV for the State block (and administrators)."""
    return user.reviews_block(nomination.course.program.block)


def _reviewer_name(nomination):
    if nomination.course.program.block == Block.STATE:
        return "Sở Nội vụ"
    return "Ban Tổ chức Tỉnh ủy"


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


def action_refusal(user, nomination, action):
    """Why `user` may not do `action` on `nomination` now (role and status), or None.

    Seats and eligibility are checked by the action itself, inside its transaction.
    """
    status = nomination.status
    label = status_label(status)
    if user.is_leadership and not user.is_superuser:
        return "Tài khoản lãnh đạo chỉ được xem, không được thay đổi hồ sơ."
    unit_side = acts_for_unit(user, nomination.unit_id)
    reviewer = is_reviewer(user, nomination)
    if action in ("submit", "reserve", "edit"):
        if not unit_side:
            return "Chỉ đơn vị cử cán bộ hoặc Ban Tổ chức Tỉnh ủy được gửi, sửa hồ sơ này."
        if status not in (S.DRAFT, S.RETURNED):
            return f"Hồ sơ đang ở trạng thái “{label}”: chỉ hồ sơ dự thảo hoặc bị trả lại mới " + (
                "được gửi, sửa hoặc đưa vào danh sách dự bị."
            )
        return None
    if action in ("verify", "approve", "return", "reject", "override"):
        if not reviewer:
            return (
                f"Chỉ {_reviewer_name(nomination)} thẩm định, phê duyệt hồ sơ của khóa này "
                f"({nomination.course.program.get_block_display()})."
            )
        allowed = {
            "verify": (S.SUBMITTED,),
            "approve": (S.VERIFIED,),
            "return": (S.SUBMITTED, S.VERIFIED),
            "reject": (S.SUBMITTED, S.VERIFIED, S.RETURNED, S.RESERVE),
            "override": (S.SUBMITTED, S.RETURNED, S.RESERVE, S.VERIFIED),
        }[action]
        if status not in allowed:
            names = ", ".join(f"“{status_label(s)}”" for s in allowed)
            return f"Hồ sơ đang ở trạng thái “{label}”; thao tác này chỉ áp dụng cho hồ sơ {names}."
        return None
    if action == "withdraw":
        if reviewer and status in REVIEWER_WITHDRAWABLE:
            return None
        if unit_side and status in UNIT_WITHDRAWABLE:
            return None
        if unit_side or reviewer:
            return f"Hồ sơ đang ở trạng thái “{label}” nên không thể rút." + (
                " Đơn vị chỉ rút được hồ sơ trước khi được phê duyệt." if unit_side else ""
            )
        return "Bạn không có quyền rút hồ sơ này."
    return "Thao tác không hợp lệ."


def allowed_actions(user, nomination):
    """[(action, label, style, reason required)] the user may try on this nomination now."""
    return [
        (action, label, style, needs_reason)
        for action, (label, style, needs_reason) in ACTIONS.items()
        if action_refusal(user, nomination, action) is None
        and (action != "override" or nomination.eligibility_report.warnings)
        and (action != "reserve" or nomination.quota_line_id is not None)
    ]
