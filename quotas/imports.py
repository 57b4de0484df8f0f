"""Excel import of nominations: the template, checks of every row.

A unit downloads the template (`quotas.import_template`), fills the first sheet and uploads it.
`read_upload` reads it with `training_plan.uploads` (the file checked before openpyxl opens it,
read-only, only the template's columns, bounded in rows, cell length and time, no formulas).
`resolve_rows` turns cells into people, courses and quota lines within what the user may see;
`check_rows` adds the database checks (duplicates, existing nominations, quota, eligibility).
Saving is `quotas.bulk.nomination_import`, which runs `check_rows` again inside the quota
locks.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q

from courses import eligibility
from courses.models import EligibilityRule
from quotas.models import Allocation, Nomination
from quotas.rules import create_refusal
from quotas.selectors import plan_courses
from quotas.services import duplicate_message
from training_plan import uploads
from training_plan.models import Person
from training_plan.rules import EVERY_UNIT, scope_to_user, unit_scope
from training_plan.selectors import people_for_user
from training_plan.selectors import units as units_in_order
from training_plan.text import clean_text, normalise_search
from training_plan.web import parse_id

MAX_ROWS = 5000
SHEET_NAME = "Danh sách cử"
CODES_SHEET = "Mã hợp lệ"
GUIDE_SHEET = "Hướng dẫn"
HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh (dd/mm/yyyy)",
    "Số định danh cá nhân",
    "Mã đơn vị",
    "Mã khóa",
    "Mã dòng chỉ tiêu",
    "Thời gian đào tạo (tháng)",
    "Cam kết phục vụ (tháng)",
    "Ghi chú",
]
(
    COL_NO,
    COL_NAME,
    COL_DOB,
    COL_ID,
    COL_UNIT,
    COL_COURSE,
    COL_LINE,
    COL_TRAINING,
    COL_COMMIT,
    COL_NOTE,
) = range(len(HEADERS))


# The file is refused as a whole (training_plan.uploads reads it safely).
ImportFileError = uploads.UploadError


def read_rows(workbook):
    """The data rows of the template's sheet (see training_plan.uploads.read_rows)."""
    return uploads.read_rows(workbook, HEADERS, sheet_name=SHEET_NAME, max_rows=MAX_ROWS)


def read_upload(upload):
    """The checked data rows of an uploaded template, or ImportFileError."""
    return uploads.read_upload(upload, HEADERS, sheet_name=SHEET_NAME, max_rows=MAX_ROWS)


# Rows -----------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int
    name: str = ""
    dob_text: str = ""
    identity: str = ""
    unit_code: str = ""
    course_code: str = ""
    line_code: str = ""
    training_months: int | None = None
    commitment_months: int | None = None
    note: str = ""
    dob: date | None = None
    person: object = None
    course: object = None
    quota_line: object = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    report: object = None  # the eligibility report of the last check, saved with the row
    cells: set = field(default_factory=set)  # the columns (COL_…) an error points at

    def fail(self, message, *columns):
        """An error of the row, and the cells it is about (highlighted in the error copy)."""
        self.errors.append(message)
        self.cells.update(columns)

    @property
    def ok(self):
        return not self.errors

    @property
    def unit_id(self):
        return self.person.organisation_id if self.person else None


def _text(value):
    """A cell as text, as the models store text (`clean_text`: no control or invisible
    characters, NFC): the import saves in bulk, without the models' pre_save cleaning."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(clean_text(str(value)).split())


def _parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_months(value, label, errors):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and parse_id(value.strip()) is not None:
        number = parse_id(value.strip())
    else:
        errors.append(f"{label} “{uploads.excerpt(_text(value))}” phải là số tháng (số nguyên).")
        return None
    if not 0 <= number <= 600:
        errors.append(f"{label} {number} tháng nằm ngoài khoảng cho phép (0–600).")
        return None
    return number


def _parse_identity(value, errors):
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if not isinstance(value, int) else str(value).zfill(12)
    if not re.fullmatch(r"[0-9]{12}", text):
        errors.append(
            f"Số định danh cá nhân “{uploads.excerpt(_text(value))}” phải gồm đúng 12 chữ số."
        )
        return ""
    return text


def parse_row(raw):
    values = raw.values
    row = ImportRow(number=raw.number)
    row.name = _text(values[COL_NAME])
    row.identity = _parse_identity(values[COL_ID], row.errors)
    if row.errors:
        row.cells.add(COL_ID)
    row.unit_code = _text(values[COL_UNIT])
    row.course_code = _text(values[COL_COURSE]).upper()
    row.line_code = _text(values[COL_LINE]).upper()
    row.note = _text(values[COL_NOTE])[:1000]
    dob_value = values[COL_DOB]
    row.dob_text = (
        f"{dob_value:%d/%m/%Y}" if isinstance(dob_value, date | datetime) else _text(dob_value)
    )
    if not row.name:
        row.fail("Thiếu họ và tên.", COL_NAME)
    if dob_value is None or row.dob_text == "":
        row.fail("Thiếu ngày sinh.", COL_DOB)
    else:
        row.dob = _parse_date(dob_value)
        if row.dob is None or not 1900 <= row.dob.year <= date.today().year:
            row.dob = None
            row.fail(
                f"Ngày sinh “{uploads.excerpt(row.dob_text)}” không hợp lệ: nhập theo dạng "
                "dd/mm/yyyy, ví dụ 05/09/1985.",
                COL_DOB,
            )
    for column, label, name in (
        (COL_TRAINING, "Thời gian đào tạo", "training_months"),
        (COL_COMMIT, "Cam kết phục vụ", "commitment_months"),
    ):
        count = len(row.errors)
        setattr(row, name, _parse_months(values[column], label, row.errors))
        if len(row.errors) > count:
            row.cells.add(column)
    if not row.course_code:
        row.fail("Thiếu mã khóa (xem trang “Mã hợp lệ”).", COL_COURSE)
    return row


class _Catalogue:
    """Codes of one plan and the units a user may import for."""

    def __init__(self, *, user, plan):
        self.plan = plan
        self.courses = {}
        self.lines = {}
        for course in plan_courses(plan):
            code = course.code
            self.courses[code] = course
            for line in course.quota_lines.all():
                self.lines[f"{code}-{line.position}"] = line
        units = scope_to_user(units_in_order(year=plan.year), user, "pk")  # the plan's units
        self.units = {unit.code.upper(): unit for unit in units}
        # Users who read only their own unit import for it without a unit code.
        self.own_unit = None if unit_scope(user) in (EVERY_UNIT, None) else user.organisation


def _resolve_target(row, catalogue):
    course = catalogue.courses.get(row.course_code)
    if course is None:
        if row.course_code:
            row.fail(
                f"Không có khóa mã “{uploads.excerpt(row.course_code)}” trong kế hoạch năm "
                f"{catalogue.plan.year} (xem trang “Mã hợp lệ”).",
                COL_COURSE,
            )
        return
    row.course = course
    lines = list(course.quota_lines.all())
    if not lines:
        if row.line_code:
            row.fail(
                f"Khóa {row.course_code} theo nhu cầu đăng ký, không có dòng chỉ tiêu: "
                "để trống cột “Mã dòng chỉ tiêu”.",
                COL_LINE,
            )
        return
    if not row.line_code:
        if len(lines) == 1:
            row.quota_line = lines[0]
            return
        codes = ", ".join(f"{row.course_code}-{line.position}" for line in lines)
        row.fail(f"Khóa {row.course_code} có nhiều dòng chỉ tiêu: ghi một mã ({codes}).", COL_LINE)
        return
    code = row.line_code if "-" in row.line_code else f"{row.course_code}-{row.line_code}"
    line = catalogue.lines.get(code)
    if line is None or line.course_id != course.pk:
        row.fail(
            f"Không có dòng chỉ tiêu “{uploads.excerpt(row.line_code)}” của khóa {row.course_code} "
            "(xem trang “Mã hợp lệ”).",
            COL_LINE,
        )
        return
    row.quota_line = line


def _resolve_unit(row, catalogue):
    if not row.unit_code:
        return catalogue.own_unit
    unit = catalogue.units.get(row.unit_code.upper())
    if unit is None:
        if catalogue.own_unit is not None:
            row.fail(
                f"Mã đơn vị “{uploads.excerpt(row.unit_code)}” không phải đơn vị của bạn "
                f"({catalogue.own_unit.code}).",
                COL_UNIT,
            )
        else:
            row.fail(
                f"Không có đơn vị mã “{uploads.excerpt(row.unit_code)}” (xem trang “Mã hợp lệ”).",
                COL_UNIT,
            )
    return unit


def _resolve_person(row, unit, candidates):
    """Find the row's person among the people the user may see (by identity or name + birth)."""
    if row.identity:
        matches = [p for p in candidates["identity"].get(row.identity, [])]
        if unit is not None:
            matches = [p for p in matches if p.organisation_id == unit.pk]
        if not matches:
            row.fail(
                f"Không tìm thấy cán bộ có số định danh {row.identity}"
                + (f" trong {unit.name}." if unit is not None else ".")
                + _held_elsewhere(candidates, row, unit),
                COL_ID,
            )
            return
        person = matches[0]
        if row.name and normalise_search(row.name) != person.search_name:
            row.fail(
                f"Họ tên “{uploads.excerpt(row.name)}” không khớp với hồ sơ của số định danh "
                f"{row.identity} ({person.full_name}).",
                COL_NAME,
            )
            return
        if row.dob and row.dob != person.date_of_birth:
            row.fail(
                f"Ngày sinh {row.dob_text} không khớp với hồ sơ của {person.full_name} "
                f"({person.date_of_birth:%d/%m/%Y}).",
                COL_DOB,
            )
            return
        row.person = person
        return
    if not row.name or row.dob is None:
        return
    matches = [
        p
        for p in candidates["name"].get(normalise_search(row.name), [])
        if p.date_of_birth == row.dob and (unit is None or p.organisation_id == unit.pk)
    ]
    if not matches:
        row.fail(
            f"Không tìm thấy cán bộ “{uploads.excerpt(row.name)}” sinh ngày {row.dob_text}"
            + (f" trong {unit.name}." if unit is not None else ".")
            + " Kiểm tra họ tên, ngày sinh hoặc ghi số định danh cá nhân."
            + _held_elsewhere(candidates, row, unit),
            COL_NAME,
            COL_DOB,
        )
    elif len(matches) > 1:
        row.fail(
            f"Có {len(matches)} cán bộ cùng họ tên “{uploads.excerpt(row.name)}” và ngày sinh: "
            "ghi số định danh cá nhân để phân biệt.",
            COL_ID,
        )
    else:
        row.person = matches[0]


def _held_elsewhere(candidates, row, unit):
    """One person, one record: the row's person recorded in another unit (or out of the user's
    sight) is named, so the unit asks for a transfer instead of a second record."""
    for person in candidates["elsewhere"]:
        if unit is not None and person.organisation_id == unit.pk:
            continue
        same_id = row.identity and person.identity_number == row.identity
        same_name = (
            row.name
            and person.search_name == normalise_search(row.name)
            and person.date_of_birth == row.dob
        )
        if same_id or same_name:
            return (
                f" {person.full_name} (sinh {person.date_of_birth:%d/%m/%Y}) đã có hồ sơ tại "
                f"{person.organisation.name}: đề nghị chuyển hồ sơ (trang Cán bộ → Thêm cán "
                "bộ), không tạo hồ sơ thứ hai."
            )
    return ""


def resolve_rows(raw_rows, *, user, plan, progress=None):
    """Cells → ImportRow with person, course and quota line, within what the user may see.
    `progress(done, total)`, if given, hears of each row resolved (half of a row's work; the
    other half is `check_rows`)."""
    catalogue = _Catalogue(user=user, plan=plan)
    rows = [parse_row(raw) for raw in raw_rows]
    identities = {row.identity for row in rows if row.identity}
    names = {normalise_search(row.name) for row in rows if row.name and not row.identity}
    people = people_for_user(user).filter(
        Q(identity_number__in=identities) | Q(search_name__in=names)
    )
    candidates = {"identity": {}, "name": {}}
    # The same people anywhere in the province (one query), to name where a record is held.
    candidates["elsewhere"] = list(
        Person.objects.filter(
            Q(identity_number__in=identities)
            | Q(search_name__in={normalise_search(row.name) for row in rows if row.name})
        ).select_related("organisation")[:200]
    )
    for person in people:
        candidates["identity"].setdefault(person.identity_number, []).append(person)
        candidates["name"].setdefault(person.search_name, []).append(person)
    for index, row in enumerate(rows, start=1):
        _resolve_target(row, catalogue)
        unit = _resolve_unit(row, catalogue)
        _resolve_person(row, unit, candidates)
        _check_nominator(row, user)
        if progress is not None:
            progress(index)
    return rows


def _check_nominator(row, user):
    """The user acts for the row's unit on this course (BTC only in the Party block)."""
    if row.person is None or row.course is None:
        return
    refusal = create_refusal(
        user, Nomination(person=row.person, course=row.course, unit_id=row.person.organisation_id)
    )
    if refusal:
        row.fail(refusal, COL_UNIT, COL_COURSE)


def check_rows(rows, *, plan, progress=None):
    """Database checks of resolved rows: duplicates in the file, existing nominations, quota
    (rows in file order take the unit's free seats), eligibility. Adds errors and warnings.
    `progress(done)`, if given, hears of each row's eligibility checked."""
    seen = {}
    for row in rows:
        if row.person is None or row.course is None:
            continue
        key = (row.person.pk, row.course.pk)
        if key in seen:
            row.fail(
                f"Trùng với dòng {seen[key]}: cùng cán bộ, cùng khóa xuất hiện hai lần trong tệp.",
                COL_NAME,
                COL_COURSE,
            )
        else:
            seen[key] = row.number
    ready = [row for row in rows if row.person is not None and row.course is not None]
    existing = Nomination.objects.filter(
        person_id__in={row.person.pk for row in ready},
        course_id__in={row.course.pk for row in ready},
    ).exclude(status__in=Nomination.CLOSED)
    live = {(n.person_id, n.course_id): n for n in existing}
    rules_by_course = {}
    for rule in EligibilityRule.objects.filter(
        course_id__in={row.course.pk for row in ready}
    ).select_related("legal_document__issuer"):
        rules_by_course.setdefault(rule.course_id, []).append(rule)
    for index, row in enumerate(ready, start=1):
        if progress is not None:
            progress(index)
        found = live.get((row.person.pk, row.course.pk))
        if found is not None:
            row.fail(duplicate_message(row.person, row.course, found), COL_NAME, COL_COURSE)
        months = Nomination(
            training_months=row.training_months, commitment_months=row.commitment_months
        )
        report = eligibility.check(
            row.course, row.person, plan.year, months, rules=rules_by_course.get(row.course.pk, [])
        )
        row.report = report
        for verdict in report.blocking:
            row.fail(verdict.sentence(), COL_NAME, COL_COURSE)
        row.warnings += [verdict.sentence() for verdict in report.warnings]
    _check_quota([row for row in ready if row.ok])
    return rows


def _check_quota(rows):
    capped = [row for row in rows if row.quota_line is not None and row.quota_line.is_capped]
    if not capped:
        return
    lines = {row.quota_line.pk for row in capped}
    allocations = {
        (a.quota_line_id, a.unit_id): a.count
        for a in Allocation.objects.filter(quota_line_id__in=lines)
    }
    held = Nomination.objects.filter(quota_line_id__in=lines, status__in=Nomination.SEAT_HOLDING)
    unit_used = {
        (r["quota_line"], r["unit"]): r["n"]
        for r in held.values("quota_line", "unit").annotate(n=Count("id"))
    }
    line_used = {r["quota_line"]: r["n"] for r in held.values("quota_line").annotate(n=Count("id"))}
    for row in capped:
        line, unit_id = row.quota_line, row.unit_id
        allocated = allocations.get((line.pk, unit_id), 0)
        used = unit_used.get((line.pk, unit_id), 0)
        if allocated == 0:
            row.fail(
                f"{row.person.organisation.name} chưa được phân bổ chỉ tiêu trên dòng "
                f"“{line.label}”.",
                COL_LINE,
            )
            continue
        if used >= allocated:
            row.fail(
                f"Vượt chỉ tiêu: {row.person.organisation.name} được phân bổ {allocated} chỉ tiêu "
                f"trên dòng “{line.label}”, đã dùng hết (kể cả các dòng phía trên trong tệp).",
                COL_LINE,
            )
            continue
        if line_used.get(line.pk, 0) >= line.planned_count:
            row.fail(
                f"Vượt chỉ tiêu: dòng “{line.label}” đã đủ {line.planned_count} chỉ tiêu.",
                COL_LINE,
            )
            continue
        unit_used[(line.pk, unit_id)] = used + 1
        line_used[line.pk] = line_used.get(line.pk, 0) + 1


# Keeping a checked preview between the two requests (server side, in the session) ------------


def rows_to_session(rows):
    """What the confirmation needs: ids and values, never trusted without a fresh check."""
    return [
        {
            "n": row.number,
            "name": row.name,
            "dob": row.dob_text,
            "person": row.person.pk,
            "course": row.course.pk,
            "line": row.quota_line.pk if row.quota_line else None,
            "tm": row.training_months,
            "cm": row.commitment_months,
            "note": row.note,
        }
        for row in rows
    ]


def rows_from_session(data, *, user, plan):
    """Rebuild rows from the session or a checked preview (`rows_to_check`), re-scoped to what
    the user may see now."""
    catalogue = _Catalogue(user=user, plan=plan)
    courses = {course.pk: course for course in catalogue.courses.values()}
    lines = {line.pk: line for line in catalogue.lines.values()}
    people = {
        person.pk: person
        for person in people_for_user(user).filter(
            pk__in=[item["person"] for item in data if item["person"]]
        )
    }
    rows = []
    for item in data:
        row = ImportRow(
            number=item["n"],
            name=item["name"],
            dob_text=item["dob"],
            training_months=item["tm"],
            commitment_months=item["cm"],
            note=item["note"],
        )
        row.course_code = item.get("code", "")
        row.person = people.get(item["person"])
        row.course = courses.get(item["course"])
        row.quota_line = lines.get(item["line"]) if item["line"] else None
        # A checked preview (`rows_to_check`) keeps its errors; a row found bad needs no more.
        row.errors = list(item.get("errors", []))
        row.cells = set(item.get("cells", []))
        row.warnings = list(item.get("warnings", []))
        gone = row.person is None or row.course is None or (item["line"] and not row.quota_line)
        if gone and not row.errors:
            row.errors.append("Dữ liệu của dòng này không còn hợp lệ: hãy tải tệp lên lại.")
        rows.append(row)
    return rows


# A big file's check in the worker (quotas.jobs): the cells go through the job's params --------

_TYPES = {"date": date, "datetime": datetime, "time": time}


def raw_rows_to_json(raw_rows):
    """The cells read from the upload as JSON, each value coming back as it was read (dates,
    times and durations tagged), so the worker's check is the request's."""

    def encode(value):
        for tag, kind in (("datetime", datetime), ("date", date), ("time", time)):
            if isinstance(value, kind):
                return {tag: value.isoformat()}
        if isinstance(value, timedelta):
            return {"timedelta": value.total_seconds()}
        return value

    return [[raw.number, [encode(value) for value in raw.values]] for raw in raw_rows]


def raw_rows_from_json(data):
    def decode(value):
        if isinstance(value, dict):
            ((tag, text),) = value.items()
            if tag == "timedelta":
                return timedelta(seconds=text)
            return _TYPES[tag].fromisoformat(text)
        return value

    return [
        uploads.RawRow(number=number, values=[decode(value) for value in values])
        for number, values in data
    ]


def rows_to_check(rows):
    """A checked preview as the worker leaves it: every row with its errors and warnings."""
    return [
        {
            "n": row.number,
            "name": row.name,
            "dob": row.dob_text,
            "code": row.course_code,
            "person": row.person.pk if row.person else None,
            "course": row.course.pk if row.course else None,
            "line": row.quota_line.pk if row.quota_line else None,
            "tm": row.training_months,
            "cm": row.commitment_months,
            "note": row.note,
            "errors": row.errors,
            "cells": sorted(row.cells),
            "warnings": row.warnings,
        }
        for row in rows
    ]


def rows_to_error_copy(rows):
    """What the error copy of the uploaded file needs: each bad row's errors and cells."""
    return [
        {"n": row.number, "errors": row.errors, "cells": sorted(row.cells)}
        for row in rows
        if row.errors
    ]
