"""Eligibility as data: an indexed flag with choices and a JSON list of verdicts on the nomination,
converted from the old JSON text by a migration, filtered by the flag, and read everywhere as
Vietnamese sentences with their legal basis (`EligibilityReport.sentences`), never as JSON."""

import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.eligibility import EligibilityReport, Flag
from quotas import services
from quotas.models import Nomination
from tests.factories import PersonFactory
from tests.fixture_2021 import course
from tests.helpers import client_for, download_via_job, page_text
from tests.training_plan.pdf_helpers import body

pytestmark = pytest.mark.django_db
S = Nomination.Status

AGE_BASIS = "Nghị định 101/2017/NĐ-CP ngày 01/09/2017 của Chính phủ, Điều 6 khoản 2 điểm b"
AGE_RULE = (
    "Không quá 40 tuổi tính từ thời điểm được cử đi đào tạo sau đại học lần đầu (không áp dụng "
    "khi không phải lần đầu: người thẩm định ghi lý do chấp nhận)"
)
AGE_WARNING = (
    f"Cảnh báo: {AGE_RULE} — 46 tuổi trong năm 2021; yêu cầu không quá 40 tuổi "
    f"(Căn cứ: {AGE_BASIS})."
)
REASON = "Đã có bằng thạc sĩ, đây là lần thứ hai"
AGE_ACCEPTED = (
    f"Cảnh báo đã được chấp nhận: {AGE_RULE} — 46 tuổi trong năm 2021; yêu cầu không quá 40 "
    f"tuổi (Căn cứ: {AGE_BASIS}; lý do chấp nhận: {REASON})."
)
# A verdict as the old code wrote it inside `eligibility_notes`.
OLD_VERDICT = {
    "code": "nd101-tuoi",
    "kind": "max_age",
    "severity": "warn",
    "ok": False,
    "message": "46 tuổi trong năm 2021; yêu cầu không quá 40 tuổi.",
    "description": AGE_RULE,
    "basis": AGE_BASIS,
    "overridden": False,
}
NOT_JSON = ("{", "}", '"flag"', "verdicts", "severity", "overridden", '"ok"', "basis")


def postgraduate(unit_user, *, born=datetime.date(1975, 2, 2), name=None):
    """Sau đại học (II.4.1), submitted; a person born in 1975 is 46 in 2021: the age rule warns."""
    extra = {"full_name": name} if name else {}
    person = PersonFactory(
        date_of_birth=born, service_start_date=datetime.date(2000, 1, 1), **extra
    )
    nomination = services.nomination_create(
        actor=unit_user,
        person=person,
        course=course("II.4.1"),
        training_months=24,
        commitment_months=48,
    )
    return services.nomination_submit(actor=unit_user, nomination=nomination)


@pytest.fixture
def flagged(btc_user, unit_a_user):
    """One nomination per stored flag: warn, overridden, ok, none (a course without rules)."""
    warn = postgraduate(unit_a_user, name="Lê Thị Cảnh Báo")
    accepted = postgraduate(unit_a_user, name="Phạm Văn Chấp Nhận")
    services.nomination_override_warning(actor=btc_user, nomination=accepted, reason=REASON)
    ok = postgraduate(unit_a_user, born=datetime.date(1990, 1, 1), name="Trần Văn Đạt")
    none = services.nomination_create(
        actor=unit_a_user,
        person=PersonFactory(full_name="Hồ Thị Tự Do"),
        course=course("III.1.1"),
    )
    return {
        flag: Nomination.objects.get(pk=nomination.pk)
        for flag, nomination in [
            ("warn", warn),
            ("overridden", accepted),
            ("ok", ok),
            ("none", none),
        ]
    }


# The model -------------------------------------------------------------------------------------


def test_the_flag_and_details_are_stored_as_data(flagged):
    assert {flag: n.eligibility_flag for flag, n in flagged.items()} == {
        "warn": "warn",
        "overridden": "overridden",
        "ok": "ok",
        "none": "none",
    }
    warn = flagged["warn"]
    assert isinstance(warn.eligibility_details, list)
    by_code = {v["code"]: v for v in warn.eligibility_details}
    assert set(by_code) == {"nd101-cam-ket", "nd101-tham-nien", "nd101-tuoi"}
    assert by_code["nd101-tuoi"] == {**OLD_VERDICT, "ok": False, "overridden": False}
    assert flagged["overridden"].eligibility_report.flag == Flag.OVERRIDDEN
    assert flagged["none"].eligibility_details == []
    field = Nomination._meta.get_field("eligibility_flag")
    assert field.choices == Flag.choices
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "quotas_nomination")
    assert any(
        c["index"] and c["columns"] == ["eligibility_flag", "status"] for c in constraints.values()
    )


def test_report_sentences_read_as_vietnamese_with_the_legal_basis(flagged):
    assert flagged["warn"].eligibility_report.sentences == [AGE_WARNING]
    assert flagged["overridden"].eligibility_report.sentences == [AGE_ACCEPTED]
    assert flagged["ok"].eligibility_report.sentences == ["Đạt các điều kiện."]
    assert flagged["none"].eligibility_report.sentences == ["Không có điều kiện kiểm tra tự động."]
    blocked = EligibilityReport.from_details(
        [{**OLD_VERDICT, "severity": "block", "code": "x"}, OLD_VERDICT]
    )
    assert blocked.flag == Flag.BLOCKED
    assert blocked.text == (
        f"Không đạt: {AGE_RULE} — 46 tuổi trong năm 2021; yêu cầu không quá 40 tuổi (Căn cứ: "
        f"{AGE_BASIS}).\n{AGE_WARNING}"
    )
    # Stored data that is not a verdict is left out rather than shown.
    assert EligibilityReport.from_details(["x", {"code": "only"}, None]).verdicts == []


# The migration ---------------------------------------------------------------------------------

BEFORE = [("quotas", "0002_initial")]


def _old_notes(flag, verdicts):
    return json.dumps({"flag": flag, "verdicts": verdicts}, ensure_ascii=False)


@pytest.mark.django_db(transaction=True)
def test_migration_converts_old_json_notes_and_back(plan_2021):
    person = PersonFactory()
    targets = {"person_id": person.pk, "course_id": course("II.4.1").pk}
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        Old = old_apps.get_model("quotas", "Nomination")
        OldHistory = old_apps.get_model("quotas", "HistoricalNomination")

        def old(notes, status="withdrawn", note=""):
            # Closed statuses: the one-live-nomination constraint lets them share person/course.
            return Old.objects.create(
                **targets, unit_id=person.organisation_id, status=status,
                eligibility_notes=notes, note=note,
            ).pk  # fmt: skip

        warn = old(_old_notes("warn", [OLD_VERDICT]), status="submitted")
        accepted = old(_old_notes("overridden", [{**OLD_VERDICT, "overridden": True}]))
        empty = old("")
        none = old(_old_notes("none", []))
        wrong_flag = old(_old_notes("ok", [{**OLD_VERDICT, "severity": "block"}]))
        typed = old("Đã kiểm tra hồ sơ giấy", note="Ghi chú của đơn vị")
        OldHistory.objects.create(
            id=warn, **targets, unit_id=person.organisation_id, status="submitted",
            eligibility_notes=_old_notes("warn", [OLD_VERDICT]),
            created_at=datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC),
            updated_at=datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC),
            history_date=datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC), history_type="+",
        )  # fmt: skip

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        rows = Nomination.objects.in_bulk()
        assert rows[warn].eligibility_flag == "warn"
        assert rows[warn].eligibility_details == [OLD_VERDICT]
        assert rows[warn].eligibility_report.sentences == [AGE_WARNING]
        assert rows[accepted].eligibility_flag == "overridden"
        assert rows[accepted].eligibility_details[0]["overridden"] is True
        assert (rows[empty].eligibility_flag, rows[empty].eligibility_details) == ("none", [])
        assert (rows[none].eligibility_flag, rows[none].eligibility_details) == ("none", [])
        # A flag that disagrees with its verdicts is recomputed from them.
        assert rows[wrong_flag].eligibility_flag == "blocked"
        # Text that was not stored verdicts is kept in the note, not lost.
        assert rows[typed].eligibility_flag == "none"
        assert rows[typed].note == (
            "Ghi chú của đơn vị\nGhi chú điều kiện trước đây: Đã kiểm tra hồ sơ giấy"
        )
        history = Nomination.history.get(id=warn)
        assert (history.eligibility_flag, history.eligibility_details) == ("warn", [OLD_VERDICT])
        assert list(
            Nomination.objects.filter(eligibility_flag="warn").values_list("pk", flat=True)
        ) == [warn]

        # And back: the old text again.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        notes = dict(
            old_apps.get_model("quotas", "Nomination").objects.values_list(
                "pk", "eligibility_notes"
            )
        )
        assert json.loads(notes[warn]) == {"flag": "warn", "verdicts": [OLD_VERDICT]}
        assert json.loads(notes[wrong_flag])["flag"] == "blocked"
        assert notes[empty] == notes[none] == ""
        history = old_apps.get_model("quotas", "HistoricalNomination").objects.get(id=warn)
        assert json.loads(history.eligibility_notes)["flag"] == "warn"
    finally:
        MigrationExecutor(connection).migrate(latest)


# Lists, pages, workbook ------------------------------------------------------------------------


def test_the_list_filters_by_the_flag_field(client, btc_user, flagged):
    client_for(client, btc_user)
    url = reverse("nomination_list")

    def names(flag):
        response = client.get(url, {"flag": flag})
        return {n.person.full_name for n in response.context["page"]}

    assert names("warn") == {"Lê Thị Cảnh Báo"}
    assert names("overridden") == {"Phạm Văn Chấp Nhận"}
    assert names("ok") == {"Trần Văn Đạt", "Hồ Thị Tự Do"}  # no rule to check counts as passed
    assert len(names("")) == 4
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"flag": "warn"})
    listing = [q["sql"] for q in queries if "quotas_nomination" in q["sql"]]
    assert any('"eligibility_flag"' in sql for sql in listing)
    assert not any("LIKE" in sql.upper() for sql in listing)


def test_the_list_shows_sentences_not_json(client, btc_user, flagged):
    text = page_text(client_for(client, btc_user).get(reverse("nomination_list")))
    assert AGE_WARNING in text
    assert AGE_ACCEPTED in text
    assert "Đạt các điều kiện." in text
    assert not any(token in text for token in NOT_JSON)


def test_the_nomination_page_shows_each_verdict_as_a_sentence(client, leader_user, flagged):
    nomination = flagged["overridden"]
    response = client_for(client, leader_user).get(nomination.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "Điều kiện, tiêu chuẩn Cảnh báo đã được chấp nhận" in text
    assert (
        f"Cảnh báo đã được chấp nhận: {AGE_RULE} — 46 tuổi trong năm 2021; yêu cầu không quá 40 "
        f"tuổi (Căn cứ: {AGE_BASIS})."
    ) in text
    assert (
        "Đạt: Có thời gian công tác từ đủ 03 năm trở lên — Đã công tác 21 năm" in text
    )  # passed rules are listed too, with their basis
    assert f"Lý do chấp nhận cảnh báo: {REASON}" in text
    assert not any(token in text for token in NOT_JSON)


@pytest.mark.parametrize(
    "url_name, sheet",
    [
        ("plan_workbook_xlsx", "Danh sách cử đi học"),
        ("plan_nominations_xlsx", "Danh sách cử đi học"),
    ],
)
def test_the_workbook_column_reads_vietnamese_sentences(
    client, leader_user, flagged, url_name, sheet
):
    client_for(client, leader_user)
    url = reverse(url_name, args=[2021])
    # The plan workbook is built by the worker; the unit's list stays a direct download.
    response = (
        download_via_job(client, url) if url_name == "plan_workbook_xlsx" else client.get(url)
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = list(rows[0])
    column = header.index("Ghi chú điều kiện")
    cells = {row[header.index("Họ và tên")]: row[column] for row in rows[1:]}
    assert cells == {
        "Lê Thị Cảnh Báo": AGE_WARNING,
        "Phạm Văn Chấp Nhận": AGE_ACCEPTED,
        "Trần Văn Đạt": "Đạt các điều kiện.",
        "Hồ Thị Tự Do": "Không có điều kiện kiểm tra tự động.",
    }
    for value in cells.values():
        assert not any(token in value for token in NOT_JSON), value
    assert "Căn cứ: Nghị định 101/2017/NĐ-CP" in cells["Lê Thị Cảnh Báo"]


# Seed data writes the fields too ---------------------------------------------------------------


def test_the_scale_seed_writes_the_verdicts(plan_2021):
    from demo import scale

    scale.scale_seed(scale=scale.Scale(people=300, units=20, nominations_per_year=100), log=str)
    checked = Nomination.objects.filter(course__eligibility_rules__isnull=False).distinct()
    assert checked.exists()
    assert not checked.filter(eligibility_flag="none").exists()
    assert not checked.filter(eligibility_details=[]).exists()
    free = Nomination.objects.filter(course__eligibility_rules__isnull=True)
    assert set(free.values_list("eligibility_flag", flat=True)) <= {"none"}
    # Past verification a warning stands only if the reviewer accepted it, with a reason.
    verified = Nomination.objects.filter(
        status__in=[S.VERIFIED, S.APPROVED, S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED]
    )
    assert not verified.filter(eligibility_flag="warn").exists()
    assert not verified.filter(eligibility_flag="overridden", override_reason="").exists()


def test_the_demo_year_writes_the_verdicts(settings, plan_2021):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    checked = Nomination.objects.filter(course__eligibility_rules__isnull=False).distinct()
    assert checked.exists()
    # The demo picks people who meet the conditions: every rule of their course passed.
    assert set(checked.values_list("eligibility_flag", flat=True)) == {"ok"}
    assert not checked.filter(eligibility_details=[]).exists()
