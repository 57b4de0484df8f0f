"""The demo database: the 2021 plan fixtures and one account per role (never in production)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from training_plan.models import Organisation, User

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# Loaded in this order: the plan, then data that refers to it.
FIXTURES = ["plan_2021.json", "eligibility_2021.json", "appendix_2021.json"]

DEMO_ACCOUNTS = [
    # username, full name, role, organisation code, superuser
    ("btc", "Cán bộ Ban Tổ chức Tỉnh ủy", User.Role.BTC, "btc-tinh-uy", False),
    ("snv", "Cán bộ Sở Nội vụ", User.Role.SNV, "so-noi-vu", False),
    ("lanhdao", "Lãnh đạo Tỉnh ủy", User.Role.LEADERSHIP, "thuong-truc-tinh-uy", False),
    ("binhson", "Cán bộ Huyện ủy Bình Sơn", User.Role.UNIT, "huyen-uy-binh-son", False),
    ("sontinh", "Cán bộ Huyện ủy Sơn Tịnh", User.Role.UNIT, "huyen-uy-son-tinh", False),
    ("admin", "Quản trị hệ thống", "", None, True),
]


def load_plan_fixtures(*, verbosity=0):
    """Load the 2021 plan; natural keys make a second load update rather than duplicate."""
    for name in FIXTURES:
        path = FIXTURES_DIR / name
        if path.exists():
            call_command("loaddata", str(path), verbosity=verbosity)


@transaction.atomic
def demo_accounts_create(*, password=None):
    """Create or reset the demo accounts; returns their usernames."""
    password = password or os.environ.get("DEMO_PASSWORD") or "demo"
    names = []
    for username, full_name, role, org_code, superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        # Vietnamese names read family name first; keep the whole name in one field.
        user.first_name, user.last_name = full_name, ""
        user.role = role
        user.organisation = Organisation.objects.get(code=org_code) if org_code else None
        user.is_superuser = user.is_staff = superuser
        user.set_password(password)
        user.save()
        names.append(username)
    return names
