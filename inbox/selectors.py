from django.shortcuts import get_object_or_404

from inbox.models import Job, Notice


def notices_for(user, *, show="open"):
    notices = Notice.objects.filter(recipient=user)
    if show == "open":
        notices = notices.filter(read_at=None, done_at=None)
    return notices


def job_for_user(user, pk):
    """A job of the user's; anybody else's (or none) is a 404."""
    return get_object_or_404(Job, pk=pk, requester=user)
