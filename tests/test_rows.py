"""The rows written in Python (training_plan/rows.py) against the template loops they replaced,
kept verbatim in tests/html_snapshots/loops/: every branch (reserve, reason, promoted from the
reserve, bulk checkboxes, masked identity, blank fields) and hostile text (HTML in names) must
give the same HTML byte for byte.
"""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone

from courses.models import Course
from quotas.models import Nomination, QuotaLine
from quotas.templatetags.nominations import nomination_rows
from training_plan.models import Organisation, Person
from training_plan.templatetags.rows import person_rows

# The loops as they were in the templates (commit 02a1b08), from `{% for %}` to `{% endfor %}`.
LOOPS = Path(__file__).parent / "html_snapshots" / "loops"
OLD_PERSON_LOOP = (LOOPS / "person_list.html").read_text()
OLD_NOMINATION_LOOP = "{% load nominations %}" + (LOOPS / "nomination_list.html").read_text()

HOSTILE = "Lê <b>\"Thị\"</b> & 'Ánh'"


def old(source, **context):
    """The loop alone: from `{% for %}` to `{% endfor %}` (the tags replace only that)."""
    return engines["django"].from_string(source.strip()).render(context)


def people():
    unit = Organisation(name="Huyện ủy <Bình Sơn> & co")
    rows = []
    for pk, (name, position, rank, theory, identity) in enumerate(
        [
            ("Nguyễn Văn An", "Trưởng phòng", "chuyen_vien", "cao_cap", "051090000123"),
            (HOSTILE, "", "", "", ""),
            ("Trần Thị Bình", "Phó <giám đốc>", "", "trung_cap", "051190000456"),
        ],
        start=7,
    ):
        person = Person(
            pk=pk,
            full_name=name,
            date_of_birth=datetime.date(1980 + pk, pk % 12 + 1, pk),
            gender="female" if pk % 2 else "male",
            organisation=unit,
            position=position,
            category="cong_chuc",
            rank=rank,
            theory_level=theory,
            identity_number=identity,
        )
        rows.append(person)
    return rows


@pytest.mark.parametrize("show_identity", [True, False])
def test_person_rows_as_the_template_loop(show_identity):
    page = people()
    expected = old(OLD_PERSON_LOOP, page=page, show_identity=show_identity)
    assert "    <tr>" in expected
    assert person_rows(page, show_identity) == expected


def nominations():
    unit = Organisation(name='Đảng ủy <Khối> & "cơ quan"')
    institution = Organisation(name="Học viện <Chính trị> khu vực III")
    line = QuotaLine(institution=institution, study_mode="tap_trung")
    rows = []
    cases = [
        ("reserve", None, False, True),
        ("returned", "Thiếu <hồ sơ> & ảnh", False, False),
        ("rejected", "Không đủ điều kiện", True, True),
        ("submitted", "lý do cũ", True, False),
        ("draft", None, False, True),
    ]
    for pk, (status, reason, promoted, with_line) in enumerate(cases, start=101):
        person = Person(
            pk=pk,
            full_name=HOSTILE if pk % 2 else "Phạm Văn Cường",
            date_of_birth=datetime.date(1975, 1, 9),
        )
        n = Nomination(
            pk=pk,
            status=status,
            person=person,
            unit=unit,
            quota_line=line if with_line else None,
            reserve_since=timezone.make_aware(datetime.datetime(2021, 3, 4, 23, 30))
            if status == "reserve"
            else None,
        )
        n.course = Course(name='Cao cấp <LLCT> & "A"')
        n.last_reason = reason
        n.from_reserve = promoted
        n.report = SimpleNamespace(
            flag=["ok", "warn", "blocked", "none", "other"][pk % 5],
            flag_label="Cảnh báo <tuổi>",
            sentences=['Quá <tuổi> & "hạn"', "Câu hai"] if pk % 2 else [],
        )
        rows.append(n)
    return rows


@pytest.mark.parametrize("bulk_actions", [[("submit", "Gửi")], []])
def test_nomination_rows_as_the_template_loop(bulk_actions):
    page = nominations()
    expected = old(OLD_NOMINATION_LOOP, page=page, bulk_actions=bulk_actions)
    assert "Dự bị từ" in expected and "status-reason" in expected
    assert "Tự động chuyển" in expected
    assert nomination_rows(page, bulk_actions) == expected


OLD_APPENDIX_LOOP = (LOOPS / "appendix.html").read_text()


def appendix_rows_of_every_kind():
    from budget.selectors import AppendixRow
    from courses.models import TrainingClass

    rows = []
    for pk, (planned, illustrative, learners) in enumerate(
        [(True, False, 1234567), (False, True, 0), (False, False, 45)], start=31
    ):
        rows.append(
            AppendixRow(
                number=pk - 30,
                training_class=TrainingClass(pk=pk, name=f'Lớp <{pk}> & "K"'),
                section_roman="II",
                program="1. Chương trình <A> & 'B'",
                course=HOSTILE,
                institution="Trường <Chính trị> & co",
                learners=learners,
                learners_are_planned=planned,
                planned_learners=learners,
                start_date=datetime.date(2021, 3, 1),
                end_date=datetime.date(2021, 12, 31),
                estimate=123456789 * pk,
                funding_source="Ngân sách <tỉnh>",
                is_illustrative=illustrative,
            )
        )
    return rows


@pytest.mark.parametrize("kind", ["rows", "empty"])
def test_appendix_rows_as_the_template_loop(kind):
    from training_plan.templatetags.rows import appendix_rows

    rows = appendix_rows_of_every_kind() if kind == "rows" else []
    group = SimpleNamespace(rows=rows)
    expected = old(OLD_APPENDIX_LOOP, group=group)
    assert ("dự kiến" in expected and "Minh họa" in expected) or kind == "empty"
    assert appendix_rows(rows) == expected


OLD_CLASS_LOOP = (LOOPS / "class_list.html").read_text()


@pytest.mark.parametrize("kind", ["rows", "empty"])
def test_class_rows_as_the_template_loop(kind):
    from django.core.paginator import Paginator

    from courses.models import Program, TrainingClass
    from training_plan.models import Section
    from training_plan.templatetags.rows import class_rows

    program = Program(section=Section(position=2), position=3, name="Bồi dưỡng", block="party")
    course = Course(name=HOSTILE, program=program)
    classes = []
    for pk, illustrative in enumerate([True, False], start=51):
        c = TrainingClass(
            pk=pk,
            name=f"Lớp <{pk}> & 'K'",
            course=course,
            institution=Organisation(name="Trường <Chính trị>"),
            start_date=datetime.date(2021, 3, 1),
            end_date=datetime.date(2021, 12, 31),
            capacity=1200 * pk,
            status="planned",
            is_illustrative=illustrative,
        )
        c.learner_count = 1000 * pk
        c.estimate = 987654321 * pk
        classes.append(c)
    page = Paginator(classes if kind == "rows" else [], 50).get_page(1)
    expected = old(OLD_CLASS_LOOP, page=page)
    assert "minh họa (*)" in expected or kind == "empty"
    assert class_rows(page) == expected
