"""Rendered plan PDFs are kept (RenderedDocument, keyed by the SHA-256 of their HTML): a download of
an unchanged document is served without WeasyPrint, a change of the data renders again, the
store stays bounded, and the download log and the units' scopes are unaffected."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import documents
from tests import fixture_2021
from tests.factories import NominationFactory, PersonFactory, class_with_estimate
from tests.helpers import client_for
from tests.training_plan.pdf_helpers import body, pdf_text
from training_plan.models import DownloadLog, RenderedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every WeasyPrint render, counted; the real renderer still runs."""
    from weasyprint import HTML

    calls = []
    real_write_pdf = HTML.write_pdf

    def counting_write_pdf(self, *args, **kwargs):
        calls.append(self)
        return real_write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counting_write_pdf)
    return calls


def download(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return body(response)


def test_second_download_of_the_plan_pdf_is_served_without_rendering(client, btc_user, renders):
    client = client_for(client, btc_user)
    first = download(client, "plan_document_pdf", 2021)
    assert len(renders) == 1
    with CaptureQueriesContext(connection) as queries:
        second = download(client, "plan_document_pdf", 2021)
    assert len(renders) == 1
    assert second == first
    assert first.startswith(b"%PDF-")
    assert RenderedDocument.objects.count() == 1
    stored = [q["sql"] for q in queries if "rendereddocument" in q["sql"].lower()]
    assert len(stored) == 1 and stored[0].lstrip().upper().startswith("SELECT")

    # The appendix is another document of the same data: rendered once, then served.
    appendix = download(client, "plan_appendix_pdf", 2021)
    assert download(client, "plan_appendix_pdf", 2021) == appendix
    assert len(renders) == 2
    assert appendix != first
    assert RenderedDocument.objects.count() == 2


def test_a_change_of_the_plan_renders_again(client, btc_user, plan_2021, renders):
    client = client_for(client, btc_user)
    first = download(client, "plan_document_pdf", 2021)

    section = plan_2021.sections.get(position=2)
    section.title = "Về công tác đào tạo cán bộ"
    section.save()
    second = download(client, "plan_document_pdf", 2021)
    assert len(renders) == 2
    assert second != first
    assert "II. Về công tác đào tạo cán bộ" in pdf_text(second)

    line = fixture_2021.line("II.1.1-1")  # at Học viện Chính trị quốc gia Hồ Chí Minh
    line.planned_count = 7
    line.save()
    third = download(client, "plan_document_pdf", 2021)
    assert len(renders) == 3
    assert third not in (first, second)
    text = pdf_text(third)
    assert "Hồ Chí Minh: Dự kiến 7 chỉ tiêu" in text
    assert "Hồ Chí Minh: Dự kiến 4 chỉ tiêu" not in text

    # Unchanged since: served again without rendering.
    assert download(client, "plan_document_pdf", 2021) == third
    assert len(renders) == 3


def test_the_store_stays_bounded(plan_2021, monkeypatch, renders):
    monkeypatch.setattr(documents, "STORE_MAX_ENTRIES", 3)
    now = timezone.now()

    def stored(name, age):
        entry = RenderedDocument.objects.create(
            key=name.ljust(64, "0"), kind="documents/plan.html", content=b"%PDF-old"
        )
        RenderedDocument.objects.filter(pk=entry.pk).update(created_at=now - age)
        return entry.key

    too_old = stored("a", documents.STORE_MAX_AGE + datetime.timedelta(hours=1))
    oldest, middle, newest = (stored(name, datetime.timedelta(hours=h)) for name, h in
                              (("b", 3), ("c", 2), ("d", 1)))  # fmt: skip

    pdf = documents.plan_pdf(2021)
    assert len(renders) == 1
    keys = set(RenderedDocument.objects.values_list("key", flat=True))
    assert len(keys) == 3
    assert too_old not in keys and oldest not in keys
    assert {middle, newest} <= keys
    (fresh,) = keys - {middle, newest}
    assert bytes(RenderedDocument.objects.get(key=fresh).content) == pdf

    # An evicted document is rendered again when asked for.
    monkeypatch.setattr(documents, "STORE_MAX_ENTRIES", 1)
    documents.appendix_pdf(2021)
    assert RenderedDocument.objects.get().kind == "documents/appendix.html"
    again = documents.plan_pdf(2021)
    assert len(renders) == 3
    # The same document, though not always the same bytes (a font subset made by fontTools
    # carries the time it was made).
    assert pdf_text(again) == pdf_text(pdf)


def test_a_document_stored_meanwhile_by_another_server_is_kept(plan_2021):
    key = "f" * 64
    documents.store(key, "documents/plan.html", b"%PDF-from-the-other-server")
    # Our render of the same HTML finishes later: the unique key refuses it, quietly.
    documents.store(key, "documents/plan.html", b"%PDF-ours")
    assert [bytes(c) for c in RenderedDocument.objects.values_list("content", flat=True)] == [
        b"%PDF-from-the-other-server"
    ]


@pytest.fixture
def class_of_two_units(plan_2021):
    training_class = class_with_estimate(fixture_2021.course("II.3.1"), 1_000_000, name="Lớp K45")
    for code, name in (
        ("huyen-uy-binh-son", "Người Bình Sơn"),
        ("huyen-uy-son-tinh", "Người Sơn Tịnh"),
    ):
        unit = fixture_2021.unit(code)
        NominationFactory(
            unit=unit,
            person=PersonFactory(organisation=unit, full_name=name),
            course=training_class.course,
            status="enrolled",
            training_class=training_class,
        )
    return training_class


def test_class_lists_with_names_are_never_stored(
    client, btc_user, unit_b_user, class_of_two_units, renders
):
    """A class list holds people's names: rendered each time, logged each time, never kept."""
    pk = class_of_two_units.pk
    btc = client_for(client, btc_user)
    first = download(btc, "class_learners_pdf", pk)
    download(btc, "class_learners_pdf", pk)
    assert len(renders) == 2
    assert not RenderedDocument.objects.exists()
    filename = f"danh-sach-hoc-vien-lop-{pk}.pdf"
    assert DownloadLog.objects.filter(user=btc_user, filename=filename).count() == 2
    assert "Người Bình Sơn" in pdf_text(first)

    client.logout()
    text = pdf_text(download(client_for(client, unit_b_user), "class_learners_pdf", pk))
    assert "Người Sơn Tịnh" in text
    assert "Người Bình Sơn" not in text


def test_the_wsgi_application_loads_weasyprint_before_gunicorn_forks_its_workers():
    """gunicorn imports the application once in its master (preload_app): WeasyPrint, a second to
    import, comes with it, so a worker's first PDF does not wait for it."""
    code = "import sys, training_plan.wsgi; print('weasyprint' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, DEBUG="1"),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split()[-1:] == ["True"], result.stderr
