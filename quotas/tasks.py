"""The worker's tasks of nominations."""

from django_tasks import task

from quotas.services import refresh_eligibility


@task()
def refresh_eligibility_of_courses(course_ids):
    """An eligibility rule was added, changed or removed: the verdicts follow it."""
    return refresh_eligibility(course_ids)
