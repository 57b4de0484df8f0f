"""Plan versions: recorded at each step and on demand, immutable, their PDF kept with its SHA-256
(the issued document stays what was issued after later edits), and any two compared."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.lifecycle import plan_copy_to_year, plan_issue
from tests import fixture_2021
from tests.factories import BudgetLineFactory, TrainingClassFactory
from tests.needs.helpers import YEAR, fake_pdf
from versions import services, snapshot
from versions.models import PlanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    monkeypatch.setattr("reports.documents.render_pdf", fake_pdf)


@pytest.fixture
def draft_2022(btc_user):
    return plan_copy_to_year(plan=fixture_2021.plan(), actor=btc_user, year=YEAR)


def test_a_version_keeps_content_and_pdf_with_its_digest(btc_user, draft_2022):
    version = services.save_version(plan=draft_2022, actor=btc_user, note="Bản làm việc")
    assert version.number == 1 and version.step == PlanVersion.Step.SAVED
    assert version.pdf_sha256 == hashlib.sha256(bytes(version.pdf)).hexdigest()
    assert version.content["figures"]["II.1.1"]["value"] == 130
    assert version.content["quota_lines"]["II.1.1-2"]["value"] == 56
    assert version.content["texts"]["Tên kế hoạch"] == draft_2022.title
    assert services.save_version(plan=draft_2022, actor=btc_user).number == 2


def test_versions_cannot_be_changed_or_deleted(btc_user, draft_2022):
    version = services.save_version(plan=draft_2022, actor=btc_user)
    version.note = "sửa"
    with pytest.raises(ValidationError, match="không được sửa"):
        version.save()
    with pytest.raises(ValidationError, match="không được xóa"):
        version.delete()
    assert PlanVersion.objects.get(pk=version.pk).note == ""


def test_only_btc_saves_versions_and_steps_follow_the_status(
    btc_user, snv_user, leader_user, draft_2022
):
    for user in (snv_user, leader_user):
        with pytest.raises(PermissionDenied):
            services.save_version(plan=draft_2022, actor=user)
    with pytest.raises(ValidationError):
        services.save_version(plan=draft_2022, actor=btc_user, step=PlanVersion.Step.AMENDED)
    submitted = services.save_version(
        plan=draft_2022, actor=btc_user, step=PlanVersion.Step.SUBMITTED
    )
    assert submitted.get_step_display() == "Trình Thường trực, Ban Thường vụ"


def test_issuing_2021_records_the_issued_version_and_its_pdf_survives_later_edits(btc_user):
    plan = plan_issue(
        plan=fixture_2021.plan(),
        number="25-KH/TU",
        issue_date=datetime.date(2021, 1, 5),
        actor=btc_user,
    )
    issued = PlanVersion.objects.get(plan=plan, step=PlanVersion.Step.ISSUED)
    digest = issued.pdf_sha256
    stored = bytes(issued.pdf)
    assert issued.content["number"] == "25-KH/TU"
    assert issued.content["issue_date"] == "05/01/2021"
    # A later edit of the plan: the current document changes, the issued version does not.
    plan.purpose = plan.purpose + " Bổ sung nội dung mới."
    plan.save()
    amended = services.save_version(
        plan=plan, actor=btc_user, step=PlanVersion.Step.AMENDED, note="Bổ sung mục đích"
    )
    assert amended.pdf_sha256 != digest
    issued = PlanVersion.objects.get(pk=issued.pk)
    assert bytes(issued.pdf) == stored
    assert hashlib.sha256(bytes(issued.pdf)).hexdigest() == digest
    assert issued.pdf_intact
    assert amended.amendment_number == 1


def test_a_recorded_pdf_is_unchanged_after_an_edit(btc_user):
    plan = fixture_2021.plan()
    issued = services.record_version(plan=plan, step=PlanVersion.Step.DRAFT, actor=btc_user)
    before = issued.pdf_sha256
    plan.requirements = "Yêu cầu đã sửa sau khi ban hành."
    plan.save()
    later = services.save_version(plan=plan, actor=btc_user)
    assert later.pdf_sha256 != before
    assert hashlib.sha256(bytes(PlanVersion.objects.get(pk=issued.pk).pdf)).hexdigest() == before


def test_word_diff():
    segments = snapshot.word_diff("Đào tạo 145 cán bộ năm 2021", "Đào tạo 150 cán bộ năm 2022")
    assert segments == [
        ("equal", "Đào tạo"),
        ("delete", "145"),
        ("insert", "150"),
        ("equal", "cán bộ năm"),
        ("delete", "2021"),
        ("insert", "2022"),
    ]


def test_comparison_of_two_versions(btc_user, draft_2022):
    first = services.save_version(plan=draft_2022, actor=btc_user)
    draft_2022.purpose = "Nâng cao chất lượng đội ngũ cán bộ cấp xã."
    draft_2022.save()
    english = fixture_2021.course("III.3.7", YEAR)
    english.quantity = 80
    english.save()
    line = english.quota_lines.get()
    line.planned_count = 80
    line.save()
    training_class = TrainingClassFactory(course=english, code="ta-2022")
    BudgetLineFactory(training_class=training_class)
    second = services.save_version(plan=draft_2022, actor=btc_user)
    comparison = snapshot.compare(first.content, second.content)
    purpose = next(c for c in comparison.texts if c.label == "Mục đích")
    assert ("insert", "Nâng cao chất lượng đội ngũ cán bộ cấp xã.") in purpose.segments or any(
        kind == "insert" and "cấp xã" in text for kind, text in purpose.segments
    )
    assert any(kind == "delete" for kind, _ in purpose.segments)
    figures = {item.key: item for item in comparison.figures}
    assert (figures["III.3.7"].old, figures["III.3.7"].new) == (100, 80)
    lines = {item.key: item for item in comparison.quota_lines}
    assert (lines["III.3.7-1"].old, lines["III.3.7-1"].new) == (100, 80)
    assert [item.kind for item in comparison.classes] == ["added"]
    assert [item.kind for item in comparison.money] == ["added"]
    state = next(b for b in comparison.blocks if b.label == "Khối Nhà nước")
    assert (state.figures_old - state.figures_new) == 20
    assert state.money_new - state.money_old == comparison.money[0].new > 0
    party = next(b for b in comparison.blocks if b.label.startswith("Khối Đảng"))
    assert not party.changed
    assert snapshot.compare(second.content, second.content).is_empty
