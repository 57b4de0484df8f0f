"""The views' side of the permission policy (`training_plan.rules` and each app's `rules.py`).

Another organisation's object is a 404 (the selectors scope every queryset); a permission the
user lacks is a 403 with the permission's reason, here.
"""

from functools import wraps

from training_plan.rules import check_perm


def require_perm(name):
    """Decorator: the view needs the permission `name` (no object); others get 403.

    Permissions on one object are checked in the view once the selector has found it:
    `check_perm(request.user, name, obj)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check_perm(request.user, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


__all__ = ["check_perm", "require_perm"]
