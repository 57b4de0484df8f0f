"""Where a page's time goes: each page of the benchmark rendered in-process (Django test client,
DEBUG off, the bench database) under pyinstrument, with the time in SQL measured apart.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_bench \
        .venv/bin/python bench/profile_pages.py [--only word,word] [--repeat 20] [--tree]

Per page and role: the mean time of a request, the part spent in the database driver (cursor
execute and fetch) and the rest (Python: views, forms, templates). `--tree` prints
pyinstrument's call tree of the first role's requests (needs `pip install pyinstrument`).
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))


# Inclusive time of these functions (cProfile), per request: where a page's Python goes.
PARTS = [
    ("whole request", "django/test/client.py", "get"),
    ("template render (all)", "django/template/base.py", "render"),
    ("{% url %} / reverse()", "django/urls/base.py", "reverse"),
    (
        "crispy filter fields",
        "crispy_forms/templatetags/crispy_forms_filters.py",
        "as_crispy_field",
    ),
    ("widget render", "django/forms/widgets.py", "render"),
    ("QuickSelect render", "training_plan/widgets.py", "render"),
    ("{% include %}", "django/template/loader_tags.py", "render"),
    ("ORM: model instances", "django/db/models/base.py", "from_db"),
    ("ORM: SQL compile", "django/db/models/sql/compiler.py", "as_sql"),
    ("DB driver execute", "django/db/backends/utils.py", "_execute"),
    ("middleware: session+auth", "django/contrib/auth/middleware.py", "process_request"),
    ("context processors", "django/template/context.py", "bind_template"),
    ("rules has_perm", "rules/templatetags/rules.py", "has_perm"),
    ("view", "training_plan/access.py", "wrapped"),
]


# pyinstrument samples, each attributed to the innermost frame of these (file path parts, in
# the order tried): which layer the CPU is in.
LAYERS = [
    ("crispy forms (filter fields)", "crispy_forms/"),
    ("form widgets (select options)", ("django/forms/", "training_plan/widgets.py")),
    ("URL reversing", "django/urls/"),
    ("DB driver (psycopg, waiting for PostgreSQL)", "psycopg/"),
    ("ORM (query building, model instances)", "django/db/"),
    ("template engine", ("django/template/", "django/templatetags/", "templatetags/")),
    (
        "HTML escaping, formats, dates",
        (
            "django/utils/html.py",
            "django/utils/dateformat.py",
            "django/utils/formats.py",
            "django/utils/numberformat.py",
            "django/utils/safestring.py",
            "django/utils/functional.py",
        ),
    ),
    (
        "sessions, auth, middleware",
        (
            "django/contrib/sessions",
            "django/contrib/auth",
            "middleware",
            "axes/",
            "django_otp/",
            "django/core/handlers/",
        ),
    ),
    ("our code", ("/work/",)),
]


def layer_of(stack):
    for frame in reversed(stack):
        path = frame.split("\x00")[1] if "\x00" in frame else frame
        for label, parts in LAYERS:
            parts = (parts,) if isinstance(parts, str) else parts
            if any(part in path for part in parts):
                if label == "our code" and "/.venv/" in path:
                    continue
                return label
    return "other (Python, test client)"


def by_part(session, repeat):
    totals = {}
    for stack, seconds in session.frame_records:
        key = layer_of(stack)
        totals[key] = totals.get(key, 0.0) + seconds
    whole = sum(totals.values())
    for key, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"    {key:45} {seconds / repeat * 1000:6.1f} ms  {seconds / whole:4.0%}")
    # The same samples by the innermost line of the project's code (or template) on the stack.
    origins = {}
    for stack, seconds in session.frame_records:
        origin = "?"
        for frame in reversed(stack):
            parts = frame.split("\x00")
            path = parts[1] if len(parts) > 1 else frame
            if "/work/" in path and "/.venv/" not in path and "bench/" not in path:
                origin = f"{parts[0]} {path.split('/')[-2]}/{path.split('/')[-1]}"
                break
        origins[origin] = origins.get(origin, 0.0) + seconds
    print("    by the project's innermost function:")
    for key, seconds in sorted(origins.items(), key=lambda item: -item[1])[:8]:
        print(f"      {key:60} {seconds / repeat * 1000:6.1f} ms")


def breakdown(profile, repeat):
    import pstats

    stats = pstats.Stats(profile).stats
    for label, file_part, name in PARTS:
        # Inclusive time of the outermost calls (cumulative time counts recursion once).
        total = sum(
            ct
            for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items()
            if file.endswith(file_part) and func == name
        )
        if total:
            print(f"    {label:28} {total / repeat * 1000:6.1f} ms")
    top = sorted(stats.items(), key=lambda item: -item[1][2])[:12]
    print("    top self time:")
    for (file, line, func), (_cc, nc, tt, _ct, _callers) in top:
        print(f"      {tt / repeat * 1000:5.2f} ms {nc // repeat:6d}× {func} {file[-60:]}:{line}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tree", action="store_true")
    parser.add_argument("--roles", default="btc,snv,lanhdao,binhson")
    parser.add_argument("--flat", action="store_true", help="cProfile: where the time goes")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tp_bench"
        ),
        DEBUG="0",
        SECRET_KEY="profile-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="training_plan.settings",
    )
    import django

    django.setup()
    import run
    from django.db import connection
    from django.test import Client

    from training_plan.models import User

    sql = {"t": 0.0, "render": 0.0, "sql_in_render": 0.0, "rendering": False}

    from django.template.backends import django as django_backend

    original_render = django_backend.Template.render

    def timed_render(self, *args, **kwargs):
        if sql["rendering"]:
            return original_render(self, *args, **kwargs)
        sql["rendering"] = True
        started = time.perf_counter()
        try:
            return original_render(self, *args, **kwargs)
        finally:
            sql["render"] += time.perf_counter() - started
            sql["rendering"] = False

    django_backend.Template.render = timed_render

    def timer(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql["t"] += time.perf_counter() - started
            if sql["rendering"]:
                sql["sql_in_render"] += time.perf_counter() - started

    pages = run.PAGES + [(p, [n], {}, q) for p, n, q in run.ADMIN_PAGES]
    for label, names, kwargs, query in pages:
        if args.only and not any(w in label for w in args.only.split(",")):
            continue
        path = run.url_of(names, kwargs, query)
        if path is None:
            continue
        roles = ["admin"] if label.startswith("admin") else args.roles.split(",")
        for index, username in enumerate(roles):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=username))
            response = client.get(path)
            if response.status_code != 200:
                print(f"{label:45} {username:8} status {response.status_code}")
                continue
            sql.update(t=0.0, render=0.0, sql_in_render=0.0)
            profiler = None
            if args.tree and index == 0:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                profiler.start()
            cprofile = None
            if args.flat and index == 0:
                import cProfile

                cprofile = cProfile.Profile()
                cprofile.enable()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                for _ in range(args.repeat):
                    client.get(path)
                total = (time.perf_counter() - started) / args.repeat * 1000
            if profiler:
                profiler.stop()
            if cprofile:
                cprofile.disable()
                breakdown(cprofile, args.repeat)
            db = sql["t"] / args.repeat * 1000
            # Template rendering (outermost render), less the queries run while rendering
            # (lazy querysets evaluated by the template).
            template = (sql["render"] - sql["sql_in_render"]) / args.repeat * 1000
            print(
                f"{label:45} {username:8} {total:6.1f} ms  SQL {db:5.1f} ms  "
                f"Python {total - db:5.1f} ms (templates {template:5.1f} ms)  "
                f"{len(response.content) // 1024} KB",
                flush=True,
            )
            if profiler:
                by_part(profiler.last_session, args.repeat)


if __name__ == "__main__":
    main()
