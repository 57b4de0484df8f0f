"""Shared fixtures: the 2021 plan, the personas BTC, SNV, leadership, unit A, unit B and the
administrator, and the objects of the fixture that tests of several apps start from."""

import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from demo.year import FIXTURES, FIXTURES_DIR
from tests.factories import UserFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH, line, unit
from tests.helpers import PERSONAS

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests create many users: hash their passwords with a fast hasher (production keeps
    Django's PBKDF2, 1.000.000 rounds, about 0,5 s per user on this machine)."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def job_files_in_a_temporary_folder(tmp_path_factory):
    """The files of background jobs (exports) go to a folder of the test run, not var/jobs/."""
    from django.test.utils import override_settings

    with override_settings(JOB_FILES_DIR=tmp_path_factory.mktemp("jobs")):
        yield


def load_plan_fixtures():
    for name in FIXTURES:
        path = FIXTURES_DIR / name
        if path.exists():
            call_command("loaddata", str(path), verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 2021 plan once into the test database; each test's transaction is rolled back,
    so every test starts from the same plan (loading it per test was most of the suite's time)."""
    with django_db_blocker.unblock():
        load_plan_fixtures()


@pytest.fixture
def plan_2021(db):
    """The 2021 plan of Quảng Ngãi, loaded from the fixtures exactly as `make run` does."""
    from training_plan.models import Plan

    plan = Plan.objects.filter(year=2021).first()
    if plan is None:  # a transactional test before this one flushed the database
        load_plan_fixtures()
        plan = Plan.objects.get(year=2021)
    return plan


@pytest.fixture
def btc_user(plan_2021):
    return UserFactory(username="btc_test", btc=True)


@pytest.fixture
def snv_user(plan_2021):
    return UserFactory(username="snv_test", snv=True)


@pytest.fixture
def leader_user(plan_2021):
    return UserFactory(username="lanhdao_test", leadership=True)


@pytest.fixture
def unit_a_user(plan_2021):
    """A user of Huyện ủy Bình Sơn."""
    return UserFactory(username="binhson_test", organisation=unit(BINH_SON))


@pytest.fixture
def unit_b_user(plan_2021):
    """A user of Huyện ủy Sơn Tịnh: must never see Bình Sơn's data."""
    return UserFactory(username="sontinh_test", organisation=unit(SON_TINH))


@pytest.fixture
def admin_user_2021(plan_2021):
    return UserFactory(username="admin_test", admin=True)


@pytest.fixture
def world(plan_2021, btc_user, snv_user, leader_user, unit_a_user, unit_b_user, admin_user_2021):
    """Objects of every kind in both blocks, owned by unit A (tests/security/world.py), with
    every persona: what the permission table and the security tests walk."""
    from tests.security.world import build_world

    return build_world(plan_2021)


@pytest.fixture(params=PERSONAS)
def any_user(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def cao_cap(plan_2021):
    """Cao cấp LLCT, tập trung, HVCT khu vực III: 56 seats, Party block (BTC reviews)."""
    return line(CAO_CAP)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL (khóa dòng, kết nối đồng thời): đặt DATABASE_URL để chạy.")


@pytest.fixture
def browser(live_server):
    """Debian's Chromium driven by Playwright; skipped, with the reason, where it is missing."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip("Không có Chromium của Debian (/usr/bin/chromium): apt-get install chromium.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (not by the live server) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def empty_database(db):
    """A database without the 2021 plan, for what must work before any plan exists (the
    deletion is rolled back with the test)."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def without_appendix_classes(plan_2021):
    """The 2021 plan without the fixture's illustrative classes, for tests that build their own
    appendix and compare exact sums (rolled back with the test)."""
    from courses.models import TrainingClass

    TrainingClass.objects.filter(
        course__program__section__plan=plan_2021, is_illustrative=True
    ).delete()
    return plan_2021
