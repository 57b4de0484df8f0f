"""The 2021 fixture reproduces the figures and bodies of the source document."""

import pytest
from django.db.models import Sum

from budget.models import BudgetBlock
from courses.models import Course
from quotas.models import QuotaLine
from tests.fixture_2021 import NUMERALS, program
from training_plan.models import Block, LegalDocument, Organisation

pytestmark = pytest.mark.django_db


def test_ii1_quota_lines_sum_to_145(plan_2021):
    ii1 = program("II.1")
    lines = QuotaLine.objects.filter(course__program=ii1).order_by("course__position", "position")
    assert [line.planned_count for line in lines] == [4, 56, 10, 60, 15]
    assert sum(line.planned_count for line in lines) == ii1.quantity == 145
    assert [(line.institution.code, line.study_mode) for line in lines] == [
        ("hvctqg-hcm", "tap_trung"),
        ("hvct-kv3", "tap_trung"),
        ("hvct-kv3", "khong_tap_trung"),
        ("truong-chinh-tri-tinh", "khong_tap_trung"),
        ("hvct-kv3", "khong_tap_trung"),
    ]
    assert lines.last().course.name == "Hoàn chỉnh chương trình cao cấp lý luận chính trị"


def test_ii3_has_460(plan_2021):
    ii3 = program("II.3")
    assert ii3.quantity == 460
    assert ii3.quantity_sentence == "Dự kiến 460 học viên và theo nhu cầu của địa phương"
    total = QuotaLine.objects.filter(course__program=ii3).aggregate(n=Sum("planned_count"))["n"]
    assert total == 460


def test_iii3_seven_courses_sum_to_1410(plan_2021):
    iii3 = program("III.3")
    counts = list(iii3.courses.order_by("position").values_list("quantity", flat=True))
    assert counts == [50, 60, 120, 120, 240, 720, 100]
    assert sum(counts) == iii3.quantity == 1410
    assert iii3.block == Block.STATE


def test_budget_blocks_sum_to_total(plan_2021):
    blocks = {b.block: b.planned_total for b in BudgetBlock.objects.filter(plan=plan_2021)}
    assert blocks == {Block.PARTY: 7_237_406_000, Block.STATE: 3_910_000_000}
    assert sum(blocks.values()) == 11_147_406_000


def test_ii2_has_five_majors_demand_driven(plan_2021):
    ii2 = program("II.2")
    majors = [c.name.removeprefix("Đại học văn bằng hai chuyên ngành ") for c in ii2.courses.all()]
    assert majors == [
        "Chính trị học",
        "Công tác tổ chức",
        "Công tác kiểm tra",
        "Công tác dân vận",
        "Công tác tôn giáo",
    ]
    assert ii2.is_demand_driven
    assert not QuotaLine.objects.filter(course__program=ii2).exists()


def test_iii2_has_three_courses(plan_2021):
    iii2 = program("III.2")
    assert iii2.courses.count() == 3
    assert iii2.courses.first().name == (
        "Bồi dưỡng cập nhật kiến thức cho lãnh đạo các ban đảng cấp tỉnh"
    )
    assert iii2.is_demand_driven


@pytest.mark.parametrize(
    "section,position,directing,implementing,institutions",
    [
        (2, 1, "btv-tinh-uy", "btc-tinh-uy", ["hvctqg-hcm", "hvct-kv3"]),
        (2, 2, "btv-tinh-uy", "btc-tinh-uy", ["hvctqg-hcm"]),
        (2, 3, "btv-tinh-uy", "btv-cap-huyen", ["truong-chinh-tri-tinh"]),
        (2, 4, "btv-tinh-uy", "btc-tinh-uy", ["hvctqg-hcm", "hvct-kv3", "co-so-giao-duc-khac"]),
        (
            3,
            1,
            "btv-tinh-uy",
            "btc-tinh-uy",
            ["hv-quoc-phong", "quan-khu-5", "truong-quan-su-tinh"],
        ),
        (3, 2, "btv-tinh-uy", "btc-tinh-uy", ["hvctqg-hcm", "hvct-kv3", "hv-bao-chi"]),
        (3, 3, "bcsd-ubnd-tinh", "so-noi-vu", ["co-so-dao-tao-lien-quan"]),
    ],
)
def test_program_bodies_and_institutions(
    plan_2021, section, position, directing, implementing, institutions
):
    p = program(f"{NUMERALS[section]}.{position}")
    assert p.directing_body.code == directing
    assert p.implementing_body.code == implementing
    assert [link.institution.code for link in p.institution_links.order_by("position")] == (
        institutions
    )


def test_institutions_phrase_reads_like_the_source(plan_2021):
    assert program("II.4").institutions_phrase == (
        "Học viện Chính trị Quốc gia Hồ Chí Minh, Học viện Chính trị khu vực III "
        "và các cơ sở giáo dục khác"
    )


def test_legal_documents_cited(plan_2021):
    numbers = set(LegalDocument.objects.values_list("number", flat=True))
    assert {
        "4741-CV/BTCTW",
        "928-TB/BTCTW",
        "472-TB/HVCTQG",
        "2252-QĐ/HVCTQG",
        "101/2017/NĐ-CP",
        "90/HD-HĐGDQPAN",
        "04/2019/NQ-HĐND",
    } <= numbers
    doc = LegalDocument.objects.get(number="4741-CV/BTCTW")
    assert doc.citation == "Công văn 4741-CV/BTCTW ngày 20/05/2013 của Ban Tổ chức Trung ương"
    assert [d.number for d in program("II.1").legal_documents.order_by("date")] == [
        "4741-CV/BTCTW",
        "928-TB/BTCTW",
        "472-TB/HVCTQG",
    ]


def test_plan_texts_verbatim(plan_2021):
    assert plan_2021.signer_on_behalf == "T/M BAN THƯỜNG VỤ"
    assert plan_2021.signer_title == "PHÓ BÍ THƯ"
    assert plan_2021.signer_name == "Đặng Ngọc Huy"
    assert plan_2021.purpose.startswith("Nhằm nâng cao trình độ lý luận chính trị")
    assert plan_2021.requirements.endswith(
        "Sử dụng kinh phí đào tạo, bồi dưỡng tiết kiệm, hiệu quả."
    )
    recipients = list(plan_2021.recipients.values_list("text", flat=True))
    assert len(recipients) == 11
    assert recipients[0] == "Ban Tổ chức Trung ương (báo cáo),"
    assert recipients[-1] == "Lưu VPTU."
    responsibilities = list(plan_2021.responsibilities.all())
    assert [r.body.code for r in responsibilities] == [
        "btc-tinh-uy",
        "bcsd-ubnd-tinh",
        "truong-chinh-tri-tinh",
        "btv-cap-huyen",
    ]
    assert [len(r.task_list) for r in responsibilities] == [5, 4, 5, 4]


def test_district_units_of_2021(plan_2021):
    units = set(Organisation.objects.filter(kind="unit").values_list("name", flat=True))
    for district in [
        "Bình Sơn",
        "Sơn Tịnh",
        "Tư Nghĩa",
        "Nghĩa Hành",
        "Mộ Đức",
        "Ba Tơ",
        "Minh Long",
        "Sơn Hà",
        "Sơn Tây",
        "Trà Bồng",
        "Lý Sơn",
    ]:
        assert f"Huyện ủy {district}" in units
    assert {"Thành ủy Quảng Ngãi", "Thị ủy Đức Phổ"} <= units


def test_fixture_loads_twice_without_duplicates(plan_2021):
    from demo.year import load_plan_fixtures

    before = (Course.objects.count(), QuotaLine.objects.count(), Organisation.objects.count())
    load_plan_fixtures()
    assert (Course.objects.count(), QuotaLine.objects.count(), Organisation.objects.count()) == (
        before
    )
