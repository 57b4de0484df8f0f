"""The permission policy's decisions (README “What each role does”), one test each, and the
rules that keep it one policy: no role compared outside the rules modules, one menu read from
the permissions. Statuses per URL and role are the table of tests/test_permissions.py."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from quotas import bulk, services
from quotas.models import Nomination
from quotas.services import NominationRefused
from tests import factories
from tests.helpers import client_for, download_via_job, page_text
from training_plan.models import DownloadLog, Person
from training_plan.services import person_create, person_update

pytestmark = pytest.mark.django_db

PERSONAS = {
    "btc": "btc_user",
    "snv": "snv_user",
    "lanhdao": "leader_user",
    "unit_own": "unit_a_user",
    "unit_other": "unit_b_user",
}


def client_as(request, role):
    client = Client()
    client.force_login(request.getfixturevalue(PERSONAS[role]))
    return client


def test_refused_posts_change_nothing(request, world):
    """Roles refused at a class, budget or nomination URL leave the data as it was."""
    state = world.training_class
    for role in ("btc", "lanhdao", "unit_own", "unit_other"):
        client = client_as(request, role)
        client.post(reverse("class_unenrol", args=[state.pk, world.learner.pk]))
        client.post(reverse("budget_line_delete", args=[world.budget_line.pk]))
        client.post(reverse("class_cancel", args=[state.pk]), {"reason": "Thử"})
    for role in ("snv", "lanhdao", "unit_other"):
        client = client_as(request, role)
        for name in ("verify", "return", "reject", "withdraw"):
            url = reverse("nomination_action", args=[world.nomination_a.pk, name])
            client.post(url, {"reason": "Thử"})
    world.learner.refresh_from_db()
    assert world.learner.training_class_id == state.pk
    assert state.budget_lines.filter(pk=world.budget_line.pk).exists()
    state.refresh_from_db()
    assert state.status != state.Status.CANCELLED
    world.nomination_a.refresh_from_db()
    assert world.nomination_a.status == Nomination.Status.SUBMITTED
    assert world.nomination_a.transitions.count() == 1  # the one build_world wrote


def test_leadership_reads_people_and_nominations_but_changes_none(client, world, leader_user):
    client_for(client, leader_user)
    listed = page_text(client.get(reverse("person_list")))
    assert "Lê Thị Bình" in listed and "Phạm Văn Tịnh" in listed  # every unit's
    assert "Thêm cán bộ" not in listed
    record = page_text(client.get(reverse("person_detail", args=[world.person_a.pk])))
    assert "Lê Thị Bình" in record and "Sửa hồ sơ" not in record
    count = Person.objects.count()
    post = {"full_name": "Lê Văn Mới", "date_of_birth": "01/01/1980", "gender": "nam"}
    assert client.post(reverse("person_create"), post).status_code == 403
    assert Person.objects.count() == count
    edit = reverse("person_edit", args=[world.person_a.pk])
    assert client.post(edit, {**post, "position": "Bí thư"}).status_code == 403
    world.person_a.refresh_from_db()
    assert world.person_a.full_name == "Lê Thị Bình"
    nomination = page_text(client.get(reverse("nomination_detail", args=[world.nomination_a.pk])))
    assert "Lê Thị Bình" in nomination and "Thẩm định đạt" not in nomination
    with pytest.raises(PermissionDenied):
        person_create(actor=leader_user, data={"full_name": "Lê Văn Mới"})
    with pytest.raises(PermissionDenied):
        person_update(actor=leader_user, person=world.person_a, data={"position": "Bí thư"})
    with pytest.raises(NominationRefused, match="lãnh đạo chỉ được xem"):
        services.nomination_withdraw(actor=leader_user, nomination=world.nomination_a)


def test_leadership_downloads_of_personal_data_are_logged(client, world, leader_user):
    client_for(client, leader_user)
    for name, args, background in [
        ("plan_workbook_xlsx", [2021], True),
        ("plan_nominations_xlsx", [2021], False),
        ("nominations_all_years_xlsx", [], True),
        ("class_learners_xlsx", [world.training_class.pk], False),
    ]:
        url = reverse(name, args=args)
        response = download_via_job(client, url) if background else client.get(url)
        assert response.status_code == 200, name
    entries = DownloadLog.objects.filter(user=leader_user).order_by("id")
    assert [(e.username, e.filename, e.filters) for e in entries] == [
        ("lanhdao_test", "so-lieu-ke-hoach-2021.xlsx", {"plan": 2021, "scope": "all"}),
        ("lanhdao_test", "danh-sach-cu-di-hoc-2021.xlsx", {"plan": 2021, "scope": "all"}),
        (
            "lanhdao_test",
            "danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx",
            {"plan": "all", "scope": "all"},
        ),
        (
            "lanhdao_test",
            f"danh-sach-hoc-vien-lop-{world.training_class.pk}.xlsx",
            {"class": world.training_class.pk, "scope": "all"},
        ),
    ]


def test_btc_reads_the_state_block_but_does_not_act_on_it(client, world, btc_user):
    state = world.state_verified
    with pytest.raises(NominationRefused, match="Sở Nội vụ"):
        services.nomination_withdraw(actor=btc_user, nomination=state)
    with pytest.raises(NominationRefused, match="Chỉ Sở Nội vụ thẩm định"):
        services.nomination_approve(actor=btc_user, nomination=state)
    submitted = factories.NominationFactory(
        person=world.person_a,
        course=world.state_line.course,
        quota_line=world.state_line,
        status=Nomination.Status.SUBMITTED,
    )
    with pytest.raises(NominationRefused, match="Chỉ Sở Nội vụ thẩm định"):
        services.nomination_verify(actor=btc_user, nomination=submitted)
    # The unit side of the State block is the unit's own: BTC neither enters nor submits there.
    with pytest.raises(NominationRefused, match="khối Nhà nước do đơn vị cử cán bộ lập"):
        services.nomination_create(
            actor=btc_user,
            person=world.person_b,
            course=world.state_line.course,
            quota_line=world.state_line,
        )
    with pytest.raises(NominationRefused, match="Chỉ đơn vị cử cán bộ được gửi"):
        services.nomination_submit(actor=btc_user, nomination=world.state_draft)
    # Through the screens: the page says why, nothing changes; BTC still reads it.
    client_for(client, btc_user)
    response = client.post(reverse("nomination_action", args=[state.pk, "withdraw"]))
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == Nomination.Status.VERIFIED
    page = page_text(client.get(reverse("nomination_detail", args=[state.pk])))
    assert "Trần Thị Nước" in page and "Rút hồ sơ" not in page
    # Bulk: a State-block file in the selection is refused with the reason.
    result = bulk.nomination_bulk_verify(actor=btc_user, nominations=[submitted])
    assert result.changed == [] and "Chỉ Sở Nội vụ" in result.refused[0][1]


def test_btc_acts_on_the_party_block_for_every_unit(world, btc_user):
    created = services.nomination_create(
        actor=btc_user,
        person=world.person_b,
        course=world.quota_line.course,
        quota_line=world.quota_line,
    )
    assert created.unit == world.unit_b
    services.nomination_withdraw(actor=btc_user, nomination=world.party_draft)
    services.nomination_verify(actor=btc_user, nomination=world.nomination_a)
    assert Nomination.objects.get(pk=world.nomination_a.pk).status == Nomination.Status.VERIFIED


def test_snv_reads_the_party_block_but_does_not_act_on_it(client, world, snv_user):
    party = world.nomination_a
    for act in (services.nomination_verify, services.nomination_withdraw):
        with pytest.raises(NominationRefused):
            act(actor=snv_user, nomination=party)
    for act in (services.nomination_return, services.nomination_reject):
        with pytest.raises(NominationRefused, match="Chỉ Ban Tổ chức Tỉnh ủy thẩm định"):
            act(actor=snv_user, nomination=party, reason="Thử")
    with pytest.raises(NominationRefused):
        services.nomination_submit(actor=snv_user, nomination=world.party_draft)
    client_for(client, snv_user)
    assert client.get(reverse("nomination_detail", args=[party.pk])).status_code == 200
    line = reverse("allocation_set", args=[2021, world.quota_line.pk])
    assert client.post(line, {"unit": world.unit_a.pk, "count": 1}).status_code == 403
    # …and acts on its own block.
    services.nomination_approve(actor=snv_user, nomination=world.state_verified)
    services.nomination_withdraw(actor=snv_user, nomination=world.state_verified)
    party.refresh_from_db()
    assert party.status == Nomination.Status.SUBMITTED


def test_units_act_on_their_own_records_in_both_blocks(world, unit_a_user, unit_b_user):
    for line in (world.quota_line, world.state_line):
        person = factories.PersonFactory(
            full_name="Đỗ Văn Cử", organisation=world.unit_a, manager_level="so"
        )
        created = services.nomination_create(
            actor=unit_a_user, person=person, course=line.course, quota_line=line
        )
        assert created.unit == world.unit_a
        with pytest.raises(NominationRefused, match="Đơn vị chỉ được cử cán bộ của đơn vị mình"):
            services.nomination_create(
                actor=unit_b_user, person=person, course=line.course, quota_line=None
            )
    services.nomination_withdraw(actor=unit_a_user, nomination=world.state_verified)
    services.nomination_withdraw(actor=unit_a_user, nomination=world.party_draft)
    assert {
        Nomination.objects.get(pk=n.pk).status for n in (world.state_verified, world.party_draft)
    } == {Nomination.Status.WITHDRAWN}
    with pytest.raises(NominationRefused):
        services.nomination_withdraw(actor=unit_b_user, nomination=world.nomination_a)
    with pytest.raises(PermissionDenied):
        person_update(actor=unit_b_user, person=world.person_a, data={"position": "X"})


def test_permissions_per_role(world, btc_user, snv_user, leader_user, unit_a_user, unit_b_user):
    """The policy in one place, asked directly (what views, templates and services read)."""

    def who(name, obj=None):
        users = {
            "btc": btc_user,
            "snv": snv_user,
            "lanhdao": leader_user,
            "unit_own": unit_a_user,
            "unit_other": unit_b_user,
        }
        return {role for role, user in users.items() if user.has_perm(name, obj)}

    everyone = {"btc", "snv", "lanhdao", "unit_own", "unit_other"}
    assert who("training_plan.manage_block", "party") == {"btc"}
    assert who("training_plan.manage_block", "state") == {"snv"}
    assert who("training_plan.view_every_unit") == {"btc", "snv", "lanhdao"}
    assert who("training_plan.view_person") == everyone
    assert who("training_plan.view_person", world.person_a) == everyone - {"unit_other"}
    assert who("training_plan.change_person", world.person_a) == {"btc", "snv", "unit_own"}
    assert who("training_plan.view_identity_number") == {"btc", "snv"}
    assert who("training_plan.view_identity_number", world.person_a) == {"btc", "snv", "unit_own"}
    assert who("training_plan.view_download_log") == {"btc"}
    assert who("quotas.view_nomination", world.nomination_a) == everyone - {"unit_other"}
    assert who("quotas.add_nomination") == {"btc", "unit_own", "unit_other"}
    assert who("quotas.submit_nomination", world.party_draft) == {"btc", "unit_own"}
    assert who("quotas.submit_nomination", world.state_draft) == {"unit_own"}
    assert who("quotas.verify_nomination", world.nomination_a) == {"btc"}
    assert who("quotas.verify_nomination", world.state_verified) == {"snv"}
    assert who("quotas.withdraw_nomination", world.state_verified) == {"snv", "unit_own"}
    assert who("quotas.act_on_nominations") == everyone - {"lanhdao"}
    assert who("quotas.change_allocation", world.quota_line) == {"btc"}
    assert who("quotas.change_allocation", world.state_line) == {"snv"}
    assert who("courses.manage_class", world.training_class) == {"snv"}
    assert who("courses.manage_class", world.party_class) == {"btc"}
    assert who("budget.change_costnorm") == {"btc", "snv"}
    assert who("budget.change_budgetline", world.budget_line) == {"snv"}
    assert who("reports.download_workbook") == {"btc", "snv", "lanhdao"}
    assert who("reports.download_nominations") == everyone
    assert who("reports.issue_plan") == {"btc"}


# --- One policy: no role compared anywhere else ----------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
APPS = ["training_plan", "courses", "quotas", "budget", "reports"]
# Where the role may be read: the rules modules and the User model (the demo accounts, in demo/,
# only give roles).
ALLOWED = {"rules.py", "training_plan/models.py"}
ROLE_IN_CODE = re.compile(
    r"\.role\b\s*(==|!=|\bin\b)|Role\.(BTC|SNV|UNIT|LEADERSHIP)|\bis_(btc|snv|unit|leadership)\b"
    r"|sees_all_units|reviews_block|require_roles|\.is_superuser\b|\.is_staff\b"
)
# Showing the user's role (`user.get_role_display`) is fine; deciding on it is not.
ROLE_IN_TEMPLATE = re.compile(
    r"user\.role\s*(==|!=|\bin\b)"
    r"|user\.(is_btc|is_snv|is_unit|is_leadership|is_superuser|is_staff|sees_all_units)\b"
)


def test_no_role_is_compared_outside_the_rules_modules():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if path.name in ALLOWED or relative in ALLOWED or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if ROLE_IN_CODE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ROLE_IN_TEMPLATE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


# --- The menu -------------------------------------------------------------------------------

ADMIN_LINK = "Trang quản trị hệ thống"


def menu_of(html):
    """The menu's part of a page: the entries of the bar and of its drop-downs."""
    return html[html.index('<ul class="navbar-nav me-auto">') : html.index("</nav>")]


@pytest.mark.parametrize(
    "persona, shown, hidden",
    [
        ("btc_user", ["Cán bộ", "Nhật ký tải xuống"], [ADMIN_LINK]),
        ("leader_user", ["Cán bộ"], ["Nhật ký tải xuống", "Quản trị", ADMIN_LINK]),
        ("unit_a_user", ["Cán bộ"], ["Nhật ký tải xuống", "Quản trị", ADMIN_LINK]),
        ("admin_user_2021", ["Cán bộ", "Nhật ký tải xuống", "Quản trị", ADMIN_LINK], []),
    ],
)
def test_menu_shows_what_the_role_may_open(client, request, persona, shown, hidden):
    response = client_for(client, request.getfixturevalue(persona)).get(reverse("plan_list"))
    menu = menu_of(response.content.decode())
    entries = re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*>([^<]+)</a>', menu)
    for label in ["Tổng quan", "Kế hoạch", "Phân bổ chỉ tiêu", "Cử đi đào tạo", *shown]:
        assert label in entries, (persona, label)
    for label in hidden:
        assert label not in entries, (persona, label)


@pytest.mark.parametrize(
    "url, current",
    [
        ("/", "Tổng quan"),
        ("/plans/2021/", "Các kế hoạch"),
        ("/people/", "Cán bộ"),
        ("/plans/2021/allocations/", "Phân bổ chỉ tiêu"),
        ("/nominations/", "Cử đi đào tạo"),
        ("/plans/2021/classes/", "Lớp"),
        ("/plans/2021/norms/", "Kinh phí các khối"),
        ("/plans/2021/budget/appendix/", "Phụ lục kinh phí"),
        ("/downloads/log/", "Nhật ký tải xuống"),
    ],
)
def test_menu_marks_the_current_page(client, btc_user, url, current):
    html = client_for(client, btc_user).get(url).content.decode()
    marked = re.findall(
        r'<a class="(?:nav-link|dropdown-item) active" aria-current="page" '
        r'href="[^"]*">([^<]+)</a>',
        html,
    )
    assert marked == [current]
