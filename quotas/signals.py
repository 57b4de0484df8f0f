"""Verdicts follow the rules in force: a change to a course's eligibility rules (the admin)
queues the recomputation of its undecided nominations (quotas.tasks). Fixture loading (raw)
does not: the fixtures come before any nomination."""

from django.db.models.signals import post_delete, post_save

from courses.models import EligibilityRule
from quotas.tasks import refresh_eligibility_of_courses


def rule_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    refresh_eligibility_of_courses.enqueue([instance.course_id])


def connect():
    post_save.connect(rule_changed, sender=EligibilityRule, dispatch_uid="quotas.rule_saved")
    post_delete.connect(rule_changed, sender=EligibilityRule, dispatch_uid="quotas.rule_deleted")
