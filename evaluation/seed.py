"""The evaluation criteria, in the spirit of Thông tư 07/2023/TT-BNV (criteria for evaluating the
quality of fostering courses): program content, lecturers, organisation, facilities, usefulness.
Loaded by migration 0002; edited as data afterwards."""

TT07 = "Thông tư số 07/2023/TT-BNV ngày 31/5/2023 của Bộ Nội vụ"

CRITERIA = [
    (
        "noi-dung",
        "Nội dung chương trình",
        "Nội dung phù hợp với mục tiêu khóa học và đối tượng học viên",
    ),
    (
        "noi-dung-cap-nhat",
        "Nội dung chương trình",
        "Kiến thức được cập nhật, gắn với thực tiễn công tác",
    ),
    ("giang-vien", "Giảng viên", "Giảng viên nắm vững nội dung, truyền đạt dễ hiểu"),
    (
        "giang-vien-phuong-phap",
        "Giảng viên",
        "Phương pháp giảng dạy tích cực, khuyến khích học viên trao đổi",
    ),
    ("to-chuc", "Tổ chức, quản lý lớp học", "Lớp học được tổ chức, quản lý chu đáo, đúng kế hoạch"),
    ("co-so-vat-chat", "Cơ sở vật chất", "Phòng học, trang thiết bị, tài liệu đáp ứng yêu cầu"),
    (
        "huu-ich",
        "Mức độ hữu ích",
        "Kiến thức, kỹ năng của khóa học hữu ích cho công việc của anh/chị",
    ),
    ("y-kien", "Ý kiến khác", "Ý kiến khác, đề xuất để khóa học tốt hơn"),
]


def criteria_seed(model=None):
    if model is None:
        from evaluation.models import Criterion as model
    for position, (code, group, text) in enumerate(CRITERIA, start=1):
        model.objects.get_or_create(
            code=code,
            defaults={
                "position": position,
                "group": group,
                "text": text,
                "kind": "comment" if code == "y-kien" else "score",
                "legal_basis": TT07,
            },
        )
