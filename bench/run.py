"""`make bench`: serve the application with gunicorn on PostgreSQL with province-scale data and
measure it from this process over loopback; write BENCHMARKS.md.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_bench .venv/bin/python bench/run.py

Steps: create and migrate the database and load `seed_demo --scale province` when it has no
scale data yet; collectstatic; start gunicorn (deploy/gunicorn.conf.py, 2 × cores + 1 workers,
DEBUG off, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, plain HTTP on loopback); one
session per role written with the session engine; then for every page that exists in the URL
conf (looked up by name; the others are listed as not present): 8 concurrent clients (threads
with http.client, keep-alive), p50/p95 latency and throughput; queries per page and the SQL
floor (the page's queries captured in-process and executed alone); the admin changelists on
the same rows as the baseline; exports in a subprocess with their wall time and peak RSS.
Every loop is bounded in count and time; only 127.0.0.1 is contacted.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tp_bench"
OUTPUT = BASE_DIR / "BENCHMARKS.md"
CLIENTS = 8
REQUESTS = 96  # per page and role, split over the clients
TIME_CAP = 30.0  # seconds per page and role, whatever happens
SERIAL = 15  # sequential requests for the single-client time (floor ratio)
TARGET_P95_MS = 150

ROLES = {"btc": "BTC", "snv": "SNV", "lanhdao": "Lãnh đạo", "binhson": "Đơn vị (Bình Sơn)"}

# Pages by URL name (first name that exists wins), with query strings. Screens merged later are
# picked up by these names; edit the candidates if a screen chooses another name.
PAGES = [
    ("dashboard /", ["dashboard", "home"], {}, {}),
    ("plan overview 2021", ["plan_detail"], {"year": 2021}, {}),
    ("people list p.1", ["person_list", "people_list"], {}, {}),
    ("people search “nguyen van”", ["person_list", "people_list"], {}, {"q": "nguyen van"}),
    ("nominations p.1", ["nomination_list", "nominations_list"], {}, {}),
    (
        "nominations filtered p.1",
        ["nomination_list", "nominations_list"],
        {},
        {"status": "submitted"},
    ),
    ("nominations p.100", ["nomination_list", "nominations_list"], {}, {"page": 100}),
    (
        "nominations eligibility warning p.1",
        ["nomination_list", "nominations_list"],
        {},
        {"flag": "warn"},
    ),
    (
        "class list 2021",
        ["class_list", "trainingclass_list", "training_class_list"],
        {"year": 2021},
        {},
    ),
    ("budget appendix 2021", ["budget_appendix", "appendix"], {"year": 2021}, {}),
    # The screens of the round of issues 12–16 (issue 17).
    ("inbox", ["inbox"], {}, {}),
    ("needs round 2022", ["needs_round"], {"year": 2022}, {}),
    ("needs consolidation 2022", ["needs_consolidation"], {"year": 2022}, {}),
    ("plan versions 2021", ["plan_versions"], {"year": 2021}, {}),
    ("commitments", ["commitment_list"], {}, {}),
    # kwargs computed once Django is set up: the course of 2021 with the most capped lines.
    ("allocation grid 2021", ["allocation_grid"], "grid_course", {}),
    ("organisations", ["organisation_list"], {}, {}),
]
ADMIN_PAGES = [
    ("admin people changelist", "admin:training_plan_person_changelist", {}),
    ("admin people search", "admin:training_plan_person_changelist", {"q": "nguyen van"}),
    ("admin nominations p.1", "admin:quotas_nomination_changelist", {}),
    ("admin nominations filtered", "admin:quotas_nomination_changelist", {"status": "submitted"}),
    ("admin nominations p.100", "admin:quotas_nomination_changelist", {"p": 99}),
    (
        "admin nominations eligibility warning",
        "admin:quotas_nomination_changelist",
        {"eligibility_flag__exact": "warn"},
    ),
    ("admin notices (inbox)", "admin:inbox_notice_changelist", {}),
    ("admin organisations", "admin:training_plan_organisation_changelist", {}),
]
# Our page → the admin page on the same rows, for the ratio.
BASELINE = {
    "people list p.1": "admin people changelist",
    "nominations p.1": "admin nominations p.1",
    "people search “nguyen van”": "admin people search",
    "nominations filtered p.1": "admin nominations filtered",
    "nominations p.100": "admin nominations p.100",
    "nominations eligibility warning p.1": "admin nominations eligibility warning",
    "inbox": "admin notices (inbox)",
    "organisations": "admin organisations",
}
EXPORTS = [
    ("nominations workbook (Excel, all nominations of 2021)", ["plan_nominations_xlsx"],
     {"year": 2021}),
    ("nominations workbook (Excel, all 50.000 nominations, every year)",
     ["nominations_all_years_xlsx"], {}),
    ("plan workbook (Excel, plan 2021)", ["plan_workbook_xlsx", "plan_workbook"], {"year": 2021}),
    ("plan PDF 2021", ["plan_document_pdf", "plan_pdf"], {"year": 2021}),
    ("appendix PDF 2021", ["plan_appendix_pdf"], {"year": 2021}),
]  # fmt: skip
NOMINATION_FORM = ["nomination_create", "nomination_add"]
IMPORT = ["nomination_import", "import_nominations"]


def log(message):
    print(message, flush=True)


# --- Environment and server -----------------------------------------------------------------


def production_env(database_url, port):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECURE_", "BEHIND_", "WEB_CONCURRENCY", "GUNICORN_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY=str(2 * os.cpu_count() + 1),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
        # Login throttling must not lock the benchmark's own sessions out.
        LOGIN_FAILURE_LIMIT="1000",
    )
    return env


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=BASE_DIR, check=check, text=True
    )


def prepare_database(database_url, env):
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"Tạo cơ sở dữ liệu {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    with psycopg.connect(database_url) as conn:
        scaled = conn.execute(
            "SELECT count(*) FROM training_plan_organisation WHERE code LIKE 'qm-%%'"
        ).fetchone()[0]
    seed_seconds = None
    if not scaled:
        log("Nạp dữ liệu quy mô tỉnh (seed_demo --scale province)…")
        started = time.monotonic()
        manage(env, "seed_demo", "--scale", "province", "--allow-production")
        seed_seconds = time.monotonic() - started
    # Planner statistics as a production server with autovacuum would have them (this machine's
    # PostgreSQL runs with autovacuum off; the seed analyses too, older databases may not be).
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return seed_seconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env):
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "training_plan.wsgi"], env=env, cwd=BASE_DIR
    )
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn không khởi động được")


# --- Django in this process (same database and SECRET_KEY as the server) ------------------


def setup_django(env):
    os.environ.update(
        {k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT")}
    )
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_plan.settings")
    import django

    django.setup()


def sessions():
    """A session cookie per role, written with the session engine (no login form needed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from training_plan.models import User

    cookies = {}
    for username in [*ROLES, "admin"]:
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the model backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies[username] = store.session_key
    return cookies


def grid_course():
    """The allocation grid's URL arguments: the 2021 course with the most capped quota lines."""
    from django.db.models import Count, Q

    from courses.models import Course

    course = (
        Course.objects.filter(program__section__plan__year=2021)
        .annotate(lines=Count("quota_lines", filter=Q(quota_lines__planned_count__isnull=False)))
        .order_by("-lines", "pk")
        .first()
    )
    return {"year": 2021, "pk": course.pk} if course else None


def url_of(names, kwargs, query):
    from django.urls import NoReverseMatch, reverse

    if kwargs == "grid_course":
        kwargs = grid_course()
        if kwargs is None:
            return None

    for name in names:
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
        return url + ("?" + urlencode(query) if query else "")
    return None


# --- Measuring ------------------------------------------------------------------------------


def fetch(conn, path, cookie):
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    return response.status


def load(port, path, cookie, clients=CLIENTS, requests=REQUESTS):
    """`requests` GETs spread over `clients` threads; latencies in ms, statuses, wall time."""
    latencies, statuses, lock = [], {}, threading.Lock()
    per_client = max(1, requests // clients)
    deadline = time.monotonic() + TIME_CAP

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(per_client):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            status = fetch(conn, path, cookie)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return latencies, statuses, wall


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(port, path, cookie):
    fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=60), path, cookie)  # warm up
    serial, _, _ = load(port, path, cookie, clients=1, requests=SERIAL)
    latencies, statuses, wall = load(port, path, cookie)
    return {
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "rps": len(latencies) / wall,
        "n": len(latencies),
        "statuses": statuses,
        "serial_p50": statistics.median(serial),
    }


def queries_and_floor(path, username):
    """Queries the page runs (in-process test client) and their time executed alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from training_plan.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    client.get(path)  # warm caches (ContentType, templates)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    statements = [q["sql"] for q in captured.captured_queries]
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    runs = []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return len(statements), statistics.median(runs)


CHILD = r"""
import os, sys, time
import training_plan.wsgi  # as gunicorn loads it: Django set up, WeasyPrint imported
from django.test import Client
from training_plan.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username=sys.argv[2]))
status_lines = open("/proc/self/status").read().splitlines()
loaded_kb = next(int(line.split()[1]) for line in status_lines if line.startswith("VmRSS:"))
started = time.perf_counter()
response = client.get(sys.argv[1])
size = 0
if response.streaming:
    for chunk in response.streaming_content:
        size += len(chunk)
else:
    size = len(response.content)
elapsed = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across fork and exec.
status_lines = open("/proc/self/status").read().splitlines()
peak_kb = next(int(line.split()[1]) for line in status_lines if line.startswith("VmHWM:"))
print(response.status_code, elapsed, size, loaded_kb, peak_kb)
"""


def export_in_subprocess(env, path, username):
    child_env = dict(
        env, ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="training_plan.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, path, username],
        env=child_env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:]}
    status, seconds, size, loaded_kb, rss_kb = result.stdout.split()[-5:]
    return {"status": int(status), "seconds": float(seconds), "bytes": int(size),
            "loaded_mb": int(loaded_kb) / 1024, "rss_mb": int(rss_kb) / 1024}  # fmt: skip


def hostile_uploads(env):
    """Each hostile workbook of bench/hostile_upload.py through the import page, each in its
    own process (its own memory peak)."""
    from hostile_upload import KINDS

    child_env = dict(
        env, ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="training_plan.settings"
    )
    results = []
    for kind in KINDS:
        log(f"hostile upload: {kind}")
        result = subprocess.run(
            [sys.executable, str(BASE_DIR / "bench" / "hostile_upload.py"), kind],
            env=child_env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            results.append({"kind": kind, "error": result.stderr.strip().splitlines()[-1:]})
        else:
            results.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return results


class _Rollback(Exception):
    pass


def form_submits(username="binhson", count=20):
    """POSTs of the nomination form creating drafts (in-process test client, one client, each
    for another person of the unit), all rolled back afterwards so the data stays the same."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quotas import selectors as quota_selectors
    from quotas.forms import target_choices
    from quotas.models import Nomination
    from training_plan import selectors as plan_selectors
    from training_plan.models import User
    from training_plan.selectors import people_for_user

    user = User.objects.get(username=username)
    plan = plan_selectors.latest_plan()
    courses = quota_selectors.plan_courses(plan)
    targets = [value for _, items in target_choices(courses) for value, _ in items]
    taken = Nomination.objects.filter(course__program__section__plan=plan).values("person_id")
    people = list(
        people_for_user(user).exclude(pk__in=taken).order_by("id").values_list("pk", flat=True)
    )[:count]
    url = reverse("nomination_create") + f"?year={plan.year}"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    latencies, statuses, queries = [], {}, []
    try:
        with transaction.atomic():
            for index, person in enumerate(people):
                data = {
                    "person": person,
                    "target": targets[index % len(targets)],
                    "training_months": 3,
                    "commitment_months": 24,
                    "year": plan.year,
                }
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.post(url, data)
                    latencies.append((time.perf_counter() - started) * 1000)
                queries.append(len(captured.captured_queries))
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            raise _Rollback
    except _Rollback:
        pass
    if not latencies:
        return None
    return {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
            "n": len(latencies), "statuses": statuses, "queries": max(queries)}  # fmt: skip


def import_file(rows=5000, username="btc"):
    """A 5.000-row file with the template's headers (quotas/imports.HEADERS), people of the
    data, uploaded to the import screen (check/preview step), then confirmed when it has no
    bad rows; in-process, rolled back afterwards. Wall time of each step."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from openpyxl import Workbook

    from courses import eligibility
    from courses.models import Course, EligibilityRule
    from quotas import imports
    from quotas.models import Allocation, Nomination, QuotaLine
    from training_plan import selectors as plan_selectors
    from training_plan.models import Person, User

    user = User.objects.get(username=username)
    plan = plan_selectors.latest_plan()
    # Rows the check accepts: eligible people of a unit on a line the unit has free allocated
    # seats on (in the file's order), the rest on courses by registration.
    taken = Nomination.objects.filter(course__program__section__plan=plan).values("person_id")
    free, used = {}, {}
    for unit_id, line_id in Nomination.objects.filter(
        course__program__section__plan=plan, quota_line__isnull=False
    ).values_list("unit_id", "quota_line_id"):
        used[unit_id, line_id] = used.get((unit_id, line_id), 0) + 1
    for allocation in Allocation.objects.filter(
        quota_line__course__program__section__plan=plan
    ).select_related("quota_line__course"):
        seats = allocation.count - used.get((allocation.unit_id, allocation.quota_line_id), 0)
        if seats > 0:
            free.setdefault(allocation.unit_id, []).extend([allocation.quota_line] * seats)
    people = list(
        Person.objects.exclude(pk__in=taken).select_related("organisation").order_by("id")
    )
    # Courses without quota lines (by registration) take anyone: the rest of the rows go there.
    open_courses = list(
        Course.objects.filter(program__section__plan=plan, quota_lines__isnull=True)
    ) or [QuotaLine.objects.filter(course__program__section__plan=plan).first().course]
    rules = {}
    for rule in EligibilityRule.objects.filter(course__program__section__plan=plan):
        rules.setdefault(rule.course_id, []).append(rule)
    months = Nomination(training_months=3, commitment_months=24)

    def eligible(person, course):
        report = eligibility.check(
            course, person, plan.year, months, rules=rules.get(course.pk, [])
        )
        return not report.blocking

    chosen = []
    for person in people:
        seats = free.get(person.organisation_id)
        if seats and eligible(person, seats[-1].course):
            chosen.append((person, seats.pop()))
    picked = {person.pk for person, _ in chosen}
    for person in people:
        if len(chosen) >= rows:
            break
        course = open_courses[len(chosen) % len(open_courses)]
        if person.pk not in picked and eligible(person, course):
            chosen.append((person, course))
    chosen = chosen[:rows]
    book = Workbook()
    sheet = book.active
    sheet.title = imports.SHEET_NAME
    sheet.append(imports.HEADERS)
    for number, (person, target) in enumerate(chosen, 1):
        course = target if isinstance(target, Course) else target.course
        row = [None] * len(imports.HEADERS)
        row[imports.COL_NO] = number
        row[imports.COL_NAME] = person.full_name
        row[imports.COL_DOB] = person.date_of_birth.strftime("%d/%m/%Y")
        row[imports.COL_ID] = person.identity_number
        row[imports.COL_UNIT] = person.organisation.code
        row[imports.COL_COURSE] = course.code
        if not isinstance(target, Course):
            row[imports.COL_LINE] = f"{course.code}-{target.position}"
        row[imports.COL_TRAINING] = 3
        row[imports.COL_COMMIT] = 24
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("nomination_import") + f"?year={plan.year}"
    result = {"rows": len(chosen), "bytes": len(content)}
    try:
        with transaction.atomic():
            upload = SimpleUploadedFile(
                "bench.xlsx",
                content,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            started = time.perf_counter()
            response = client.post(url, {"file": upload, "year": plan.year})
            result["check_seconds"] = time.perf_counter() - started
            result["check_status"] = response.status_code
            html = response.content.decode()
            bad = re.search(r"(\d+) dòng có lỗi", html)
            result["bad"] = int(bad.group(1)) if bad else 0
            token = re.search(r'name="token" value="([^"]+)"', html)
            token = token.group(1) if token else None
            if bad:
                errors = re.findall(r'class="[^"]*text-danger[^"]*">([^<]{10,})<', html)
                result["first_errors"] = sorted(set(errors))[:3]
            if token:
                started = time.perf_counter()
                response = client.post(reverse("nomination_import_confirm"), {"token": token})
                result["confirm_seconds"] = time.perf_counter() - started
                result["confirm_status"] = response.status_code
            raise _Rollback
    except _Rollback:
        pass
    return result


# --- Report ---------------------------------------------------------------------------------


def machine():
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"{int(mem) / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "?"
    return f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.platform()}"


def versions():
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg}, gunicorn {gunicorn.__version__}"
    )


def data_counts():
    from courses.models import TrainingClass
    from quotas.models import Nomination
    from training_plan.models import Organisation, Person, Plan

    return (
        f"{Person.objects.count()} people, "
        f"{Organisation.objects.filter(kind='unit').count()} units, "
        f"{Plan.objects.count()} plans, {Nomination.objects.count()} nominations, "
        f"{TrainingClass.objects.count()} classes"
    )


def ms(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def render(
    results, admin_results, missing, exports, meta, submits=None, imported=None, hostile=None
):
    lines = [
        f"### Run of {meta['date']}",
        "",
        f"- Machine: {meta['machine']}",
        f"- Versions: {meta['versions']}",
        f"- Data: {meta['data']}" + (f" (loaded in {meta['seed']:.0f} s)" if meta["seed"] else ""),
        f"- Load average of the machine (1 min) at start / end: {meta['load'][0]:.1f} / "
        f"{meta['load'][1]:.1f} (other work on the same cores inflates every figure)",
        f"- Server: gunicorn, {meta['workers']} sync workers (2 × cores + 1), DEBUG off; "
        f"{CLIENTS} concurrent clients on loopback in a separate process, "
        f"{REQUESTS} requests per page and role (capped at {TIME_CAP:.0f} s), keep-alive.",
        "",
        "| page | role | p50 ms | p95 ms | req/s | status | queries | SQL floor ms "
        "| page/floor | ours/admin | p95 ≤ 150 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results + admin_results:
        if row.get("denied"):
            lines.append(f"| {row['page']} | {row['role']} | — | — | — | 403 (no access by design) "
                         "| — | — | — | — | — |")  # fmt: skip
            continue
        ratio = row.get("admin_ratio")
        lines.append(
            f"| {row['page']} | {row['role']} | {ms(row['p50'])} | {ms(row['p95'])} | "
            f"{row['rps']:.1f} | {', '.join(f'{k}×{v}' for k, v in row['statuses'].items())} | "
            f"{row['queries']} | {ms(row['floor'])} | {row['serial_p50'] / row['floor']:.1f} | "
            f"{f'{ratio:.2f}' if ratio else '—'} | "
            f"{'yes' if row['p95'] <= TARGET_P95_MS else '**no**'} |"
        )
    lines += [
        "",
        "Exports (in-process Django test client in a subprocess that loads the application as "
        "gunicorn does; peak RSS of that process):",
        "",
    ]
    if exports:
        for name, value in exports:
            if "error" in value:
                lines.append(f"- {name}: error {value['error']}")
            else:
                lines.append(
                    f"- {name}: {value['seconds']:.2f} s, peak RSS {value['rss_mb']:.0f} MB "
                    f"(+{value['rss_mb'] - value['loaded_mb']:.0f} MB over the loaded application, "
                    f"{value['loaded_mb']:.0f} MB), "
                    f"{value['bytes']} bytes, status {value['status']}"
                )
    else:
        lines.append("- none present yet")
    lines += ["", "Writes (in-process Django test client, one client, rolled back afterwards):", ""]
    if submits:
        lines.append(
            f"- nomination form submit (POST creating a draft, unit Bình Sơn): "
            f"p50 {ms(submits['p50'])} ms, p95 {ms(submits['p95'])} ms over {submits['n']} "
            f"requests, status {', '.join(f'{k}×{v}' for k, v in submits['statuses'].items())}, "
            f"{submits['queries']} queries at most"
        )
    if imported:
        text = (
            f"- Excel import of {imported['rows']} rows ({imported['bytes']} bytes, BTC): "
            f"upload and check {imported.get('check_seconds', 0):.2f} s "
            f"(status {imported.get('check_status')}, {imported.get('bad')} bad rows"
            f"{': ' + '; '.join(imported['first_errors']) if imported.get('first_errors') else ''})"
        )
        if "confirm_seconds" in imported:
            text += (
                f", confirm (save) {imported['confirm_seconds']:.2f} s "
                f"(status {imported['confirm_status']}); total "
                f"{imported['check_seconds'] + imported['confirm_seconds']:.2f} s"
            )
        lines.append(text)
    if hostile:
        lines += [
            "",
            "Hostile uploads (issue 11; each posted to the import page as a unit, in its own "
            "process; target: refused in < 2 s with < 100 MB extra memory):",
            "",
            "| file | size | time | extra memory | page | what the user reads |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for row in hostile:
            if "error" in row:
                lines.append(f"| {row['kind']} | | | | | error: {row['error']} |")
                continue
            lines.append(
                f"| {row['kind']} | {row['bytes'] / 1024:.0f} KB | {row['seconds']:.2f} s | "
                f"{row['extra_mb']:.1f} MB | {row['page_kb']} KB | {row['message'] or '—'} |"
            )
    lines += ["", "Not present in the URL conf at this run (skipped): "
              + (", ".join(missing) if missing else "none") + "."]  # fmt: skip
    return "\n".join(lines)


METHOD = """## Method

`make bench` (bench/run.py) on PostgreSQL (`BENCH_DATABASE_URL`, default
`postgres://postgres@127.0.0.1:5432/tp_bench`): migrates and loads `seed_demo --scale province`
when the database has no scale data, collects static files, starts gunicorn with
`deploy/gunicorn.conf.py` (DEBUG off, generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, HTTPS
redirect off because it is plain HTTP on loopback) and measures from its own process:

- **latency and throughput**: per page and role, 8 threads each with a keep-alive
  `http.client` connection and a session cookie written with the session engine; p50/p95 of
  the request latencies, requests per second over the wall time;
- **queries** per page: captured in-process with `CaptureQueriesContext` (Django test client,
  same database and settings);
- **SQL floor**: the same read queries executed alone, one after another, median of 5 runs;
  `page/floor` = the single-client page latency over HTTP / the floor;
- **ours/admin**: our page's p50 over the p50 of the Django admin changelist on the same rows
  (people, nominations), measured the same way as the administrator;
- **exports**: the export URL fetched by the test client in a subprocess (wall time, peak RSS);
- pages whose URL name does not exist yet are listed as not present.

Targets (issue 6): every page p95 ≤ 150 ms at 8 concurrent clients and never slower than the
admin changelist on the same rows; query counts that do not grow with the data; workbook
export ≤ 15 s and ≤ 250 MB; plan PDF ≤ 5 s; import of 5.000 rows ≤ 10 s. Hostile uploads (issue
11): a sparse sheet, a 40 MB cell, 1,7 M shared strings refused in < 2 s with < 100 MB extra
memory (each in a process of its own, peak resident memory over the memory before the upload).
Issue 17: every page single-client ≤ 3× its SQL floor; the screens of issues 12–16 (inbox,
needs, versions, commitments, allocation grid, organisations) measured too, with the admin's
notices and organisations as baselines; the scale seed has no needs round or commitments, so
those pages are near-empty here (the consolidation of 2022 answers 404: no round). Where each
page's time goes: `bench/profile_pages.py` (in-process, SQL apart, pyinstrument by layer).
"""


def write_report(run_text):
    previous = ""
    if OUTPUT.exists():
        old = OUTPUT.read_text()
        match = re.search(r"<!-- latest -->\n(.*?)\n<!-- /latest -->", old, flags=re.S)
        rest = old.split("## Previous runs", 1)
        previous_runs = rest[1].strip() if len(rest) > 1 else ""
        if match:
            previous = match.group(1).strip() + ("\n\n" + previous_runs if previous_runs else "")
    text = (
        "# Benchmarks\n\nFigures written by `make bench`; each run moves the previous latest "
        "run down to “Previous runs”, so runs stay comparable.\n\n"
        + METHOD
        + "\n## Latest run\n\n<!-- latest -->\n"
        + run_text
        + "\n<!-- /latest -->\n\n## Notes\n\n"
        + NOTES
        + "\n## Previous runs\n\n"
        + (previous or "None yet.")
        + "\n"
    )
    OUTPUT.write_text(text)


NOTES_FILE = BASE_DIR / "bench" / "NOTES.md"
NOTES = NOTES_FILE.read_text() if NOTES_FILE.exists() else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--time-cap", type=float, default=TIME_CAP)
    parser.add_argument("--serial", type=int, default=SERIAL)
    parser.add_argument(
        "--only",
        help="a partial run: only the pages, writes and exports whose label contains one of "
        "these comma-separated words",
    )
    args = parser.parse_args()

    def wanted(label):
        return not args.only or any(word in label for word in args.only.split(","))

    PAGES[:] = [p for p in PAGES if wanted(p[0])]
    ADMIN_PAGES[:] = [p for p in ADMIN_PAGES if wanted(p[0])]
    globals().update(REQUESTS=args.requests, TIME_CAP=args.time_cap, SERIAL=args.serial)
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_DATABASE_URL phải là PostgreSQL.")
    load_at_start = os.getloadavg()[0]
    port = free_port()
    env = production_env(database_url, port)
    seed_seconds = prepare_database(database_url, env)
    setup_django(env)
    cookies = sessions()
    server = start_gunicorn(env)
    try:
        results, missing = [], []
        by_page = {}
        for page, names, kwargs, query in PAGES:
            path = url_of(names, kwargs, query)
            if path is None:
                missing.append(page)
                continue
            for username, role in ROLES.items():
                log(f"{page} — {role}: {path}")
                status = fetch(
                    http.client.HTTPConnection("127.0.0.1", port), path, cookies[username]
                )
                if status == 403:  # the role has no access by design: nothing to measure
                    results.append({"page": page, "role": role, "denied": True})
                    continue
                row = measure(port, path, cookies[username])
                row["queries"], row["floor"] = queries_and_floor(path, username)
                row.update(page=page, role=role)
                results.append(row)
                by_page.setdefault(page, row)
        admin_results, admin_p50 = [], {}
        for page, name, query in ADMIN_PAGES:
            path = url_of([name], {}, query)
            log(f"{page}: {path}")
            row = measure(port, path, cookies["admin"])
            row["queries"], row["floor"] = queries_and_floor(path, "admin")
            row.update(page=page, role="administrator")
            admin_results.append(row)
            admin_p50[page] = row["p50"]
        for row in results:
            baseline = BASELINE.get(row["page"])
            if baseline in admin_p50 and not row.get("denied"):
                row["admin_ratio"] = row["p50"] / admin_p50[baseline]
        submits = imports_result = None
        if not wanted("nomination form submit"):
            pass
        elif url_of(NOMINATION_FORM, {}, {}) is None:
            missing.append("nomination form submit")
        else:
            log("nomination form submit (POST, drafts, rolled back)")
            submits = form_submits()
        if not wanted("Excel import"):
            pass
        elif url_of(IMPORT, {}, {}) is None:
            missing.append("import")
        else:
            log("Excel import of 5.000 rows (rolled back)")
            imports_result = import_file()
        hostile = None
        if wanted("hostile upload"):
            hostile = hostile_uploads(env)
        if args.only:
            missing.append(f"everything whose label does not contain “{args.only}” (partial run)")
        exports = []
        for label, names, kwargs in [e for e in EXPORTS if wanted(e[0])]:
            path = url_of(names, kwargs, {})
            if path is None:
                missing.append(label)
                continue
            log(f"{label}: {path}")
            if "PDF" not in label:
                exports.append((label, export_in_subprocess(env, path, "btc")))
                continue
            # The plan's PDFs are stored once rendered: the first download after a change of
            # the plan renders (cold), the next ones are served from the store.
            from training_plan.models import RenderedDocument

            RenderedDocument.objects.all().delete()
            exports.append((f"{label}, rendered", export_in_subprocess(env, path, "btc")))
            exports.append((f"{label}, stored", export_in_subprocess(env, path, "btc")))
    finally:
        server.terminate()
        server.wait(timeout=30)
    meta = {
        "date": datetime.datetime.now().strftime("%d/%m/%Y %H:%M"),
        "machine": machine(),
        "versions": versions(),
        "data": data_counts(),
        "seed": seed_seconds,
        "workers": env["WEB_CONCURRENCY"],
        "load": (load_at_start, os.getloadavg()[0]),
    }
    write_report(
        render(results, admin_results, missing, exports, meta, submits, imports_result, hostile)
    )
    log(f"Đã ghi {OUTPUT}")
    json.dump({"results": results, "admin": admin_results}, sys.stdout, default=str, indent=None)
    print()


if __name__ == "__main__":
    main()
