from django.utils.functional import SimpleLazyObject

from inbox.services import unread_count


def inbox(request):
    """The count of open items for the nav, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
