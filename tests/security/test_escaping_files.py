"""Hostile names in files: a person named `<script>alert(1)</script> "Quote"` and a unit whose
name has `"` and `<b>` come out as the literal characters in the PDFs (no HTML escaping leaking
into the text, no markup interpreted) and as the exact cell value in the Excel files; a name
that looks like a formula (`=1+1`) is stored as text, never as a formula."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from budget.models import BudgetLine
from quotas.models import Nomination
from tests import fixture_2021
from tests.factories import NominationFactory, class_with_estimate
from tests.fixture_2021 import BINH_SON
from tests.helpers import client_for
from tests.training_plan.pdf_helpers import body

pytestmark = pytest.mark.django_db

PERSON = '<script>alert(1)</script> "Quote"'
UNIT = 'Huyện ủy "Bình Sơn" <b>đậm</b>'
CLASS = 'Lớp <b>K45</b> "đặc biệt" <script>x()</script>'
FORMULA = "=1+1"


@pytest.fixture
def hostile_class(plan_2021):
    unit = fixture_2021.unit(BINH_SON)
    unit.name = UNIT
    unit.save()
    training_class = class_with_estimate(fixture_2021.course("II.3.1"), 100_000_000, name=CLASS)
    for name in [PERSON, FORMULA]:
        NominationFactory(
            unit=unit,
            course=training_class.course,
            status=Nomination.Status.ENROLLED,
            training_class=training_class,
            person__full_name=name,
            person__organisation=unit,
        )
    return training_class


def pdf_text(content):
    """The text pypdf extracts, without any whitespace (a long cell wraps onto two lines)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def squeeze(text):
    return re.sub(r"\s+", "", text)


def get(client, user, name, *args):
    response = client_for(client, user).get(reverse(name, args=args))
    assert response.status_code == 200
    return body(response)


def sheet_cells(content, sheet_name):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for row in workbook[sheet_name].iter_rows() for cell in row]


def test_class_list_pdf_has_the_literal_names(client, btc_user, hostile_class):
    text = pdf_text(get(client, btc_user, "class_learners_pdf", hostile_class.pk))
    for literal in [PERSON, UNIT, CLASS]:
        assert squeeze(literal) in text
    assert "&lt;" not in text and "&quot;" not in text and "&#x27;" not in text
    assert FORMULA in text


def test_appendix_pdf_has_the_literal_class_name(client, btc_user, hostile_class):
    assert BudgetLine.objects.filter(training_class=hostile_class).exists()
    text = pdf_text(get(client, btc_user, "plan_appendix_pdf", 2021))
    assert squeeze(CLASS) in text
    assert "&lt;" not in text and "&quot;" not in text


def test_class_list_xlsx_cells_equal_the_literal_names(client, btc_user, hostile_class):
    cells = sheet_cells(
        get(client, btc_user, "class_learners_xlsx", hostile_class.pk), "Danh sách học viên"
    )
    by_value = {cell.value: cell for cell in cells}
    for literal in [PERSON, UNIT, FORMULA]:
        assert literal in by_value, literal
        assert by_value[literal].data_type == "s", literal  # text, not a formula
    assert not any(cell.data_type == "f" for cell in cells)


def test_nominations_xlsx_cells_equal_the_literal_names(client, btc_user, hostile_class):
    cells = sheet_cells(get(client, btc_user, "plan_nominations_xlsx", 2021), "Danh sách cử đi học")
    by_value = {cell.value: cell for cell in cells}
    for literal in [PERSON, UNIT, CLASS, FORMULA]:
        assert literal in by_value, literal
        assert by_value[literal].data_type == "s", literal
    assert not any(cell.data_type == "f" for cell in cells)
