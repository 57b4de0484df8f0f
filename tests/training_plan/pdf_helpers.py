"""Read PDFs and Word files back in tests: text per page (pdftotext) and page sizes (pypdf)."""

import functools
import io
import shutil
import subprocess
import tempfile

import pytest
from pypdf import PdfReader


@functools.cache
def document_font_missing() -> bool:
    """The documents are set in Liberation Serif 2 (Times New Roman's metrics, with the Vietnamese
    letters) and their tables are sized for it; with a wider fallback font long figures wrap
    inside their cells."""
    if not shutil.which("fc-match"):
        return False  # cannot tell: let the tests say what they find
    found = subprocess.run(
        ["fc-match", "-f", "%{family}", "Liberation Serif:charset=1ea1"],
        capture_output=True,
        text=True,
    ).stdout
    return "Liberation Serif" not in found


def pdf_pages(content: bytes) -> list[str]:
    """The text of every page, whitespace collapsed (pdftotext keeps the reading order and puts
    the page number, at the top of the page, first)."""
    if document_font_missing():
        pytest.fail(
            "Tài liệu PDF dùng phông Liberation Serif 2 (đủ chữ tiếng Việt), máy này chưa có: "
            "apt-get install fonts-liberation2.",
            pytrace=False,
        )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [" ".join(page.split()) for page in pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def pdf_sizes(content: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(content))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def docx_text(content: bytes) -> str:
    """Paragraphs and table cells of a Word file, in order, whitespace collapsed."""
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [paragraph.text for paragraph in cell.paragraphs]
    return " ".join(" ".join(parts).split())


def body(response) -> bytes:
    """The bytes of a (streaming) file response."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
