"""The daily round of the worker: reminders (files waiting, results missing, deadlines of
plans and of needs rounds, commitments ending), the daily e-mail digests, the removal of expired
job files and the recovery of tasks whose worker died — then the round queues itself for the
next day at DAILY_ROUND_HOUR (local time). `manage.py schedule_daily_round` starts the chain
(`make run` does, before the worker starts); it queues nothing when a round is already queued."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from commitments.reminders import remind_commitments_ending
from inbox import jobs, recovery
from inbox import tasks as inbox_tasks
from needs.services import remind_deadlines as remind_needs_deadlines
from reports import reminders

logger = logging.getLogger(__name__)


def next_round_at(now=None):
    """The next DAILY_ROUND_HOUR:00 local time strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=settings.DAILY_ROUND_HOUR, minute=0, second=0, microsecond=0)
    if at <= now:
        at = timezone.make_aware(
            datetime.datetime.combine(
                now.date() + datetime.timedelta(days=1), datetime.time(settings.DAILY_ROUND_HOUR)
            )
        )
    return at


def run_round(now=None):
    """Everything the round does, once; each step apart so that one failing spares the others.
    Returns what each step did."""
    now = now or timezone.now()
    done = {}
    steps = {
        "reminders": lambda: reminders.run_reminders(now),
        "needs_deadlines": lambda: remind_needs_deadlines(timezone.localdate(now)),
        "commitments_ending": lambda: remind_commitments_ending(now),
        "digests": lambda: inbox_tasks.send_digests(now),
        "expired_files": lambda: jobs.remove_expired_files(now),
        "recovered": lambda: recovery.recover_abandoned(now),
    }
    for name, step in steps.items():
        try:
            done[name] = step()
        except Exception:
            logger.exception("Daily round: %s failed", name)
            done[name] = None
    return done


def queued_round():
    """The round already waiting in the queue, if any."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=daily_round.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .first()
    )


def schedule_next(now=None):
    """Queue the next round (tomorrow's, or today's if its hour is still ahead)."""
    return daily_round.using(run_after=next_round_at(now)).enqueue()


@task()
def daily_round():
    try:
        return {key: str(value) for key, value in run_round().items()}
    finally:
        if queued_round() is None:
            schedule_next()
