"""The workflow's own documents (issue 14, item 5): the unit's letter sending its people to a
course, the block manager's decision sending the approved people, the year-end results report;
each in its issuing body's format, numbered per body, kind and year, read back from the files."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse

from quotas.models import Nomination
from reports import issuing, official
from reports.models import DocumentCounter, DocumentKind, IssuedDocument
from tests import fixture_2021
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH
from tests.helpers import client_for, download_via_job, page_text
from tests.training_plan.pdf_helpers import body, pdf_pages, pdf_sizes, pdf_text
from training_plan.models import DownloadLog, Person

pytestmark = pytest.mark.django_db
S = Nomination.Status
SIGNER = {"signer_on_behalf": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ",
          "signer_name": "Nguyễn Văn Ký"}  # fmt: skip


def docx_text(content):
    """The text of the Word file's body, paragraphs joined by spaces."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    texts = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
    return " ".join(" ".join(texts).split()), xml


@pytest.fixture
def cao_cap_letters(plan_2021):
    """Bình Sơn sent three people to Cao cấp LLCT (one approved), Sơn Tịnh one; a draft and a
    rejected file of Bình Sơn are no part of any letter."""
    line = fixture_2021.line(CAO_CAP)
    binh_son = fixture_2021.unit(BINH_SON)
    first = NominationFactory(
        person=PersonFactory(
            full_name="Trần Thị Bích",
            organisation=binh_son,
            date_of_birth=datetime.date(1984, 3, 7),
            position="Phó Trưởng Ban Tổ chức Huyện ủy",
            professional_level="Cử nhân Luật",
            theory_level=Person.TheoryLevel.INTERMEDIATE,
        ),
        unit=binh_son,
        course=line.course,
        quota_line=line,
        status=S.SUBMITTED,
    )
    others = [
        NominationFactory(unit=binh_son, course=line.course, quota_line=line, status=status)
        for status in (S.VERIFIED, S.APPROVED, S.DRAFT, S.REJECTED)
    ]
    son_tinh = fixture_2021.unit(SON_TINH)
    NominationFactory(unit=son_tinh, course=line.course, quota_line=line, status=S.APPROVED)
    return line.course, [first, *others]


def issue_letter(client, user, course, unit_code=BINH_SON, data=SIGNER):
    client_for(client, user)
    unit = fixture_2021.unit(unit_code)
    url = reverse("course_letter", args=[2021, course.pk, unit.pk])
    return client.post(url, data), url


# ---- The unit's letter -------------------------------------------------------------------------


def test_unit_letter_in_party_format_with_its_list(client, unit_a_user, cao_cap_letters):
    course, (first, *_rest) = cao_cap_letters
    response, url = issue_letter(client, unit_a_user, course)
    assert response.status_code == 302
    document = IssuedDocument.objects.get()
    assert (document.kind, document.number, document.reference, document.people) == (
        DocumentKind.LETTER,
        1,
        "Số 1-CV/HU",
        3,
    )
    assert document.issuer.name == "Huyện ủy Bình Sơn" and document.unit == document.issuer
    today = official.today()

    pdf = body(client.get(reverse("issued_document_pdf", args=[document.pk])))
    assert hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    pages = pdf_pages(pdf)
    assert len(pages) == 2  # the letter, then its list
    letter, annex = pages
    for expected in [
        "ĐẢNG BỘ TỈNH QUẢNG NGÃI",
        "HUYỆN ỦY BÌNH SƠN",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1-CV/HU",
        f"Bình Sơn, ngày {today:%d} tháng {today:%m} năm {today.year}",
        f"V/v cử cán bộ đi học {course.name}",
        "Kính gửi: Ban Tổ chức Tỉnh ủy",
        "Huyện ủy Bình Sơn cử 3 đồng chí (có danh sách trích ngang kèm theo)",
        "Học viện Chính trị khu vực III, tập trung",
        "Nơi nhận:",
        "- Lưu Văn phòng Huyện ủy Bình Sơn.",
        "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ",
        "Nguyễn Văn Ký",
    ]:
        assert expected in letter, expected
    assert "Số:" not in letter  # Party documents: no colon (36-HD/VPTW)
    for expected in [
        "DANH SÁCH TRÍCH NGANG",
        f"(Kèm theo Công văn số 1-CV/HU, ngày {today:%d/%m/%Y} của Huyện ủy Bình Sơn)",
        "Trần Thị Bích 07/03/1984",
        "Phó Trưởng Ban Tổ chức",
        "Cử nhân Luật",
        "Trung cấp",
    ]:
        assert expected in annex, expected
    # Three people: submitted, verified, approved; not the draft, the refused, nor Sơn Tịnh's.
    assert len(re.findall(r"\d{2}/\d{2}/19\d\d", annex)) == 3
    assert "Sơn Tịnh" not in annex

    # The same in Word, with the people's data logged for both files.
    docx = body(client.get(reverse("issued_document_docx", args=[document.pk])))
    text, xml = docx_text(docx)
    for expected in [
        "ĐẢNG BỘ TỈNH QUẢNG NGÃI",
        "HUYỆN ỦY BÌNH SƠN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1-CV/HU",
        "Kính gửi: Ban Tổ chức Tỉnh ủy",
        "DANH SÁCH TRÍCH NGANG",
        "Trần Thị Bích",
        "Nguyễn Văn Ký",
    ]:
        assert expected in text, expected
    assert "<w:tblHeader/>" in xml  # the list's header row repeats on every page
    assert xml.count("<w:sectPr") == 2  # the list on a page of its own
    logged = DownloadLog.objects.filter(username="binhson_test").order_by("id")
    assert [(entry.filters["document"], entry.rows) for entry in logged] == [
        (document.pk, 3),
        (document.pk, 3),
    ]

    # The page lists it; the next letter of the unit is number 2.
    assert "Số 1-CV/HU" in page_text(client.get(url))
    issue_letter(client, unit_a_user, course)
    assert list(IssuedDocument.objects.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_letter_without_people_is_refused_and_nothing_numbered(client, unit_a_user, plan_2021):
    course = fixture_2021.course("II.1.1")
    response, url = issue_letter(client, unit_a_user, course)
    assert response.status_code == 200
    assert "chưa gửi hồ sơ cử cán bộ nào" in page_text(response)
    assert not IssuedDocument.objects.exists()
    assert not DocumentCounter.objects.filter(last_number__gt=0).exists()


def test_letter_needs_the_signer(client, unit_a_user, cao_cap_letters):
    course, _ = cao_cap_letters
    response, _url = issue_letter(client, unit_a_user, course, data={"signer_title": ""})
    assert response.status_code == 200
    assert not IssuedDocument.objects.exists()


def test_another_unit_gets_404_and_readers_cannot_issue(
    client, unit_a_user, unit_b_user, btc_user, leader_user, cao_cap_letters
):
    course, _ = cao_cap_letters
    issue_letter(client, unit_a_user, course)
    document = IssuedDocument.objects.get()
    unit = fixture_2021.unit(BINH_SON)
    url = reverse("course_letter", args=[2021, course.pk, unit.pk])
    client_for(client, unit_b_user)
    assert client.get(url).status_code == 404
    assert client.post(url, SIGNER).status_code == 404
    assert client.get(reverse("issued_document_pdf", args=[document.pk])).status_code == 404
    for reader in (btc_user, leader_user):
        client_for(client, reader)
        assert client.get(url).status_code == 200
        assert client.post(url, SIGNER).status_code == 403
        assert client.get(reverse("issued_document_pdf", args=[document.pk])).status_code == 200
    assert IssuedDocument.objects.count() == 1


# ---- The decision -------------------------------------------------------------------------------


def test_state_decision_by_snv_in_state_format(client, snv_user, btc_user, plan_2021):
    course = fixture_2021.state_course()
    line = course.quota_lines.first()
    for status in (S.APPROVED, S.ENROLLED, S.SUBMITTED):
        NominationFactory(course=course, quota_line=line, status=status)
    url = reverse("course_decision", args=[2021, course.pk])
    client_for(client, btc_user)
    assert client.get(url).status_code == 200  # BTC reads the other block's decisions
    assert client.post(url, SIGNER).status_code == 403
    client_for(client, snv_user)
    response = client.post(url, {"signer_title": "GIÁM ĐỐC", "signer_name": "Lê Văn Sở"})
    assert response.status_code == 302
    document = IssuedDocument.objects.get()
    assert document.reference == "Số: 1/QĐ-SNV" and document.people == 2
    assert document.issuer.name == "Sở Nội vụ"
    pdf = body(client.get(reverse("issued_document_pdf", args=[document.pk])))
    decision, annex = pdf_pages(pdf)
    for expected in [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1/QĐ-SNV",
        "QUYẾT ĐỊNH",
        f"Về việc cử cán bộ đi học {course.name}",
        "GIÁM ĐỐC SỞ NỘI VỤ",
        "QUYẾT ĐỊNH:",
        "Điều 1. Cử 2 đồng chí (có danh sách kèm theo)",
        "Điều 3. Huyện ủy Bình Sơn",
        "- Như Điều 3;",
        "- Lưu: VT.",
        "Lê Văn Sở",
    ]:
        assert expected in decision, expected
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in decision
    assert "(Kèm theo Quyết định số 1/QĐ-SNV" in annex
    assert len(re.findall(r"\d{2}/\d{2}/19\d\d", annex)) == 2
    text, _xml = docx_text(body(client.get(reverse("issued_document_docx", args=[document.pk]))))
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 1/QĐ-SNV", "GIÁM ĐỐC SỞ NỘI VỤ"]:
        assert expected in text, expected


def test_party_decision_cites_the_units_letters(
    client, unit_a_user, btc_user, unit_b_user, cao_cap_letters
):
    course, _ = cao_cap_letters
    issue_letter(client, unit_a_user, course)
    client_for(client, btc_user)
    url = reverse("course_decision", args=[2021, course.pk])
    assert (
        client.post(url, {"signer_title": "TRƯỞNG BAN", "signer_name": "Võ Văn Ban"}).status_code
        == 302
    )
    decision = IssuedDocument.objects.get(kind=DocumentKind.DECISION)
    assert decision.reference == "Số 1-QĐ/BTCTU" and decision.people == 2
    text = pdf_text(bytes(decision.pdf))
    for expected in [
        "TỈNH ỦY QUẢNG NGÃI",
        "BAN TỔ CHỨC",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1-QĐ/BTCTU",
        "BAN TỔ CHỨC TỈNH ỦY",
        "Xét đề nghị của Huyện ủy Bình Sơn tại Công văn số 1-CV/HU",
        "Huyện ủy Bình Sơn, Huyện ủy Sơn Tịnh và các đồng chí có tên tại Điều 1",
    ]:
        assert expected in text, expected
    # Units do not read decisions (they hold every unit's people).
    client_for(client, unit_b_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("issued_document_pdf", args=[decision.pk])).status_code == 404


# ---- Numbering ----------------------------------------------------------------------------------


def test_numbers_per_issuer_kind_and_year_consecutive(plan_2021, unit_a_user, btc_user):
    course = fixture_2021.course("II.1.1")
    binh_son, son_tinh = fixture_2021.unit(BINH_SON), fixture_2021.unit(SON_TINH)
    btc = fixture_2021.unit(fixture_2021.BTC)

    def issue(issuer, kind, day):
        return issuing.issue(
            kind=kind,
            issuer=issuer,
            plan=plan_2021,
            actor=unit_a_user,
            build=lambda number, day: {
                **official.base_payload(
                    organisation=issuer,
                    province="Quảng Ngãi",
                    kind=kind,
                    number=number,
                    day=day,
                    signer={"title": "X", "name": "Y"},
                ),
                "subject": "Thử",
            },
            course=course,
            day=day,
        )

    this_year, next_year = datetime.date(2021, 3, 1), datetime.date(2022, 1, 5)
    issued = [
        issue(binh_son, DocumentKind.LETTER, this_year),
        issue(binh_son, DocumentKind.LETTER, this_year),
        issue(son_tinh, DocumentKind.LETTER, this_year),
        issue(binh_son, DocumentKind.LETTER, this_year),
        issue(btc, DocumentKind.DECISION, this_year),
        issue(btc, DocumentKind.RESULTS, this_year),
        issue(binh_son, DocumentKind.LETTER, next_year),
    ]
    assert [document.reference for document in issued] == [
        "Số 1-CV/HU",
        "Số 2-CV/HU",
        "Số 1-CV/TX" if son_tinh.name.startswith("Thị") else "Số 1-CV/HU",
        "Số 3-CV/HU",
        "Số 1-QĐ/BTCTU",
        "Số 1-BC/BTCTU",
        "Số 1-CV/HU",
    ]
    assert [(document.year, document.number) for document in issued] == [
        (2021, 1), (2021, 2), (2021, 1), (2021, 3), (2021, 1), (2021, 1), (2022, 1),
    ]  # fmt: skip


def test_a_rollback_after_the_number_issues_nothing_and_gives_the_number_back(
    plan_2021, unit_a_user, cao_cap_letters, monkeypatch
):
    course, _ = cao_cap_letters
    unit = fixture_2021.unit(BINH_SON)
    issuing.issue_letter(actor=unit_a_user, unit=unit, course=course, signer=SIGNER)
    rendered = official.official_pdf

    def broken(payload):
        assert payload["number"] == "Số 2-CV/HU"  # the number was taken...
        raise RuntimeError("máy in hỏng")

    monkeypatch.setattr(official, "official_pdf", broken)
    with pytest.raises(RuntimeError):
        issuing.issue_letter(actor=unit_a_user, unit=unit, course=course, signer=SIGNER)
    # ...and given back with the document that was never issued.
    assert list(IssuedDocument.objects.values_list("number", flat=True)) == [1]
    assert DocumentCounter.objects.get(issuer=unit).last_number == 1
    monkeypatch.setattr(official, "official_pdf", rendered)
    again = issuing.issue_letter(actor=unit_a_user, unit=unit, course=course, signer=SIGNER)
    assert again.number == 2
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == [1, 2]


# ---- The results report -------------------------------------------------------------------------


def test_results_report_issued_by_btc(client, btc_user, without_appendix_classes):
    client_for(client, btc_user)
    url = reverse("plan_results_pdf", args=[2021])
    pdf = body(download_via_job(client, url))
    document = IssuedDocument.objects.get(kind=DocumentKind.RESULTS)
    assert document.reference == "Số 1-BC/BTCTU"
    assert hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    today = official.today()
    pages = pdf_pages(pdf)
    sizes = pdf_sizes(pdf)
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]  # portrait, then annex
    report = pages[0]
    for expected in [
        "TỈNH ỦY QUẢNG NGÃI",
        "BAN TỔ CHỨC",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1-BC/BTCTU",
        f"Quảng Ngãi, ngày {today:%d} tháng {today:%m} năm {today.year}",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2021",
        f"(Số liệu đến ngày {today:%d/%m/%Y})",
        "1. Chỉ tiêu và cử cán bộ đi học",
        "- Thường trực Tỉnh ủy (báo cáo);",
        "TRƯỞNG BAN",
    ]:
        assert expected in report, expected
    text = " ".join(pages)
    for expected in ["PHỤ LỤC", "1. Kết quả theo khối", "5. Kết quả theo lớp", "605"]:
        assert expected in text, expected
    assert "Khớp" not in text
    # The page lists the issued report; its Word file says the same.
    assert "Số 1-BC/BTCTU" in page_text(client.get(reverse("plan_results", args=[2021])))
    docx, _xml = docx_text(body(client.get(reverse("issued_document_docx", args=[document.pk]))))
    assert "BÁO CÁO" in docx and "Số 1-BC/BTCTU" in docx and "PHỤ LỤC" in docx
    assert not DownloadLog.objects.filter(filename__endswith=".docx").exists()  # no names


def test_leadership_reads_the_report_without_a_number(
    client, leader_user, without_appendix_classes
):
    """Leadership reads a copy of today without a number; nothing is issued. (One worker run
    per test: on PostgreSQL the worker's batch closes the test's connection.)"""
    client_for(client, leader_user)
    url = reverse("plan_results_pdf", args=[2021])
    copy = pdf_pages(body(download_via_job(client, url)))[0]
    assert "BÁO CÁO" in copy and "-BC/BTCTU" in copy and "Số 1-BC" not in copy
    assert not IssuedDocument.objects.exists()
