"""Who reads and saves the versions of a plan.

BTC, SNV, leadership and administrators read every version and compare any two (the meeting
that approves a draft reads the comparison); BTC, who drafts and issues the plan, saves versions.
Units do not read the plan's drafts."""

from training_plan.rules import add_perm, administrator, is_btc, reads_every_unit

add_perm(
    "versions.view_versions",
    reads_every_unit,
    "Chỉ Ban Tổ chức Tỉnh ủy, Sở Nội vụ và lãnh đạo xem các phiên bản kế hoạch.",
)
add_perm(
    "versions.save_version",
    administrator | is_btc,
    "Chỉ Ban Tổ chức Tỉnh ủy được lưu phiên bản kế hoạch.",
)
