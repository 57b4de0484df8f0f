"""Who may do what in the needs round: the one place these rules are written.

BTC opens the round of the Party block and SNV the round of the State block, and each accepts or
returns the registers of its round. A unit enters, saves and submits its own register (both
blocks) and never sees another unit's (404 through `UnitNeeds.objects.visible_to`). Leadership
reads the rounds and the consolidation, changes nothing. Only BTC builds the draft plan from the
accepted needs (it drafts the plan: `reports.copy_plan`).
"""

import rules

from training_plan.rules import (
    add_perm,
    administrator,
    in_own_unit,
    is_btc,
    is_unit,
    manages_block,
    own_unit_alive_in,
    reads_every_unit,
    reads_own_unit,
)


def _block(obj):
    """The block of a round or register, or a block value itself."""
    return getattr(obj, "block", obj)


@rules.predicate
def manages_round(user, obj):
    """The block's manager (BTC Party, SNV State); without an object: some block."""
    return manages_block(user, None if obj is None else _block(obj))


@rules.predicate
def enters_needs(user, register):
    """The register's own unit (administrators too); without one: some unit."""
    if administrator(user):
        return True
    if register is None:
        return is_unit(user)
    return (
        is_unit(user)
        and in_own_unit(user, register)
        and own_unit_alive_in(user, register.round.year)
    )


@rules.predicate
def reads_needs(user, register):
    if reads_every_unit(user):
        return True
    return reads_own_unit(user) and (register is None or in_own_unit(user, register))


add_perm("needs.view_round", reads_every_unit | reads_own_unit)
add_perm(
    "needs.open_round",
    manages_round,
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) được mở đợt đăng ký nhu cầu.",
)
add_perm(
    "needs.view_consolidation",
    reads_every_unit,
    "Chỉ Ban Tổ chức Tỉnh ủy, Sở Nội vụ và lãnh đạo xem bảng tổng hợp nhu cầu.",
)
add_perm("needs.view_register", reads_needs)
add_perm(
    "needs.change_register",
    enters_needs,
    "Chỉ đơn vị đăng ký được nhập, sửa và gửi nhu cầu của mình.",
)
add_perm(
    "needs.review_register",
    manages_round,
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) tiếp nhận hoặc trả lại "
    "nhu cầu đăng ký.",
)
add_perm(
    "needs.build_draft",
    administrator | is_btc,
    "Chỉ Ban Tổ chức Tỉnh ủy được lập dự thảo kế hoạch từ nhu cầu đăng ký.",
)
