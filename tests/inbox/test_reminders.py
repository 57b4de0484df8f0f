"""The reminders of the daily round, the round itself rescheduling for the next day, the
command that starts it, and the plan's deadline for the units' lists."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from inbox.models import Notice
from quotas.models import Nomination, NominationTransition
from reports import reminders, tasks
from tests.factories import AllocationFactory, NominationFactory, TrainingClassFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, party_course, unit
from tests.helpers import client_for, page_text, run_worker

pytestmark = pytest.mark.django_db
S = Nomination.Status
K = Notice.Kind
NOW = timezone.make_aware(datetime.datetime(2021, 6, 15, 8, 0))


def submitted_days_ago(days, **kwargs):
    nomination = NominationFactory(status=S.SUBMITTED, **kwargs)
    transition = NominationTransition.objects.create(
        nomination=nomination, from_status=S.DRAFT, to_status=S.SUBMITTED
    )
    NominationTransition.objects.filter(pk=transition.pk).update(
        at=NOW - datetime.timedelta(days=days)
    )
    return nomination


@override_settings(REMIND_WAITING_DAYS=5)
def test_waiting_reminder_one_summary_per_unit_on_either_side_of_n_days(
    btc_user, snv_user, unit_a_user, cao_cap
):
    sontinh = unit(SON_TINH)
    submitted_days_ago(6, quota_line=cao_cap)
    submitted_days_ago(7, quota_line=cao_cap)
    submitted_days_ago(4, quota_line=cao_cap)  # not yet
    submitted_days_ago(6, quota_line=cao_cap, unit=sontinh)
    created = reminders.remind_waiting(NOW)
    assert len(created) == 2
    assert {n.recipient for n in created} == {btc_user}  # Party block: BTC; not SNV, not units
    binhson = Notice.objects.get(subject=f"waiting:2021:party:{unit(BINH_SON).pk}")
    assert binhson.title == "Huyện ủy Bình Sơn: 2 hồ sơ chờ thẩm định quá 5 ngày"
    assert binhson.url == f"/nominations/?year=2021&unit={unit(BINH_SON).pk}&status=submitted"
    # A second run: no duplicate open reminder.
    assert reminders.remind_waiting(NOW) == []
    assert Notice.objects.filter(kind=K.WAITING).count() == 2


@override_settings(REMIND_WAITING_DAYS=5)
def test_waiting_reminder_done_when_the_files_are_acted_on(btc_user, cao_cap):
    nomination = submitted_days_ago(6, quota_line=cao_cap)
    reminders.remind_waiting(NOW)
    Nomination.objects.filter(pk=nomination.pk).update(status=S.VERIFIED)
    reminders.remind_waiting(NOW)
    assert Notice.objects.get(kind=K.WAITING).done_at is not None


@override_settings(REMIND_RESULTS_DAYS=7)
def test_results_reminder_after_n_days_to_the_blocks_managers(
    btc_user, snv_user, unit_a_user, plan_2021
):
    ended = TrainingClassFactory(
        course=party_course(), name="Lớp đã xong", end_date=datetime.date(2021, 6, 7)
    )
    recent = TrainingClassFactory(
        course=party_course(), name="Lớp vừa xong", end_date=datetime.date(2021, 6, 8)
    )
    for training_class in (ended, recent):
        nomination = NominationFactory(course=training_class.course, status=S.ENROLLED)
        Nomination.objects.filter(pk=nomination.pk).update(training_class=training_class)
    today = datetime.date(2021, 6, 15)
    created = reminders.remind_results(today)
    assert [(n.recipient, n.title) for n in created] == [
        (btc_user, "Lớp đã kết thúc, chưa ghi kết quả: Lớp đã xong")
    ]
    assert created[0].detail == "Lớp kết thúc ngày 07/06/2021; còn 1 học viên chưa có kết quả."
    assert created[0].url == f"/classes/{ended.pk}/results/"
    assert reminders.remind_results(today) == []  # no duplicate
    # Results recorded: the reminder is done at the next round.
    Nomination.objects.filter(training_class=ended).update(status=S.COMPLETED)
    reminders.remind_results(today)
    assert Notice.objects.get(kind=K.RESULTS_MISSING).done_at is not None


@override_settings(REMIND_DEADLINE_DAYS=7)
def test_deadline_reminder_to_units_with_free_seats(plan_2021, unit_a_user, unit_b_user, cao_cap):
    AllocationFactory(quota_line=cao_cap, unit=unit(BINH_SON), count=3)
    NominationFactory(quota_line=cao_cap, status=S.SUBMITTED)
    # Sơn Tịnh used all of its seats: not reminded.
    AllocationFactory(quota_line=cao_cap, unit=unit(SON_TINH), count=1)
    NominationFactory(quota_line=cao_cap, unit=unit(SON_TINH), status=S.APPROVED)
    plan_2021.nomination_deadline = datetime.date(2021, 6, 22)
    plan_2021.save()
    assert reminders.remind_deadline(datetime.date(2021, 6, 14)) == []  # 8 days ahead: not yet
    created = reminders.remind_deadline(datetime.date(2021, 6, 15))
    assert [n.recipient for n in created] == [unit_a_user]
    assert created[0].title == "Hạn gửi danh sách cử đi học năm 2021: 22/06/2021 (còn 7 ngày)"
    assert created[0].detail == "Huyện ủy Bình Sơn còn 2 chỉ tiêu được phân bổ chưa cử cán bộ."
    assert reminders.remind_deadline(datetime.date(2021, 6, 16)) == []  # no duplicate
    # The deadline passed: the reminder is done.
    reminders.remind_deadline(datetime.date(2021, 6, 23))
    assert Notice.objects.get(kind=K.DEADLINE).done_at is not None


# The daily round -------------------------------------------------------------------------------


def queued_rounds():
    return DBTaskResult.objects.filter(
        task_path="reports.tasks.daily_round", status=TaskResultStatus.READY
    )


@override_settings(DAILY_ROUND_HOUR=7)
def test_next_round_is_tomorrow_at_the_hour_once_past():
    local = timezone.get_current_timezone()
    before = datetime.datetime(2021, 6, 15, 6, 30, tzinfo=local)
    after = datetime.datetime(2021, 6, 15, 7, 0, tzinfo=local)
    assert tasks.next_round_at(before) == datetime.datetime(2021, 6, 15, 7, 0, tzinfo=local)
    assert tasks.next_round_at(after) == datetime.datetime(2021, 6, 16, 7, 0, tzinfo=local)


@override_settings(DAILY_ROUND_HOUR=7, REMIND_RESULTS_DAYS=0)
def test_daily_round_runs_the_reminders_and_queues_itself_for_the_next_day(btc_user, plan_2021):
    ended = TrainingClassFactory(
        course=party_course(),
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 1, 2),
    )
    nomination = NominationFactory(course=ended.course, status=S.ENROLLED)
    Nomination.objects.filter(pk=nomination.pk).update(training_class=ended)
    tasks.daily_round.enqueue()
    run_worker()
    assert Notice.objects.filter(kind=K.RESULTS_MISSING, recipient=btc_user).count() == 1
    result = DBTaskResult.objects.filter(task_path="reports.tasks.daily_round").exclude(
        status=TaskResultStatus.READY
    )
    assert [r.status for r in result] == [TaskResultStatus.SUCCESSFUL]
    # Every step ran without failing (a failed step is recorded as "None").
    steps = result.get().return_value
    assert set(steps) == {
        "reminders",
        "needs_deadlines",
        "commitments_ending",
        "digests",
        "expired_files",
        "recovered",
    }
    assert "None" not in steps.values()
    following = queued_rounds().get()
    at = timezone.localtime(following.run_after)
    assert (at.hour, at.minute) == (7, 0)
    assert timezone.now() < following.run_after <= timezone.now() + datetime.timedelta(days=1)


def test_schedule_daily_round_is_idempotent(plan_2021):
    call_command("schedule_daily_round", verbosity=0)
    call_command("schedule_daily_round", verbosity=0)
    assert queued_rounds().count() == 1


@override_settings(REMIND_RESULTS_DAYS=0)
def test_schedule_daily_round_now_runs_a_round(btc_user, plan_2021, capsys):
    ended = TrainingClassFactory(
        course=party_course(),
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 1, 2),
    )
    nomination = NominationFactory(course=ended.course, status=S.ENROLLED)
    Nomination.objects.filter(pk=nomination.pk).update(training_class=ended)
    call_command("schedule_daily_round", now=True)
    assert Notice.objects.filter(kind=K.RESULTS_MISSING).count() == 1
    assert queued_rounds().count() == 1
    assert "Đã đặt lịch vòng xử lý hằng ngày lúc" in capsys.readouterr().out


# The deadline page -----------------------------------------------------------------------------


def test_btc_sets_the_deadline_and_the_plan_page_shows_it(client, btc_user, plan_2021):
    client_for(client, btc_user)
    response = client.post("/plans/2021/deadline/", {"nomination_deadline": "30/06/2021"})
    assert response.status_code == 302
    plan_2021.refresh_from_db()
    assert plan_2021.nomination_deadline == datetime.date(2021, 6, 30)
    text = page_text(client.get("/plans/2021/"))
    assert "Hạn gửi danh sách cử đi học: 30/06/2021" in text


def test_deadline_far_from_the_plan_year_is_refused(client, btc_user, plan_2021):
    client_for(client, btc_user)
    response = client.post("/plans/2021/deadline/", {"nomination_deadline": "30/06/2030"})
    assert response.status_code == 200
    assert "phải trong các năm 2020–2022" in page_text(response)
    plan_2021.refresh_from_db()
    assert plan_2021.nomination_deadline is None


@pytest.mark.parametrize("persona", ["snv_user", "leader_user", "unit_a_user"])
def test_only_btc_sets_the_deadline(client, persona, request, plan_2021):
    client_for(client, request.getfixturevalue(persona))
    assert (
        client.post("/plans/2021/deadline/", {"nomination_deadline": "30/06/2021"}).status_code
        == 403
    )
