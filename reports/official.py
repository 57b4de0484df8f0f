"""The workflow's own documents in the issuing body's format: a unit's letter sending its people
to a course (công văn cử cán bộ đi học, with the danh sách trích ngang), the block manager's
decision sending the approved people (quyết định cử đi học, the list as its annex) and the
year-end results report (báo cáo kết quả thực hiện, the figures in a landscape annex).

Format: a body of the Party block (`Organisation.block` = party: huyện ủy, thị ủy, thành ủy,
Ban Tổ chức Tỉnh ủy) writes as Hướng dẫn 36-HD/VPTW says — “ĐẢNG CỘNG SẢN VIỆT NAM”, the asterisk
under the issuing body, “Số 3-CV/HU” without a colon; every other body (the State block: Sở Nội
vụ, ủy ban nhân dân, sở, ngành) as Nghị định 30/2020/NĐ-CP — the national title and motto, a rule
under the body, “Số: 3/QĐ-SNV” with a colon.

A document is first a payload: a dict of plain texts and table cells, everything it shows. The
PDF (templates/documents/official.html) and the Word file (`official_docx`) are both written from
it, and an issued document keeps it (reports.models.IssuedDocument.payload): the Word file of a
document issued months ago shows what was signed, not today's data."""

from training_plan.models import Block, Person
from training_plan.text import format_number, format_signed, normalise_search

PARTY, STATE = "party", "state"
BLANK_NUMBER = "\u00a0" * 6  # the blank of a number not given (a copy read before issuing)

# Kinds of document: (Party abbreviation, State abbreviation) — 36-HD/VPTW: CV, QĐ, BC;
# Nghị định 30/2020: QĐ, BC; a State công văn carries no abbreviation of its kind.
KIND_ABBREVIATIONS = {
    "cong_van_cu_di_hoc": ("CV", ""),
    "quyet_dinh_cu_di_hoc": ("QĐ", "QĐ"),
    "bao_cao_ket_qua": ("BC", "BC"),
}

# The abbreviation of the issuing body in the number: the usual ones by the name's beginning,
# otherwise the body's short name, otherwise the initials of its name.
BODY_ABBREVIATIONS = [
    ("Ban Tổ chức Tỉnh ủy", "BTCTU"),
    ("Huyện ủy", "HU"),
    ("Thị ủy", "TX"),
    ("Thành ủy", "TU"),
    ("Tỉnh ủy", "TU"),
    ("Sở Nội vụ", "SNV"),
    ("Ủy ban nhân dân", "UBND"),
]
# Where a district body writes from: the district's name (“Bình Sơn, ngày …”).
PLACE_PREFIXES = ("Huyện ủy ", "Thị ủy ", "Thành ủy ", "Ủy ban nhân dân huyện ", "Ủy ban nhân dân ")


def document_format(organisation):
    """PARTY for a body of the Party block, STATE for every other (the State block)."""
    return PARTY if organisation.block == Block.PARTY else STATE


def body_abbreviation(organisation):
    for prefix, abbreviation in BODY_ABBREVIATIONS:
        if organisation.name.startswith(prefix):
            return abbreviation
    if organisation.short_name:
        return normalise_search(organisation.short_name).upper().replace(" ", "")
    words = normalise_search(organisation.name).split()
    return "".join(word[0] for word in words).upper()


def reference(organisation, kind, number):
    """“Số 3-CV/HU” (Party, no colon) or “Số: 3/QĐ-SNV” (State); a blank for no number."""
    party_kind, state_kind = KIND_ABBREVIATIONS[kind]
    body = body_abbreviation(organisation)
    shown = str(number) if number else BLANK_NUMBER
    if document_format(organisation) == PARTY:
        return f"Số {shown}-{party_kind}/{body}"
    return f"Số: {shown}/{state_kind}-{body}" if state_kind else f"Số: {shown}/{body}"


def heading_lines(organisation, province):
    """(superior, issuer) as the heading prints them, upper case. 36-HD/VPTW: a district
    committee under “ĐẢNG BỘ TỈNH …”, a board of the provincial committee under “TỈNH ỦY …” with
    its own name shortened (“BAN TỔ CHỨC”); Nghị định 30/2020: a department under “ỦY BAN NHÂN
    DÂN TỈNH …”."""
    name = organisation.name
    upper_province = province.upper()
    if document_format(organisation) == PARTY:
        if name.startswith("Ban ") and name.endswith(" Tỉnh ủy"):
            return f"TỈNH ỦY {upper_province}", name.removesuffix(" Tỉnh ủy").upper()
        if name.startswith(("Huyện ủy", "Thị ủy", "Thành ủy")):
            return f"ĐẢNG BỘ TỈNH {upper_province}", name.upper()
        parent = organisation.parent
        return (parent.name.upper() if parent else ""), name.upper()
    if name.startswith("Sở "):
        return f"ỦY BAN NHÂN DÂN TỈNH {upper_province}", name.upper()
    parent = organisation.parent
    return (parent.name.upper() if parent else ""), name.upper()


def place_of(organisation, province):
    for prefix in PLACE_PREFIXES:
        if organisation.name.startswith(prefix):
            return organisation.name.removeprefix(prefix).removeprefix("huyện ")
    return province


def bare(number):
    """“số 3-CV/HU” out of “Số 3-CV/HU” or “Số: 3/QĐ-SNV”: a number cited in a sentence."""
    return "số " + number.removeprefix("Số").lstrip(": ")


def date_line(place, day):
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def storage_line(organisation):
    """The last line of “Nơi nhận”: 36-HD/VPTW “Lưu Văn phòng …”, Nghị định 30/2020 “Lưu: VT.”"""
    if document_format(organisation) == PARTY:
        return f"Lưu Văn phòng {organisation.name}."
    return "Lưu: VT."


def default_signer(organisation, kind):
    """(on behalf, title) a secretary would start from; the issuing form lets them change it."""
    name = organisation.name
    if kind == "cong_van_cu_di_hoc":
        if document_format(organisation) == PARTY:
            return "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"
        return "", "THỦ TRƯỞNG CƠ QUAN"
    if name.startswith("Ban "):
        return "", "TRƯỞNG BAN"
    if name.startswith("Sở "):
        return "", "GIÁM ĐỐC"
    return "", "THỦ TRƯỞNG CƠ QUAN"


def authority_line(organisation):
    """The line above “Căn cứ …” of a decision: who decides."""
    if organisation.name.startswith("Sở "):
        return f"GIÁM ĐỐC {organisation.name.upper()}"
    return organisation.name.upper()


def base_payload(*, organisation, province, kind, number, day, signer):
    superior, issuer = heading_lines(organisation, province)
    return {
        "format": document_format(organisation),
        "superior": superior,
        "issuer": issuer,
        "issuer_name": organisation.name,
        "number": reference(organisation, kind, number),
        "date": date_line(place_of(organisation, province), day),
        "date_short": f"{day:%d/%m/%Y}",
        "kind_title": "",
        "subject": "",
        "letter_subject": "",
        "addressee": "",
        "authority": "",
        "paragraphs": [],
        "recipients": [],
        "signer": signer,
        "annexes": [],
    }


# ---- The list of people (danh sách trích ngang) ---------------------------------------------

PEOPLE_HEADERS = [
    ("STT", 5),
    ("Họ và tên", 18),
    ("Ngày sinh", 15),
    ("Chức vụ", 19),
    ("Đơn vị công tác", 16),
    ("Trình độ chuyên môn", 14),
    ("Lý luận chính trị", 13),
]


def people_table(nominations):
    rows = []
    for index, nomination in enumerate(nominations, start=1):
        person = nomination.person
        rows.append(
            {
                "cells": [
                    str(index),
                    person.full_name,
                    f"{person.date_of_birth:%d/%m/%Y}",
                    person.position,
                    nomination.unit.name,
                    person.professional_level,
                    Person.TheoryLevel(person.theory_level).label if person.theory_level else "",
                ],
                "style": "",
            }
        )
    return {
        "heading": "",
        "headers": [header for header, _ in PEOPLE_HEADERS],
        "widths": [width for _, width in PEOPLE_HEADERS],
        "numeric": [],
        "centered": [0, 2],
        "rows": rows,
    }


def course_places(course, nominations):
    """Where the people study: the institutions of their quota lines, else of the course."""
    names = []
    for nomination in nominations:
        line = nomination.quota_line
        if line is not None and line.place not in names:
            names.append(line.place)
    if not names:
        names = [line.place for line in course.quota_lines.all()]
    return "; ".join(names)


def plan_citation(plan):
    """“Kế hoạch số 25-KH/TU ngày 05/01/2021 của Ban Thường vụ Tỉnh ủy về …”."""
    number = plan.number.strip()
    if number.lower().startswith("số"):
        number = number[2:].strip(" :")
    text = f"Kế hoạch số {number}" if number else "Kế hoạch"
    if plan.issue_date:
        text += f" ngày {plan.issue_date:%d/%m/%Y}"
    title = plan.title[0].lower() + plan.title[1:] if plan.title else ""
    return f"{text} của {plan.issuing_body.name} về {title}"


def letter_payload(*, unit, course, nominations, manager_name, number, day, signer):
    """Công văn cử cán bộ đi học of `unit` to the block's manager, with the list attached."""
    plan = course.program.section.plan
    payload = base_payload(
        organisation=unit,
        province=plan.province,
        kind="cong_van_cu_di_hoc",
        number=number,
        day=day,
        signer=signer,
    )
    count = len(nominations)
    payload["letter_subject"] = f"V/v cử cán bộ đi học {course.name}"
    payload["subject"] = f"Cử cán bộ đi học {course.name}"
    payload["addressee"] = f"Kính gửi: {manager_name}"
    payload["paragraphs"] = [
        {
            "text": f"Thực hiện {plan_citation(plan)}; căn cứ chỉ tiêu được phân bổ và tiêu "
            f"chuẩn, điều kiện của khóa {course.name} ({course.program.number}. "
            f"{course.program.name}),",
            "style": "indent",
        },
        {
            "text": f"{unit.name} cử {format_number(count)} đồng chí (có danh sách trích ngang "
            f"kèm theo) đi học {course.name}, tại {course_places(course, nominations)}; thời "
            f"gian: {course.program.period}.",
            "style": "indent",
        },
        {
            "text": f"Các đồng chí có tên trong danh sách bảo đảm tiêu chuẩn, điều kiện theo quy "
            f"định. Đề nghị {manager_name} xem xét, quyết định cử đi học./.",
            "style": "indent",
        },
    ]
    payload["recipients"] = [
        "Như trên;",
        "Các đồng chí có tên trong danh sách;",
        storage_line(unit),
    ]
    payload["annexes"] = [
        {
            "title": "DANH SÁCH TRÍCH NGANG",
            "subtitle": f"cán bộ được cử đi học {course.name}",
            "reference": f"(Kèm theo Công văn {bare(payload['number'])}"
            f", ngày {day:%d/%m/%Y} của {unit.name})",
            "landscape": False,
            "tables": [people_table(nominations)],
        }
    ]
    return payload


def decision_payload(*, issuer, course, nominations, letters, number, day, signer):
    """Quyết định cử đi học of the block's manager, the approved people in its annex."""
    plan = course.program.section.plan
    payload = base_payload(
        organisation=issuer,
        province=plan.province,
        kind="quyet_dinh_cu_di_hoc",
        number=number,
        day=day,
        signer=signer,
    )
    count = len(nominations)
    units = []
    for nomination in nominations:
        if nomination.unit.name not in units:
            units.append(nomination.unit.name)
    payload["kind_title"] = "QUYẾT ĐỊNH"
    payload["subject"] = f"Về việc cử cán bộ đi học {course.name}"
    payload["authority"] = authority_line(issuer)
    if letters:
        proposal = "Xét đề nghị của " + "; ".join(
            f"{letter.issuer.name} tại Công văn {bare(letter.reference)}"
            f" ngày {letter.issued_on:%d/%m/%Y}"
            for letter in letters
        )
    else:
        proposal = "Xét đề nghị của " + ", ".join(units)
    payload["paragraphs"] = [
        {"text": f"Căn cứ {plan_citation(plan)};", "style": "indent"},
        {"text": proposal + ",", "style": "indent"},
        {"text": "QUYẾT ĐỊNH:", "style": "center-bold"},
        {
            "text": f"Điều 1. Cử {format_number(count)} đồng chí (có danh sách kèm theo) đi học "
            f"{course.name}, tại {course_places(course, nominations)}; thời gian: "
            f"{course.program.period}.",
            "style": "article",
        },
        {
            "text": "Điều 2. Các đồng chí có tên tại Điều 1 được hưởng chế độ, chính sách và có "
            "trách nhiệm thực hiện nghĩa vụ của người được cử đi đào tạo, bồi dưỡng theo quy định; "
            f"kinh phí thực hiện theo {plan_citation(plan)}.",
            "style": "article",
        },
        {
            "text": f"Điều 3. {', '.join(units)} và các đồng chí có tên tại Điều 1 căn cứ Quyết "
            "định thi hành./.",
            "style": "article",
        },
    ]
    payload["recipients"] = ["Như Điều 3;", storage_line(issuer)]
    payload["annexes"] = [
        {
            "title": "DANH SÁCH",
            "subtitle": f"cán bộ được cử đi học {course.name}",
            "reference": f"(Kèm theo Quyết định {bare(payload['number'])}"
            f", ngày {day:%d/%m/%Y} của {issuer.name})",
            "landscape": False,
            "tables": [people_table(nominations)],
        }
    ]
    return payload


# ---- The results report ----------------------------------------------------------------------

PROGRESS_HEADERS = [
    "Kế hoạch",
    "Đã phân bổ",
    "Đã cử",
    "Đã duyệt",
    "Đã xếp lớp",
    "Hoàn thành",
    "Không hoàn thành",
    "Tỉ lệ hoàn thành",
]


def _percent(value):
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


def _progress_cells(row):
    return [
        row.planned_display,
        format_number(row.allocated),
        format_number(row.nominated),
        format_number(row.approved),
        format_number(row.enrolled),
        format_number(row.completed),
        format_number(row.not_completed),
        _percent(row.completion_percent),
    ]


def progress_table(heading, first_header, rows, total, *, numbered):
    headers = (["Mục"] if numbered else []) + [first_header] + PROGRESS_HEADERS
    widths = ([5] if numbered else []) + [27 if numbered else 32] + [13, 8, 7, 7, 8, 8, 9, 8]
    offset = 2 if numbered else 1
    body = [
        {
            "cells": ([row.number] if numbered else []) + [row.label] + _progress_cells(row),
            "style": "",
        }
        for row in rows
    ]
    if total is not None:
        body.append(
            {
                "cells": ([""] if numbered else []) + [total.label] + _progress_cells(total),
                "style": "total",
            }
        )
    return {
        "heading": heading,
        "headers": headers,
        "widths": widths,
        "numeric": list(range(offset, offset + len(PROGRESS_HEADERS))),
        "centered": [0] if numbered else [],
        "rows": body,
        "empty": "Chưa có số liệu.",
    }


def results_payload(*, issuer, context, number, day, signer):
    """Báo cáo kết quả thực hiện: the figures of the results page (reports.progress) as of
    `day`, in words in the report and in full in the annex."""
    plan = context["plan"]
    progress = context["progress"]
    total = progress.total
    payload = base_payload(
        organisation=issuer,
        province=plan.province,
        kind="bao_cao_ket_qua",
        number=number,
        day=day,
        signer=signer,
    )
    title = plan.title[0].lower() + plan.title[1:]
    payload["kind_title"] = "BÁO CÁO"
    payload["subject"] = f"Kết quả thực hiện Kế hoạch {title}"
    payload["as_of"] = f"(Số liệu đến ngày {day:%d/%m/%Y})"
    classes = context["classes"]
    budget_planned = sum(row.planned for row in progress.budget)
    budget_classes = sum(row.classes_total for row in progress.budget)
    payload["paragraphs"] = [
        {
            "text": f"Thực hiện {plan_citation(plan)}, {issuer.name} báo cáo kết quả thực hiện "
            f"đến ngày {day:%d/%m/%Y} như sau:",
            "style": "indent",
        },
        {"text": "1. Chỉ tiêu và cử cán bộ đi học", "style": "heading"},
        {
            "text": f"Kế hoạch: {total.planned_display} chỉ tiêu; đã phân bổ cho các đơn vị "
            f"{format_number(total.allocated)} chỉ tiêu; các đơn vị đã cử "
            f"{format_number(total.nominated)} lượt cán bộ, trong đó đã duyệt "
            f"{format_number(total.approved)}, đã xếp lớp {format_number(total.enrolled)}.",
            "style": "indent",
        },
        {"text": "2. Kết quả học tập", "style": "heading"},
        {
            "text": f"Hoàn thành: {format_number(total.completed)} học viên; không hoàn thành: "
            f"{format_number(total.not_completed)} học viên; tỉ lệ hoàn thành: "
            f"{_percent(total.completion_percent)}. Số lớp đã mở: "
            f"{format_number(len(classes))}.",
            "style": "indent",
        },
        {"text": "3. Kinh phí", "style": "heading"},
        {
            "text": f"Dự kiến theo mục IV của kế hoạch: {format_number(budget_planned)} đồng; "
            f"dự toán của các lớp: {format_number(budget_classes)} đồng.",
            "style": "indent",
        },
        {
            "text": "Số liệu chi tiết theo khối, chương trình, đơn vị và lớp tại phụ lục kèm "
            "theo Báo cáo này./.",
            "style": "indent",
        },
    ]
    payload["recipients"] = [
        "Thường trực Tỉnh ủy (báo cáo);",
        "Ban Thường vụ Tỉnh ủy (báo cáo);",
        storage_line(issuer),
    ]
    budget_rows = [
        {
            "cells": [
                row.label,
                format_number(row.planned),
                format_number(row.classes_total),
                format_number(row.class_count),
                format_signed(row.difference),
            ],
            "style": "",
        }
        for row in progress.budget
    ]
    class_rows = [
        {
            "cells": [
                training_class.course.program.number,
                training_class.name,
                training_class.institution.name,
                f"{training_class.start_date:%d/%m/%Y} – {training_class.end_date:%d/%m/%Y}",
                training_class.get_status_display(),
                format_number(training_class.learners),
                format_number(training_class.completed),
                format_number(training_class.not_completed),
            ],
            "style": "",
        }
        for training_class in classes
    ]
    payload["annexes"] = [
        {
            "title": "PHỤ LỤC",
            "subtitle": "SỐ LIỆU KẾT QUẢ THỰC HIỆN KẾ HOẠCH",
            "reference": f"(Kèm theo Báo cáo {bare(payload['number'])}"
            f", ngày {day:%d/%m/%Y} của {issuer.name})",
            "landscape": True,
            "tables": [
                progress_table(
                    "1. Kết quả theo khối", "Khối", progress.blocks, total, numbered=False
                ),
                progress_table(
                    "2. Kết quả theo chương trình",
                    "Chương trình",
                    progress.programs,
                    total,
                    numbered=True,
                ),
                progress_table(
                    "3. Kết quả theo đơn vị", "Đơn vị", context["units"], None, numbered=False
                ),
                {
                    "heading": "4. Kinh phí (đồng)",
                    "headers": [
                        "Khối",
                        "Dự kiến (mục IV)",
                        "Dự toán các lớp",
                        "Số lớp",
                        "Chênh lệch",
                    ],
                    "widths": [36, 18, 18, 10, 18],
                    "numeric": [1, 2, 3, 4],
                    "centered": [],
                    "rows": budget_rows,
                    "empty": "Chưa có số liệu.",
                },
                {
                    "heading": "5. Kết quả theo lớp",
                    "headers": [
                        "Mục",
                        "Lớp",
                        "Cơ sở đào tạo",
                        "Thời gian",
                        "Trạng thái",
                        "Học viên",
                        "Hoàn thành",
                        "Không hoàn thành",
                    ],
                    "widths": [6, 26, 18, 17, 10, 7, 8, 8],
                    "numeric": [5, 6, 7],
                    "centered": [0, 3],
                    "rows": class_rows,
                    "empty": "Chưa có lớp nào.",
                },
            ],
        }
    ]
    return payload


def today():
    from django.utils import timezone

    return timezone.localdate()


# ---- The files -------------------------------------------------------------------------------


def _cells(table):
    """The rows of a payload table with each cell's class (numbers right, some centred)."""
    numeric, centered = set(table.get("numeric", [])), set(table.get("centered", []))
    rows = []
    for row in table["rows"]:
        cells = []
        for index, text in enumerate(row["cells"]):
            cls = "num" if index in numeric else ("center" if index in centered else "")
            cells.append({"text": text, "cls": cls})
        rows.append({"cells": cells, "style": row.get("style", "")})
    return rows


def official_pdf(payload):
    """The document as PDF (templates/documents/official.html)."""
    from reports.documents import render_pdf

    annexes = [
        {
            **annex,
            "tables": [{**table, "rows": _cells(table)} for table in annex["tables"]],
        }
        for annex in payload["annexes"]
    ]
    return render_pdf("documents/official.html", {"doc": payload, "annexes": annexes})


def official_docx(payload, *, title):
    """The same document as an editable Word file, with reports/word.py's measures."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reports import word

    center = WD_ALIGN_PARAGRAPH.CENTER
    party = payload["format"] == PARTY
    document = word.new_document(line_spacing=1.15)
    width = word.text_width(document.sections[0])
    heading = word.heading_table(
        document,
        word.Heading(
            issuer=payload["issuer"],
            number=payload["number"],
            date=payload["date"],
            superior=payload["superior"],
            party=party,
        ),
        width,
    )
    if payload["letter_subject"]:
        word.paragraph(heading.cell(2, 0), [payload["letter_subject"]], align=center,
                       indent=False, size=12, space_after=0)  # fmt: skip
    if payload["kind_title"]:
        word.paragraph(document, [(payload["kind_title"], {"bold": True, "size": 16})],
                       align=center, indent=False, space_after=0, space_before=8,
                       keep_with_next=True)  # fmt: skip
        word.paragraph(document, [(payload["subject"], {"bold": True})], align=center,
                       indent=False, space_after=0, keep_with_next=True)  # fmt: skip
        if payload.get("as_of"):
            word.paragraph(document, [(payload["as_of"], {"italic": True})], align=center,
                           indent=False, space_after=0, keep_with_next=True)  # fmt: skip
        word.paragraph(document, ["-----"], align=center, indent=False, space_after=8)
    if payload["addressee"]:
        word.paragraph(document, [payload["addressee"]], align=center, indent=False,
                       space_before=8, space_after=8)  # fmt: skip
    if payload["authority"]:
        word.paragraph(document, [(payload["authority"], {"bold": True})], align=center,
                       indent=False, space_before=6, space_after=6)  # fmt: skip
    paragraphs = payload["paragraphs"]
    for index, item in enumerate(paragraphs):
        style = item["style"]
        last = index == len(paragraphs) - 1
        if style == "center-bold":
            word.paragraph(document, [(item["text"], {"bold": True})], align=center,
                           indent=False, space_before=6, keep_with_next=True)  # fmt: skip
        elif style == "heading":
            word.paragraph(document, [(item["text"], {"bold": True})], keep_with_next=True)
        else:
            # The last paragraph stays with the signature: never alone on a page.
            word.paragraph(document, [item["text"]], keep_with_next=last)
    word.paragraph(document, [""], indent=False, space_after=0, keep_with_next=True)
    signer = payload["signer"]
    word.signature_table(
        document,
        width,
        recipients=payload["recipients"],
        on_behalf=signer.get("on_behalf", ""),
        title=signer.get("title", ""),
        name=signer.get("name", ""),
    )
    for annex in payload["annexes"]:
        if annex["landscape"]:
            section = word.landscape_section(document)
        else:
            section = portrait_section(document)
        _annex_docx(document, annex, word.text_width(section))
    return word.finish(document, title=title, subject=payload["subject"],
                       author=payload["issuer_name"])  # fmt: skip


def portrait_section(document):
    """A new A4 portrait section on a new page (the annex of a letter or decision)."""
    from docx.enum.section import WD_SECTION

    first = document.sections[0]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    for attribute in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin",
                      "right_margin", "header_distance", "orientation"):  # fmt: skip
        setattr(section, attribute, getattr(first, attribute))
    return section


def _annex_docx(document, annex, width):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reports import word

    center, right, left = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    for line in filter(None, (annex["title"], annex.get("subtitle"))):
        word.paragraph(document, [(line, {"bold": True})], align=center, indent=False,
                       space_after=0, keep_with_next=True)  # fmt: skip
    word.paragraph(document, [(annex["reference"], {"italic": True})], align=center,
                   indent=False, keep_with_next=True)  # fmt: skip
    size = 11.5
    for table_data in annex["tables"]:
        if table_data["heading"]:
            word.paragraph(document, [(table_data["heading"], {"bold": True, "size": 12.5})],
                           indent=False, space_before=8, space_after=3,
                           keep_with_next=True)  # fmt: skip
        table = word.fixed_table(document, 1, table_data["widths"], width)
        widths = table._widths
        header = table.rows[0]
        word.row_flags(header, header=True)
        for cell, text in zip(header.cells, table_data["headers"], strict=True):
            word.first_paragraph(cell, text, size=size, bold=True, line_spacing=1.0)
        numeric = set(table_data.get("numeric", []))
        centered = set(table_data.get("centered", []))
        rows = table_data["rows"]
        if not rows:
            row = table.add_row()
            word.set_widths(row, widths)
            word.row_flags(row)
            cells = row.cells
            empty = table_data.get("empty", "Không có người nào trong danh sách.")
            word.first_paragraph(cells[0], empty, size=size, italic=True, line_spacing=1.0)
            cells[0].merge(cells[-1])
        for data in rows:
            row = table.add_row()
            word.set_widths(row, widths)
            word.row_flags(row)
            bold = data.get("style") == "total"
            for index, (cell, text) in enumerate(zip(row.cells, data["cells"], strict=True)):
                align = right if index in numeric else (center if index in centered else left)
                word.first_paragraph(cell, text, size=size, bold=bold, align=align,
                                     line_spacing=1.0)  # fmt: skip
