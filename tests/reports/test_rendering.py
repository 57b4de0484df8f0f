"""After a change of the plan the worker renders its PDFs into the store (reports.rendering), so
the next download is served without WeasyPrint; one render per year waits in the queue at a time,
and fixtures loaded raw or changes rolled back queue nothing."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from demo.year import FIXTURES_DIR
from reports import documents, rendering
from tests.factories import (
    BudgetLineFactory,
    CourseFactory,
    PlanFactory,
    QuotaLineFactory,
    class_with_estimate,
)
from tests.fixture_2021 import CAO_CAP, line
from tests.helpers import client_for, run_worker
from tests.training_plan.pdf_helpers import body
from training_plan.models import RenderedDocument

pytestmark = pytest.mark.django_db


def renders():
    """The queued renders, as (year, status)."""
    return [
        (task.args_kwargs["args"][0], task.status)
        for task in DBTaskResult.objects.filter(
            task_path=rendering.render_plan_documents.module_path
        ).order_by("enqueued_at")
    ]


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Each `with committing():` block commits as a request does: its on-commit hooks run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_change_of_the_plan_queues_one_render_of_its_year(plan_2021, committing):
    assert renders() == []
    with committing():
        section = plan_2021.sections.get(position=2)
        section.title = "Về công tác đào tạo cán bộ"
        section.save()
        course = line(CAO_CAP).course
        course.save()
        QuotaLineFactory(course=course, position=99)
        class_with_estimate(course, 1_000_000)
    assert renders() == [(2021, "READY")]


@pytest.mark.parametrize(
    "change",
    [
        lambda plan: plan.save(),
        lambda plan: plan.budget_blocks.first().save(),
        lambda plan: plan.cost_norms.first().save(),
        lambda plan: plan.sections.first().programs.first().save(),
        lambda plan: plan.recipients.first().delete(),
        lambda plan: line(CAO_CAP).delete(),
        lambda plan: BudgetLineFactory(
            training_class=class_with_estimate(line(CAO_CAP).course, 5)
        ).delete(),
    ],
    ids=["plan", "block", "norm", "program", "recipient-deleted", "line-deleted", "budget-line"],
)
def test_each_part_of_the_documents_queues_a_render(plan_2021, committing, change):
    with committing():
        change(plan_2021)
    assert renders() == [(2021, "READY")]


def test_one_render_waits_per_year_a_started_one_does_not_count(plan_2021, committing):
    course = line(CAO_CAP).course
    for _ in range(3):
        with committing():
            course.save()
    assert renders() == [(2021, "READY")]
    # Another year's change queues its own render.
    other = PlanFactory(year=2031)
    with committing():
        CourseFactory(program__section__plan=other)
    assert renders() == [(2021, "READY"), (2031, "READY")]
    # A render already running may have read the data before the change: queue another.
    DBTaskResult.objects.filter(args_kwargs__args=[2021]).update(status="RUNNING")
    with committing():
        course.save()
    assert renders() == [(2021, "RUNNING"), (2031, "READY"), (2021, "READY")]


def test_within_one_transaction_a_parent_is_looked_up_once(plan_2021, committing):
    course = line(CAO_CAP).course
    with committing() as callbacks:
        for _ in range(50):
            course.save()
    assert len(callbacks) == 1
    assert renders() == [(2021, "READY")]


def test_fixtures_loaded_raw_and_changes_rolled_back_queue_nothing(plan_2021, committing):
    with committing():
        call_command("loaddata", str(FIXTURES_DIR / "appendix_2021.json"), verbosity=0)
    with committing():
        with pytest.raises(RuntimeError), transaction.atomic():
            line(CAO_CAP).course.save()
            raise RuntimeError
    assert renders() == []


def test_the_render_for_a_year_without_a_plan_does_nothing(db):
    assert rendering.render_plan_documents.call(1999) == []
    assert not RenderedDocument.objects.exists()


def test_after_the_worker_rendered_the_download_needs_no_weasyprint(
    client, btc_user, plan_2021, committing, monkeypatch
):
    with committing():
        section = plan_2021.sections.get(position=2)
        section.title = "Về công tác đào tạo cán bộ"
        section.save()
    run_worker()
    assert renders() == [(2021, "SUCCESSFUL")]
    assert RenderedDocument.objects.count() == 2

    def no_weasyprint(html):
        raise AssertionError("rendered in the request")

    monkeypatch.setattr(documents, "write_pdf", no_weasyprint)
    client_for(client, btc_user)
    stored = {bytes(d.content) for d in RenderedDocument.objects.all()}
    for name in ("plan_document_pdf", "plan_appendix_pdf"):
        response = client.get(reverse(name, args=[2021]))
        assert response.status_code == 200
        content = body(response)
        assert content.startswith(b"%PDF-") and content in stored
    assert "Về công tác đào tạo cán bộ" in documents.render_to_string(
        "documents/plan.html", documents.plan_document_context(2021)
    )
