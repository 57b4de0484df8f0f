"""One hostile workbook posted to the nomination import page, in a process of its own, as a unit
user: `python bench/hostile_upload.py KIND` prints one JSON line with the wall time, the peak
memory above the process's memory before the upload, the status and the message shown.

Run by `bench/run.py` (section "Hostile uploads" of BENCHMARKS.md), once per kind, so that each
peak is that file's own. Kinds: the files of the outside probe (issue 11) — a sheet declaring
A1:XFD1048576 with one value in the last row, one 40 MB cell, 1,7 million shared strings — and a
real 5.000-row file for comparison.
"""

import gc
import io
import json
import os
import re
import sys
import time
import zipfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SHEET_XML = "xl/worksheets/sheet1.xml"


def rss_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak():
    """Forget the peak so far (building the file raised it): Linux's clear_refs, value 5."""
    Path("/proc/self/clear_refs").write_text("5")


def template_workbook(rows=()):
    import openpyxl

    from quotas.imports import HEADERS, SHEET_NAME

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(content, part, change):
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change(data) if item.filename == part else data)
        if part not in source.namelist():
            target.writestr(part, change(b""))
    return buffer.getvalue()


def sparse():
    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", last + b"</sheetData>")

    return patched(template_workbook(), SHEET_XML, change)


def huge_cell():
    def change(xml):
        cell = b'<c r="B2" t="inlineStr"><is><t>' + b"A" * 40_000_000 + b"</t></is></c>"
        return xml.replace(b"</sheetData>", b'<row r="2">' + cell + b"</row></sheetData>")

    return patched(template_workbook(), SHEET_XML, change)


def shared_strings():
    count = 1_700_000
    items = b"".join(b"<si><t>%d</t></si>" % n for n in range(count))
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + items
        + b"</sst>"
    )
    return patched(template_workbook(), "xl/sharedStrings.xml", lambda _: table)


def real_rows():
    rows = [
        [n, f"Nguyễn Văn Học Viên {n}", "01/01/1980", "", "huyen-uy-binh-son", "II.1.1", "1"]
        for n in range(1, 5001)
    ]
    return template_workbook(rows)


KINDS = {
    "sparse A1:XFD1048576": sparse,
    "one 40 MB cell": huge_cell,
    "1,7 M shared strings": shared_strings,
    "real 5.000 rows (not hostile)": real_rows,
}


def main(kind):
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from training_plan.models import User

    content = KINDS[kind]()
    gc.collect()
    client = Client(HTTP_HOST=os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0])
    client.force_login(User.objects.get(username="binhson"))
    client.get(reverse("nomination_import"))  # the page once: imports and templates loaded
    reset_peak()
    before = rss_kb("VmRSS")
    start = time.monotonic()
    response = client.post(
        reverse("nomination_import"),
        {"file": SimpleUploadedFile("danh-sach.xlsx", content)},
    )
    seconds = time.monotonic() - start
    text = response.content.decode()
    if os.environ.get("BENCH_DUMP"):
        Path("/tmp/hostile.html").write_text(text)
    message = re.search(r'class="invalid-feedback"[^>]*>(.*?)</div>', text, re.S)
    print(
        json.dumps(
            {
                "kind": kind,
                "bytes": len(content),
                "status": response.status_code,
                "seconds": round(seconds, 3),
                "extra_mb": round((rss_kb("VmHWM") - before) / 1024, 1),
                "page_kb": round(len(text) / 1024),
                "message": re.sub(r"<[^>]+>|\s+", " ", message.group(1)).strip()[:160]
                if message
                else "",
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
