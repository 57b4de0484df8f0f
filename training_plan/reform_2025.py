"""The 2025 reform of the province as data (SPEC §2 Organisations; legal notes “The province
since 2025”), recorded from the public acts only:

- Nghị quyết 60-NQ/TW (12/04/2025): the provinces merged to 34; the district level ends.
- Nghị quyết 202/2025/QH15 (12/06/2025): Kon Tum and Quảng Ngãi form the new Quảng Ngãi, its
  local government operating from 01/07/2025; the former provinces' bodies work until then.
- Luật Tổ chức chính quyền địa phương (16/06/2025): two levels, province and commune.

The acts do not name the commune and ward Party committees that take over from each district
committee, nor the departments merged: the successors below are illustrations, marked
incomplete (`incomplete_note`) for BTC to complete; nothing is presented as fact that the acts
do not say. Recording is idempotent (codes are natural keys) and changes no plan data: the
units' people, nominations and allocations move only when BTC applies an event
(`reports.reorganisation.reorganisation_apply`).
"""

import datetime

from django.db import transaction

from training_plan.models import (
    Block,
    EventSuccessor,
    LegalDocument,
    Organisation,
    ReorganisationEvent,
)

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2025, 6, 30)

ILLUSTRATIVE = (
    "Tên minh họa: các văn bản công khai đã nhập (Nghị quyết 60-NQ/TW, Nghị quyết "
    "202/2025/QH15, Luật Tổ chức chính quyền địa phương 2025) không nêu tên đảng ủy xã, phường "
    "kế thừa. Ban Tổ chức Tỉnh ủy bổ sung tên, địa bàn và văn bản thành lập."
)

ISSUERS = [
    ("ban-chap-hanh-trung-uong", "Ban Chấp hành Trung ương Đảng"),
    ("quoc-hoi", "Quốc hội"),
]

ACTS = [
    # number, kind, date, issuer code, subject
    (
        "60-NQ/TW",
        LegalDocument.Kind.RESOLUTION,
        datetime.date(2025, 4, 12),
        "ban-chap-hanh-trung-uong",
        "Nghị quyết Hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng: sắp xếp còn 34 đơn vị "
        "hành chính cấp tỉnh; kết thúc hoạt động của cấp huyện.",
    ),
    (
        "202/2025/QH15",
        LegalDocument.Kind.RESOLUTION,
        datetime.date(2025, 6, 12),
        "quoc-hoi",
        "Về việc sắp xếp đơn vị hành chính cấp tỉnh: tỉnh Kon Tum và tỉnh Quảng Ngãi hợp thành "
        "tỉnh Quảng Ngãi (14.832,55 km², 2.161.755 người); chính quyền địa phương của tỉnh mới "
        "hoạt động từ ngày 01/07/2025, cơ quan của các tỉnh cũ hoạt động đến ngày đó.",
    ),
    (
        # The notes give the law's date, not its number: the name stands for it.
        "Tổ chức chính quyền địa phương 2025",
        LegalDocument.Kind.LAW,
        datetime.date(2025, 6, 16),
        "quoc-hoi",
        "Luật Tổ chức chính quyền địa phương: chính quyền địa phương hai cấp, tỉnh và xã "
        "(số hiệu văn bản chưa nhập: Ban Tổ chức Tỉnh ủy bổ sung).",
    ),
]

# The former Kon Tum bodies that joined the new province's (the province's own bodies go on).
KON_TUM = [
    # code, name, kind, block, successor code, act, title, incomplete note
    (
        "tinh-uy-kon-tum",
        "Tỉnh ủy Kon Tum",
        Organisation.Kind.DIRECTING,
        Block.PARTY,
        "tinh-uy",
        "60-NQ/TW",
        "Đảng bộ tỉnh Kon Tum hợp nhất vào Đảng bộ tỉnh Quảng Ngãi",
        "Quyết định của Bộ Chính trị về việc hợp nhất Đảng bộ tỉnh chưa được nhập; căn cứ ghi "
        "tạm là Nghị quyết 60-NQ/TW. Ban Tổ chức Tỉnh ủy bổ sung.",
    ),
    (
        "ubnd-tinh-kon-tum",
        "Ủy ban nhân dân tỉnh Kon Tum",
        Organisation.Kind.DIRECTING,
        Block.STATE,
        "ubnd-tinh",
        "202/2025/QH15",
        "Tỉnh Kon Tum và tỉnh Quảng Ngãi hợp thành tỉnh Quảng Ngãi",
        "Các sở, ban, ngành của hai tỉnh được hợp nhất theo quyết định riêng của cấp có thẩm "
        "quyền, chưa nhập; Ban Tổ chức Tỉnh ủy và Sở Nội vụ bổ sung.",
    ),
]

# District committees split into commune committees; the successors are illustrations, with
# the rule that assigns people (words of their position: the former communes of the district).
SPLITS = {
    "huyen-uy-binh-son": [
        ("dang-uy-xa-minh-hoa-binh-son-1", "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)",
         "Bình Châu, Bình Thạnh", True),
        ("dang-uy-xa-minh-hoa-binh-son-2", "Đảng ủy xã minh họa 2 (địa bàn huyện Bình Sơn cũ)",
         "Bình Long, Bình Hiệp", False),
    ],
    "huyen-uy-son-tinh": [
        ("dang-uy-xa-minh-hoa-son-tinh-1", "Đảng ủy xã minh họa 1 (địa bàn huyện Sơn Tịnh cũ)",
         "Tịnh Phong, Tịnh Thọ", True),
        ("dang-uy-xa-minh-hoa-son-tinh-2", "Đảng ủy xã minh họa 2 (địa bàn huyện Sơn Tịnh cũ)",
         "Tịnh Hà, Tịnh Sơn", False),
    ],
}  # fmt: skip

# The other district-level bodies of 2021 end on the same day; their successors are not named by
# the acts and are left for BTC.
OTHER_DISTRICT_BODIES = [
    "thanh-uy-quang-ngai",
    "thi-uy-duc-pho",
    "huyen-uy-tu-nghia",
    "huyen-uy-nghia-hanh",
    "huyen-uy-mo-duc",
    "huyen-uy-ba-to",
    "huyen-uy-minh-long",
    "huyen-uy-son-ha",
    "huyen-uy-son-tay",
    "huyen-uy-tra-bong",
    "huyen-uy-ly-son",
    "btv-cap-huyen",
]


def _org(code, **fields):
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        return Organisation.objects.create(code=code, **fields)
    return org


def _event(title, *, kind, basis, predecessors, successors=(), note="", incomplete_note=""):
    """The event named `title` on the reform date, created once; predecessors end the day
    before (the tree every date-aware list reads)."""
    event, _ = ReorganisationEvent.objects.get_or_create(
        title=title,
        effective_date=REFORM_DATE,
        defaults={
            "kind": kind,
            "basis": basis,
            "note": note,
            "incomplete_note": incomplete_note,
        },
    )
    event.predecessors.add(*predecessors)
    for org, is_main, words in successors:
        EventSuccessor.objects.get_or_create(
            event=event, organisation=org, defaults={"is_main": is_main, "match_words": words}
        )
    for org in predecessors:
        if org.valid_to is None:
            org.valid_to = LAST_DAY
            org.save()
    return event


@transaction.atomic
def reform_2025_record():
    """Record the acts, the bodies and the events of 01/07/2025; returns the events. Needs the
    2021 organisations (the plan fixture)."""
    issuers = {
        code: _org(
            code,
            name=name,
            kind=Organisation.Kind.ISSUER,
            level=Organisation.Level.CENTRAL,
        )
        for code, name in ISSUERS
    }
    acts = {}
    for number, kind, date, issuer, subject in ACTS:
        acts[number], _ = LegalDocument.objects.get_or_create(
            number=number,
            defaults={"kind": kind, "date": date, "issuer": issuers[issuer], "subject": subject},
        )
    events = []
    for code, name, kind, block, successor, act, title, incomplete in KON_TUM:
        body = _org(
            code,
            name=name,
            kind=kind,
            level=Organisation.Level.PROVINCE,
            block=block,
            valid_to=LAST_DAY,
        )
        events.append(
            _event(
                title,
                kind=ReorganisationEvent.Kind.MERGE,
                basis=acts[act],
                predecessors=[body],
                successors=[(Organisation.objects.get(code=successor), True, "")],
                incomplete_note=incomplete,
            )
        )
    province_party = Organisation.objects.get(code="tinh-uy")
    for district_code, successors in SPLITS.items():
        district = Organisation.objects.get(code=district_code)
        links = []
        for code, name, words, main in successors:
            commune = _org(
                code,
                name=name,
                kind=Organisation.Kind.UNIT,
                level=Organisation.Level.COMMUNE,
                block=Block.PARTY,
                parent=province_party,
                valid_from=REFORM_DATE,
                incomplete_note=ILLUSTRATIVE,
            )
            links.append((commune, main, words))
        events.append(
            _event(
                f"Kết thúc hoạt động {district.name}; tổ chức đảng chuyển về các đảng ủy xã",
                kind=ReorganisationEvent.Kind.SPLIT,
                basis=acts["60-NQ/TW"],
                predecessors=[district],
                successors=links,
                note="Cấp huyện kết thúc hoạt động từ ngày 01/07/2025 (Nghị quyết 60-NQ/TW; "
                "Luật Tổ chức chính quyền địa phương 2025: chính quyền hai cấp).",
                incomplete_note=ILLUSTRATIVE,
            )
        )
    events.append(
        _event(
            "Kết thúc hoạt động các huyện ủy, thị ủy, thành ủy còn lại",
            kind=ReorganisationEvent.Kind.DISSOLVE,
            basis=acts["60-NQ/TW"],
            predecessors=list(Organisation.objects.filter(code__in=OTHER_DISTRICT_BODIES)),
            note="Cấp huyện kết thúc hoạt động từ ngày 01/07/2025 (Nghị quyết 60-NQ/TW; "
            "Luật Tổ chức chính quyền địa phương 2025).",
            incomplete_note="Các đảng ủy xã, phường, đặc khu kế thừa từng huyện chưa nhập: các "
            "văn bản công khai đã nhập không nêu tên. Ban Tổ chức Tỉnh ủy bổ sung đơn vị kế thừa "
            "trước khi áp dụng.",
        )
    )
    return events
