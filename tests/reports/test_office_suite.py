"""The Word files and workbooks opened in a real office suite: LibreOffice converts them to PDF
(`soffice --headless --convert-to pdf`, a throw-away profile) and the PDFs are read back. CI
installs LibreOffice (.ci/run); a machine without it skips these tests and says why."""

import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from courses.models import TrainingClass
from reports import documents, exports
from tests import fixture_2021
from tests.factories import learners
from tests.fixture_2021 import BINH_SON
from tests.helpers import client_for, download_via_job
from tests.training_plan.pdf_helpers import body, pdf_pages, pdf_sizes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) chưa được cài: apt-get install libreoffice-writer-nogui "
        "libreoffice-calc-nogui",
    ),
]


def to_pdf(content: bytes, suffix: str) -> bytes:
    """The file as LibreOffice prints it."""
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / f"document{suffix}"
        source.write_bytes(content)
        profile = f"file:///tmp/lo-profile-{uuid.uuid4().hex}"
        try:
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    directory,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
        finally:
            shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
        return (Path(directory) / "document.pdf").read_bytes()


def layout_pages(content: bytes) -> list[list[str]]:
    """The non-empty lines of every page as pdftotext -layout sets them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [[line for line in page.splitlines() if line.strip()] for page in pages]


@pytest.fixture(scope="module")
def plan_files(django_db_blocker, django_db_setup):
    from django.db import transaction

    # Rolled back: the rendered PDF kept in the document store must not outlive the module.
    with django_db_blocker.unblock(), transaction.atomic():
        pdf = documents.plan_pdf(2021)
        word = documents.plan_docx(2021)
        transaction.set_rollback(True)
    return {"pdf": pdf, "word": word, "word.pdf": to_pdf(word, ".docx")}


def test_word_plan_has_the_pdf_plan_pages(plan_files):
    pdf, word = plan_files["pdf"], plan_files["word.pdf"]
    assert len(pdf_sizes(word)) == len(pdf_sizes(pdf))
    # The same pages portrait and landscape: the appendix on its own landscape pages.
    orientation = [[w > h for w, h in pdf_sizes(content)] for content in (pdf, word)]
    assert orientation[0] == orientation[1]


def plan_text(content):
    """The plan's text before its appendix, without page numbers and without spaces (Word and
    WeasyPrint wrap lines at other places; the words and their order must be the same)."""
    pages = pdf_pages(content)
    text = " ".join(
        page.removeprefix(f"{number} ") if number > 1 else page
        for number, page in enumerate(pages, start=1)
    )
    return "".join(text.split()).split("PHỤLỤC")[0]


def test_word_plan_has_the_pdf_plan_text(plan_files):
    word, pdf = plan_text(plan_files["word.pdf"]), plan_text(plan_files["pdf"])
    assert len(pdf) > 10_000
    assert word == pdf


def test_no_word_page_holds_only_a_heading_or_a_line(plan_files):
    for number, lines in enumerate(layout_pages(plan_files["word.pdf"]), start=1):
        text_lines = [line for line in lines if line.strip() != str(number)]
        assert len(text_lines) >= 3, (number, text_lines)


def test_word_appendix_table_keeps_its_columns(plan_files):
    """Every class's row is one line of the table: TT, class, institution, learners, period,
    amount, source and note side by side, the header repeated on every appendix page."""
    pages = layout_pages(plan_files["word.pdf"])
    sizes = pdf_sizes(plan_files["word.pdf"])
    appendix_pages = [lines for lines, (w, h) in zip(pages, sizes, strict=True) if w > h]
    assert len(appendix_pages) >= 2
    for lines in appendix_pages:
        assert any("Lớp đào tạo, bồi dưỡng" in line and "Cơ sở đào tạo" in line for line in lines)
    text = "\n".join(line for lines in appendix_pages for line in lines)
    row = next(line for line in text.splitlines() if "hành chính, lớp 1" in line)
    assert row.split()[0] == "6"
    for cell in ("Trường Chính trị", "115", "08/03/2021", "835.973.000", "Ngân sách", "Minh họa"):
        assert cell in row, (cell, row)


def test_class_list_workbook_prints_on_one_page_wide(client, btc_user, plan_2021):
    training_class = TrainingClass.objects.filter(course=fixture_2021.course("II.3.1")).first()
    learners(training_class, fixture_2021.unit(BINH_SON), 12)
    response = client_for(client, btc_user).get(
        reverse("class_learners_xlsx", args=[training_class.pk])
    )
    printed = to_pdf(body(response), ".xlsx")
    pages = layout_pages(printed)
    # The list on one page with every column (and the class's information sheet on another),
    # not six portrait pages with the columns split.
    assert len(pages) <= 2, [page[:3] for page in pages]
    first = " ".join(pages[0])
    for header in ("Họ và tên", "Ngày sinh", "Đơn vị", "Kết quả"):
        assert header in first
    assert "Học Viên Thứ 0011" in first


def test_plan_workbook_prints_in_few_pages(client, btc_user, plan_2021):
    response = download_via_job(
        client_for(client, btc_user), reverse("plan_workbook_xlsx", args=[2021])
    )
    printed = to_pdf(body(response), ".xlsx")
    pages = layout_pages(printed)
    assert len(pages) <= 12, len(pages)
    # Page numbers in the footer, the header row again on a sheet's later pages.
    assert all(any(line.strip().startswith("Trang ") for line in page) for page in pages)


def test_appendix_sheet_shows_its_check_values(plan_2021):
    with exports.write_xlsx([exports.AppendixExporter(plan_2021)]) as handle:
        printed = to_pdf(handle.read(), ".xlsx")
    text = " ".join(pdf_pages(printed))
    assert "11.147.406.000" in text or "11,147,406,000" in text


# ---- The workflow's documents (công văn, quyết định, báo cáo) ---------------------------------


def issued_files(client, users):
    """Bình Sơn's letter for two people of Cao cấp LLCT, BTC's decision for the approved one,
    BTC's results report: each issued document's PDF and its Word file as LibreOffice prints it."""
    from quotas.models import Nomination
    from reports import issuing
    from reports.models import IssuedDocument
    from tests.factories import NominationFactory
    from tests.helpers import download_via_job

    unit_user, btc_user = users
    line = fixture_2021.line(fixture_2021.CAO_CAP)
    binh_son = fixture_2021.unit(BINH_SON)
    for status in (Nomination.Status.SUBMITTED, Nomination.Status.APPROVED):
        NominationFactory(unit=binh_son, course=line.course, quota_line=line, status=status)
    signer = {"signer_title": "PHÓ BÍ THƯ", "signer_name": "Nguyễn Văn Ký"}
    issuing.issue_letter(actor=unit_user, unit=binh_son, course=line.course, signer=signer)
    signer = {"signer_title": "TRƯỞNG BAN", "signer_name": "Võ Văn Ban"}
    issuing.issue_decision(actor=btc_user, course=line.course, signer=signer)
    client_for(client, btc_user)
    download_via_job(client, reverse("plan_results_pdf", args=[2021]))
    return {
        document.kind: (bytes(document.pdf), to_pdf(issuing.issued_docx(document), ".docx"))
        for document in IssuedDocument.objects.all()
    }


def words(content):
    """The words of the document in order, page numbers and spaces left out."""
    pages = pdf_pages(content)
    text = " ".join(
        page.removeprefix(f"{number} ") if number > 1 else page
        for number, page in enumerate(pages, start=1)
    )
    return "".join(text.split())


def test_word_letters_decisions_and_report_print_as_their_pdfs(
    client, unit_a_user, btc_user, without_appendix_classes
):
    files = issued_files(client, (unit_a_user, btc_user))
    assert set(files) == {"cong_van_cu_di_hoc", "quyet_dinh_cu_di_hoc", "bao_cao_ket_qua"}
    for kind, (pdf, word) in files.items():
        # Same pages, portrait and landscape alike: the document, then its annex on its own page.
        orientation = [[w > h for w, h in pdf_sizes(content)] for content in (pdf, word)]
        assert orientation[0] == orientation[1], kind
        first_pdf, first_word = pdf_pages(pdf)[0], pdf_pages(word)[0]
        for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận:"):
            assert expected in first_pdf and expected in first_word, (kind, expected)
        assert len(words(word)) > 500
        # The same words in the same order after the heading (whose two columns the readers
        # may take in another order) and the same heading words.
        date = re.search(r"ngày\d\dtháng\d\dnăm\d{4}", words(pdf))[0]
        head_word, body_word = words(word).split(date, 1)
        head_pdf, body_pdf = words(pdf).split(date, 1)
        # The text word for word up to the annex; in the annex's tables the readers take the
        # cells of a wrapped header in another order: the same characters.
        annex = re.compile("DANHSÁCH|PHỤLỤC")
        assert annex.split(body_word)[0] == annex.split(body_pdf)[0], kind
        assert sorted(body_word) == sorted(body_pdf), kind
        assert sorted(head_word) == sorted(head_pdf), kind
        for lines in layout_pages(word):
            assert len(lines) >= 3, (kind, lines)  # no page holds only a heading or a line
    letter_pdf, letter_word = files["cong_van_cu_di_hoc"]
    for text in (pdf_pages(letter_pdf)[1], pdf_pages(letter_word)[1]):
        assert "DANH SÁCH TRÍCH NGANG" in text and "Chuyên viên" in text
    report_word = " ".join(pdf_pages(files["bao_cao_ket_qua"][1]))
    assert "BÁO CÁO" in report_word and "5. Kết quả theo lớp" in report_word
