"""Documents after training: the repayment decision (Quyết định về việc đền bù chi phí đào tạo)
in the issuing body's format (Party: Hướng dẫn 36-HD/VPTW; State: Nghị định 30/2020/NĐ-CP), PDF
and Word, and a person's training record (PDF) for the personnel file. Both hold personal data:
never kept in the document store."""

import io

from django.utils import timezone

from commitments.selectors import commitments_of_person
from commitments.services import case_calculation, case_paid
from reports import word
from reports.documents import render_pdf
from training_plan.models import Block
from training_plan.text import format_money, money_in_words

PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK = "\u00a0" * 6


def _date_words(day, place="Quảng Ngãi"):
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def decision_context(commitment):
    """What the decision says, from the recorded case (figures as decided)."""
    case = commitment.repayment
    nomination = commitment.nomination
    issuer = nomination.unit
    is_state = issuer.block == Block.STATE
    day = case.decision_date or timezone.localdate()
    if is_state:
        number = f"Số: {case.decision_number or BLANK + '/QĐ'}"
    else:
        number = f"Số {case.decision_number or BLANK + '-QĐ'}"
    calculation = case_calculation(case)
    paid = case_paid(case)
    return {
        "commitment": commitment,
        "case": case,
        "calculation": calculation,
        "person": commitment.person,
        "issuer": issuer,
        "issuer_heading": issuer.name.upper(),
        "is_state": is_state,
        "header": STATE_HEADER if is_state else PARTY_HEADER,
        "number_line": number,
        "date_line": _date_words(day),
        "amount_text": format_money(case.amount),
        "amount_words": money_in_words(case.amount) if case.amount else "Không đồng",
        "cost_text": format_money(case.cost),
        "paid_text": format_money(paid),
        "signer_title": case.signer_title or "THỦ TRƯỞNG CƠ QUAN",
        "signer_name": case.signer_name,
        "articles": decision_articles(commitment, case, calculation),
    }


def decision_articles(commitment, case, calculation):
    person = commitment.person
    course = commitment.nomination.course.name
    return [
        (
            f"Điều 1. {'Bà' if person.gender == person.Gender.FEMALE else 'Ông'} "
            f"{person.full_name}, "
            f"sinh ngày {person.date_of_birth:%d/%m/%Y}, {person.position or 'công tác'} tại "
            f"{person.organisation.name}, được cử đi đào tạo {course} từ ngày "
            f"{commitment.sent_date:%d/%m/%Y}, thuộc trường hợp phải đền bù chi phí đào tạo: "
            f"{case.get_kind_display().lower()} (ngày {case.event_date:%d/%m/%Y})."
        ),
        (
            f"Điều 2. Số tiền phải đền bù: {format_money(case.amount)} "
            f"({money_in_words(case.amount) if case.amount else 'Không đồng'}). "
            f"Cách tính: chi phí đào tạo F = {format_money(case.cost)} ({case.cost_source}); "
            f"thời gian cam kết phục vụ T1 = {case.required_months} tháng; thời gian đã phục vụ "
            f"T2 = {case.served_months} tháng; {calculation.formula}."
        ),
        (
            "Điều 3. Người có tên tại Điều 1 nộp số tiền đền bù về cơ quan cử đi đào tạo; "
            "cơ quan, đơn vị có liên quan và người có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này. Quyết định có hiệu lực kể từ ngày ký."
        ),
    ]


def decision_pdf(commitment):
    return render_pdf("documents/repayment_decision.html", decision_context(commitment))


def decision_docx(commitment):
    """The decision as an editable Word file (Times New Roman 14, A4)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    context = decision_context(commitment)
    center = WD_ALIGN_PARAGRAPH.CENTER
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = word.FONT, Pt(14)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = center
    word.page_number_field(header)

    heading = document.add_table(rows=1, cols=2)
    word.no_borders(heading)
    left, right = heading.rows[0].cells
    left.width, right.width = Cm(7), Cm(9.5)
    left.paragraphs[0].alignment = center
    word.font(left.paragraphs[0].add_run(context["issuer_heading"]), size=13, bold=True)
    word.paragraph(left, ["*" if not context["is_state"] else "———"], align=center, indent=False)
    word.paragraph(left, [context["number_line"]], align=center, indent=False)
    right.paragraphs[0].alignment = center
    word.font(
        right.paragraphs[0].add_run(context["header"]),
        size=13 if context["is_state"] else 15,
        bold=True,
        underline=not context["is_state"],
    )
    if context["is_state"]:
        word.paragraph(right, [(STATE_MOTTO, {"bold": True, "underline": True})], align=center)
    word.paragraph(right, [(context["date_line"], {"italic": True})], align=center, indent=False)

    word.paragraph(document, [""], indent=False)
    word.paragraph(document, [("QUYẾT ĐỊNH", {"bold": True})], align=center, indent=False)
    word.paragraph(
        document,
        [("Về việc đền bù chi phí đào tạo", {"bold": True})],
        align=center,
        indent=False,
    )
    word.paragraph(document, ["-----"], align=center, indent=False, space_after=10)
    word.paragraph(
        document,
        [(f"{context['issuer'].name.upper()}", {"bold": True})],
        align=center,
        indent=False,
    )
    word.paragraph(document, [f"Căn cứ {context['calculation'].citation};"])
    word.paragraph(
        document,
        [
            f"Căn cứ cam kết phục vụ ký ngày {context['commitment'].signed_date:%d/%m/%Y} "
            f"của {context['person'].full_name};"
        ],
    )
    word.paragraph(document, [("QUYẾT ĐỊNH:", {"bold": True})], align=center, indent=False)
    for article in context["articles"]:
        head, _, rest = article.partition(". ")
        word.paragraph(document, [(head + ". ", {"bold": True}), rest])

    closing = document.add_table(rows=1, cols=2)
    word.no_borders(closing)
    recipients, signature = closing.rows[0].cells
    word.font(recipients.paragraphs[0].add_run("Nơi nhận:"), size=12, bold=True, italic=True)
    for line in ("- Như Điều 1;", "- Lưu hồ sơ cán bộ."):
        word.paragraph(recipients, [(line, {"size": 11})], indent=False, align=None)
    signature.paragraphs[0].alignment = center
    word.font(signature.paragraphs[0].add_run(context["signer_title"]), bold=True)
    word.paragraph(signature, [""], indent=False)
    word.paragraph(
        signature, [(context["signer_name"], {"bold": True})], align=center, indent=False
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# ---- The training record of one person ------------------------------------------------------


def person_record_context(person):
    """A person's whole training record: every nomination (whichever unit sent it), its class and
    result, and the commitments with their state."""
    nominations = list(
        person.nominations.select_related(
            "course__program__section__plan",
            "unit",
            "quota_line__institution",
            "training_class__institution",
        ).order_by("course__program__section__plan__year", "created_at", "id")
    )
    commitments = list(commitments_of_person(person))
    return {
        "person": person,
        "nominations": nominations,
        "commitments": commitments,
        "printed_on": timezone.localdate(),
    }


def person_record_pdf(person):
    return render_pdf("documents/person_record.html", person_record_context(person))
