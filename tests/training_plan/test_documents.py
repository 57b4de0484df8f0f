"""The plan as a Party document: PDF (WeasyPrint), the appendix PDF and the Word file, read back
and checked against the source wording and the data."""

import datetime
import io

import docx as python_docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetBlock
from reports import documents
from tests import fixture_2021
from tests.factories import class_with_estimate
from tests.helpers import client_for
from tests.training_plan.pdf_helpers import body, docx_text, pdf_pages, pdf_sizes, pdf_text

pytestmark = pytest.mark.django_db

HEADER_LINES = [
    "TỈNH ỦY QUẢNG NGÃI",
    "*",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Quảng Ngãi, ngày … tháng … năm 2021",
    "KẾ HOẠCH",
    "đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2021",
]
SECTION_HEADINGS = [
    "I. Mục đích, yêu cầu",
    "1. Mục đích",
    "2. Yêu cầu",
    "II. Về công tác đào tạo",
    "1. Đào tạo Cao cấp lý luận chính trị và Hoàn chỉnh chương trình cao cấp lý luận chính trị",
    "2. Đào tạo Đại học (văn bằng hai) các chuyên ngành: Chính trị học; Công tác tổ chức; "
    "Công tác kiểm tra; Công tác dân vận; Công tác tôn giáo",
    "3. Đào tạo Trung cấp lý luận chính trị - hành chính",
    "4. Đào tạo sau đại học",
    "III. Về công tác bồi dưỡng",
    "1. Bồi dưỡng kiến thức Quốc phòng - An ninh đối tượng",
    "2. Các lớp bồi dưỡng công tác xây dựng Đảng",
    "3. Các lớp bồi dưỡng quản lý Nhà nước",
    "IV. Kinh phí đào tạo, bồi dưỡng",
    "V. Tổ chức thực hiện",
    "1. Ban Tổ chức Tỉnh ủy",
    "2. Ban cán sự Đảng Ủy ban nhân dân tỉnh",
    "3. Trường Chính trị tỉnh",
    "4. Ban Thường vụ các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
    "Nơi nhận:",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ",
    "Đặng Ngọc Huy",
]
# Each figure of the source in its sentence, so that “4” means the four HVCTQG seats.
FIGURES = [
    "Theo phân bổ của Học viện Chính trị Quốc gia Hồ Chí Minh cho tỉnh, dự kiến 145 chỉ tiêu.",
    "hệ tập trung tại Học viện Chính trị Quốc gia Hồ Chí Minh: Dự kiến 4 chỉ tiêu.",
    "hệ tập trung tại Học viện Chính trị khu vực III: Dự kiến 56 chỉ tiêu.",
    "hệ không tập trung tại Học viện Chính trị khu vực III: Dự kiến 10 chỉ tiêu.",
    "hệ không tập trung tại Trường Chính trị tỉnh: Dự kiến 60 chỉ tiêu.",
    "Hoàn chỉnh chương trình cao cấp lý luận chính trị, hệ không tập trung tại Học viện Chính "
    "trị khu vực III: Dự kiến 15 chỉ tiêu.",
    "Dự kiến 460 học viên và theo nhu cầu của địa phương.",
    "Số lượng bồi dưỡng khoảng 50 đồng chí.",
    "Số lượng bồi dưỡng khoảng 60 đồng chí.",
    "Số lượng bồi dưỡng khoảng 120 đồng chí.",
    "Số lượng bồi dưỡng khoảng 240 đồng chí.",
    "Số lượng bồi dưỡng khoảng 720 đồng chí.",
    "Số lượng bồi dưỡng khoảng 100 đồng chí.",
    "Dự kiến kinh phí mở các lớp theo kế hoạch này: 11.147.406.000 đồng",
    "Khối Đảng, Mặt trận, đoàn thể: 7.237.406.000 đồng.",
    "Khối Nhà nước: 3.910.000.000 đồng.",
    "Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng",
]


def test_plan_pdf_reads_like_the_source_document(plan_2021):
    pdf = documents.plan_pdf(2021)
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    first = pages[0]
    for line in HEADER_LINES:
        assert line in first, line
    # “Số …-KH/TU” without a colon, blank while drafting.
    assert "Số" in first and "-KH/TU" in first
    assert "Số:" not in first
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    for figure in FIGURES:
        assert figure in text, figure
    # Sections in the source's order.
    positions = [text.index(heading) for heading in SECTION_HEADINGS[:4] + SECTION_HEADINGS[8:9]]
    assert positions == sorted(positions)
    assert text.index("IV. Kinh phí") < text.index("V. Tổ chức thực hiện") < text.index("Nơi nhận")


def test_plan_pdf_pages_numbered_from_page_two_and_appendix_landscape(plan_2021):
    class_with_estimate(
        fixture_2021.course("II.3.1"), 7_237_406_000, name="Lớp Trung cấp K45", is_illustrative=True
    )
    pdf = documents.plan_pdf(2021)
    pages = pdf_pages(pdf)
    sizes = pdf_sizes(pdf)
    assert len(pages) > 1
    # Page 1 carries no number; page 2 starts with its number at the top.
    assert not pages[0].startswith("1 ")
    assert pages[1].split()[0] == "2"
    assert pages[2].split()[0] == "3"
    # The body is A4 portrait, the appendix A4 landscape and comes last.
    assert sizes[0] == pytest.approx((595.28, 841.89), abs=0.5)
    appendix_pages = [i for i, page in enumerate(pages) if "PHỤ LỤC" in page]
    assert appendix_pages, "the appendix follows the plan"
    first_appendix = appendix_pages[0]
    assert all(width > height for width, height in sizes[first_appendix:])
    assert all(width < height for width, height in sizes[:first_appendix])
    appendix = " ".join(pages[first_appendix:])
    assert "CÁC LỚP ĐÀO TẠO, BỒI DƯỠNG VÀ NGUỒN KINH PHÍ" in appendix
    assert "Lớp Trung cấp K45" in appendix
    assert "Cộng Khối Đảng, Mặt trận, đoàn thể" in appendix
    assert "Tổng cộng" in appendix
    assert "Minh họa (*)" in appendix


def test_plan_pdf_changes_with_the_data(plan_2021):
    before = pdf_text(documents.plan_pdf(2021))
    assert "Hồ Chí Minh: Dự kiến 4 chỉ tiêu" in before
    line = fixture_2021.line("II.1.1-1")  # at Học viện Chính trị quốc gia Hồ Chí Minh
    line.planned_count = 7
    line.save()
    block = BudgetBlock.objects.get(plan=plan_2021, block="state")
    block.planned_total = 3_910_000_001
    block.save()
    plan_2021.number = "25-KH/TU"
    plan_2021.issue_date = datetime.date(2021, 1, 5)
    plan_2021.save()
    after = pdf_text(documents.plan_pdf(2021))
    assert "Hồ Chí Minh: Dự kiến 7 chỉ tiêu" in after
    assert "Hồ Chí Minh: Dự kiến 4 chỉ tiêu" not in after
    assert "Khối Nhà nước: 3.910.000.001 đồng" in after
    assert "11.147.406.001 đồng" in after
    assert "bốn trăm linh sáu nghìn không trăm linh một đồng" in after
    assert "Số 25-KH/TU" in after
    assert "Quảng Ngãi, ngày 05 tháng 01 năm 2021" in after


def test_document_context_query_count_does_not_grow(
    without_appendix_classes, plan_2021, django_assert_num_queries
):
    class_with_estimate(fixture_2021.course("II.3.1"), 1_000, name="Lớp 1")
    with CaptureQueriesContext(connection) as small:
        context = documents.plan_document_context(2021)
        assert context["appendix"].row_count == 1
    for index in range(6):
        class_with_estimate(fixture_2021.course(f"III.3.{1 + index}"), 1_000, name=f"Lớp {index}")
    with django_assert_num_queries(len(small.captured_queries)):
        context = documents.plan_document_context(2021)
        assert context["appendix"].row_count == 7


def test_number_line_accepts_number_with_or_without_prefix(plan_2021):
    assert documents.number_line(plan_2021) == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-KH/TU"
    plan_2021.number = "Số 25-KH/TU"
    assert documents.number_line(plan_2021) == "Số 25-KH/TU"
    plan_2021.number = "25-KH/TU"
    assert documents.number_line(plan_2021) == "Số 25-KH/TU"


def test_appendix_pdf_alone_groups_classes_by_block(without_appendix_classes, plan_2021):
    class_with_estimate(
        fixture_2021.course("II.1.1"), 1_200_000_000, name="Lớp Cao cấp A", is_illustrative=True
    )
    class_with_estimate(fixture_2021.course("III.3.5"), 860_000_000, name="Lớp Chuyên viên B")
    pdf = documents.appendix_pdf(2021)
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert all(width > height for width, height in pdf_sizes(pdf))
    assert "TỈNH ỦY QUẢNG NGÃI" in pages[0] and "PHỤ LỤC" in pages[0]
    party = text.index("Khối Đảng, Mặt trận, đoàn thể")
    state = text.index("Khối Nhà nước")
    assert party < text.index("Lớp Cao cấp A") < state < text.index("Lớp Chuyên viên B")
    assert "1.200.000.000" in text and "860.000.000" in text
    assert "Tổng cộng" in text and "2.060.000.000" in text
    # The block totals of section IV next to the classes, and the difference named.
    assert "7.237.406.000" in text and "3.910.000.000" in text
    assert "Chênh lệch" in text
    assert "Hai tỷ không trăm sáu mươi triệu đồng" in text


def test_docx_has_the_same_headings_and_figures(plan_2021):
    class_with_estimate(fixture_2021.course("II.3.1"), 7_237_406_000, name="Lớp Trung cấp K45")
    content = documents.plan_docx(2021)
    text = docx_text(content)
    for line in HEADER_LINES:
        assert line in text, line
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    for figure in FIGURES:
        assert figure in text, figure
    assert "PHỤ LỤC" in text and "Lớp Trung cấp K45" in text and "Tổng cộng" in text
    document = python_docx.Document(io.BytesIO(content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    body_section, appendix_section = document.sections
    assert body_section.page_height > body_section.page_width
    assert appendix_section.page_width > appendix_section.page_height
    assert body_section.different_first_page_header_footer
    assert "PAGE" in body_section.header._element.xml


@pytest.mark.parametrize(
    "name, content_type, filename",
    [
        ("plan_document_pdf", "application/pdf", "ke-hoach-2021.pdf"),
        ("plan_appendix_pdf", "application/pdf", "phu-luc-kinh-phi-2021.pdf"),
        (
            "plan_document_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "ke-hoach-2021.docx",
        ),
    ],
)
def test_document_downloads_are_attachments(client, leader_user, name, content_type, filename):
    response = client_for(client, leader_user).get(reverse(name, args=[2021]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    content = body(response)
    assert content[:4] in (b"%PDF", b"PK\x03\x04")


def test_document_of_unknown_year_is_404(client, btc_user):
    response = client_for(client, btc_user).get(reverse("plan_document_pdf", args=[1999]))
    assert response.status_code == 404
