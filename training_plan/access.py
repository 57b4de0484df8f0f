"""Who may do what. Views call these; another organisation's object is a 404 (selectors),
a role that may only read gets 403 here."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from training_plan.models import User


def require_roles(*roles, superuser=True):
    """Decorator: only these roles (and administrators) may use the view; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not ((superuser and user.is_superuser) or user.role in roles):
                raise PermissionDenied("Tài khoản của bạn không có quyền thực hiện thao tác này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


STAFF_ROLES = (User.Role.BTC, User.Role.SNV)
WRITE_ROLES = (User.Role.BTC, User.Role.SNV, User.Role.UNIT)


def sees_identity_numbers(user, person=None):
    """Whether the user may read identity numbers in full (personal data, Law 91/2025/QH15).

    In lists (no `person`): BTC, SNV and administrators only. On one person's page also the
    person's own unit. Everyone else sees them masked.
    """
    if user.is_superuser or user.is_btc or user.is_snv:
        return True
    return (
        person is not None
        and user.is_unit
        and user.organisation_id is not None
        and person.organisation_id == user.organisation_id
    )
