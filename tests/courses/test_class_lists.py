"""Class lists (danh sách học viên) as PDF and Excel: 0, 1 and 500 learners, Vietnamese order,
a unit sees only the people it sent."""

import io

import openpyxl
import pytest
from django.urls import reverse

from quotas.models import Nomination
from tests import fixture_2021
from tests.factories import NominationFactory, class_with_estimate, learners
from tests.fixture_2021 import BINH_SON, SON_TINH
from tests.helpers import client_for
from tests.training_plan.pdf_helpers import body, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def k45(plan_2021):
    return class_with_estimate(
        fixture_2021.course("II.3.1"),
        100_000_000,
        name="Lớp Trung cấp LLCT-HC K45",
        venue="Cơ sở 2, Trường Chính trị tỉnh",
    )


def xlsx(client, user, training_class):
    response = client_for(client, user).get(
        reverse("class_learners_xlsx", args=[training_class.pk])
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    rows = list(workbook["Danh sách học viên"].iter_rows(min_row=2, values_only=True))
    info = dict(workbook["Thông tin lớp"].iter_rows(min_row=2, values_only=True))
    return rows, info


def pdf(client, user, training_class):
    response = client_for(client, user).get(reverse("class_learners_pdf", args=[training_class.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return body(response)


def test_class_list_with_no_learners(client, btc_user, k45):
    rows, info = xlsx(client, btc_user, k45)
    assert rows == []
    assert info["Lớp"] == "Lớp Trung cấp LLCT-HC K45"
    assert info["Số học viên trong danh sách"] == 0
    text = pdf_text(pdf(client, btc_user, k45))
    assert "DANH SÁCH HỌC VIÊN" in text
    assert "Lớp Trung cấp LLCT-HC K45" in text
    assert "Chưa có học viên nào trong danh sách." in text


def test_class_list_with_one_learner_shows_header_and_result(client, snv_user, k45):
    nomination = NominationFactory(
        unit=fixture_2021.unit(BINH_SON),
        course=k45.course,
        status=Nomination.Status.NOT_COMPLETED,
        training_class=k45,
        result_reason="Nghỉ quá số buổi quy định",
        person__full_name="Trần Thị Bích",
        person__position="Phó Bí thư Đảng ủy xã",
    )
    # Nominations that never sat in the class are not learners.
    NominationFactory(
        unit=fixture_2021.unit(BINH_SON), course=k45.course, status="approved", training_class=None
    )
    rows, info = xlsx(client, snv_user, k45)
    assert len(rows) == 1
    number, name, born, gender, unit, position, result = rows[0]
    assert (number, name, unit, position) == (
        1,
        "Trần Thị Bích",
        "Huyện ủy Bình Sơn",
        "Phó Bí thư Đảng ủy xã",
    )
    assert born.date() == nomination.person.date_of_birth
    assert result == "Không hoàn thành (Nghỉ quá số buổi quy định)"
    assert info["Cơ sở đào tạo"] == "Trường Chính trị tỉnh"
    assert info["Khai giảng"].date() == k45.start_date
    text = pdf_text(pdf(client, snv_user, k45))
    for expected in [
        "Trần Thị Bích",
        "Huyện ủy Bình Sơn",
        "Phó Bí thư Đảng ủy xã",
        "Không hoàn thành",
        "Trường Chính trị tỉnh",
        "Cơ sở 2, Trường Chính trị tỉnh",
        "từ 01/03/2021 đến 30/06/2021",
        "Trung cấp lý luận chính trị - hành chính",
    ]:
        assert expected in text, expected


def test_class_list_with_500_learners_in_vietnamese_order(client, leader_user, k45):
    names = [f"Nguyễn Văn {chr(0x41 + i % 26)}{i:03d}" for i in range(497)]
    names += ["Lê Thị Ánh", "Phạm Văn Đức", "Trần Văn An"]
    learners(k45, fixture_2021.unit(SON_TINH), 500, names=names)
    rows, info = xlsx(client, leader_user, k45)
    assert len(rows) == 500
    assert info["Số học viên trong danh sách"] == 500
    assert [row[0] for row in rows] == list(range(1, 501))
    # Given name first; An before Ánh (tones only break ties), đ after every d.
    listed = [row[1] for row in rows]
    assert listed.index("Trần Văn An") < listed.index("Lê Thị Ánh")
    assert listed.index("Lê Thị Ánh") < listed.index("Nguyễn Văn B001")
    assert listed[0] == "Trần Văn An"
    assert listed.index("Nguyễn Văn D003") < listed.index("Phạm Văn Đức")
    assert listed.index("Phạm Văn Đức") < listed.index("Nguyễn Văn E004")
    content = pdf(client, leader_user, k45)
    pages = pdf_pages(content)
    assert len(pages) > 5
    text = " ".join(pages)
    assert text.count("Huyện ủy Sơn Tịnh") == 500
    assert pages[1].split()[0] == "2"  # numbered from page 2


def test_unit_sees_only_its_own_people(client, unit_a_user, unit_b_user, k45):
    learners(k45, fixture_2021.unit(BINH_SON), 2, names=["Đỗ Văn Một", "Đỗ Văn Hai"])
    learners(k45, fixture_2021.unit(SON_TINH), 3, names=["Võ Thị Ba", "Võ Thị Bốn", "Võ Thị Năm"])
    rows, info = xlsx(client, unit_a_user, k45)
    assert sorted(row[1] for row in rows) == ["Đỗ Văn Hai", "Đỗ Văn Một"]
    assert info["Phạm vi"] == "Chỉ học viên do Huyện ủy Bình Sơn cử"
    text = pdf_text(pdf(client, unit_a_user, k45))
    assert "Đỗ Văn Một" in text and "Võ Thị Ba" not in text
    client.logout()
    rows, _ = xlsx(client, unit_b_user, k45)
    assert sorted(row[1] for row in rows) == ["Võ Thị Ba", "Võ Thị Bốn", "Võ Thị Năm"]


def test_unknown_class_is_404(client, btc_user):
    client_for(client, btc_user)
    assert client.get(reverse("class_learners_pdf", args=[999999])).status_code == 404
    assert client.get(reverse("class_learners_xlsx", args=[999999])).status_code == 404


def test_a_reason_goes_to_a_note_not_down_the_result_column(client, btc_user, k45):
    """Issue 14: the result column wrapped a reason over six lines. The column now holds the
    status with a note number; the reason is a note under the table."""
    import subprocess
    import tempfile

    reason = "Nghỉ quá số buổi quy định, không dự thi cuối khóa do ốm dài ngày có giấy xác nhận"
    NominationFactory(
        unit=fixture_2021.unit(BINH_SON),
        course=k45.course,
        status=Nomination.Status.NOT_COMPLETED,
        training_class=k45,
        result_reason=reason,
        person__full_name="Trần Thị Bích",
        person__position="Chuyên viên",
    )
    content = pdf(client, btc_user, k45)
    text = pdf_text(content)
    assert "Không hoàn thành (1)" in text
    assert f"(1) Trần Thị Bích: {reason}" in text
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        layout = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    lines = [line for line in layout.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "Trần Thị Bích" in line)
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Ghi chú"))
    assert end - start <= 2, lines[start:end]  # the row: one or two lines, not six
