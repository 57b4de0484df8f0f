"""Demo data after training (issue 16): commitments in every state, a repayment case of each
formula, a class with evaluation answers, and a duplicate the form and the import catch.

Made through the services, as users would, so every figure is the formula's."""

import datetime as dt
import random

from commitments.models import Commitment
from commitments.seed import commitment_rules_seed
from commitments.services import (
    commitment_create,
    interruption_add,
    payment_add,
    repayment_case_create,
)
from courses.models import TrainingClass
from demo import year as demo_year
from evaluation.models import Criterion, Invitation
from evaluation.seed import criteria_seed
from evaluation.services import evaluation_answer, evaluation_open
from quotas.models import Nomination
from training_plan.models import Organisation, Person, PersonTransfer, User
from training_plan.services import person_transfer_request

# (sent, training months, return date, F, case: (kind, event date) or None, payments)
COMMITMENTS = [
    # Đang đào tạo: sent after 01/07/2025 (NĐ 171/2025: 3×).
    (dt.date(2025, 9, 5), 24, None, None, None, []),
    # Đang thực hiện cam kết, with an interruption.
    (dt.date(2021, 9, 6), 24, dt.date(2023, 9, 5), 120_000_000, None, []),
    # Hoàn thành: served 2 × 12 months long ago.
    (dt.date(2018, 9, 3), 12, dt.date(2019, 9, 2), 45_000_000, None, []),
    # Phải đền bù theo tỷ lệ: left after 24 of 48 months; one instalment paid.
    (
        dt.date(2021, 9, 6),
        24,
        dt.date(2023, 9, 5),
        96_000_000,
        ("left_early", dt.date(2025, 9, 5)),
        [(dt.date(2025, 10, 15), 10_000_000)],
    ),
    # Đã đền bù 100 %: dropped out during training, paid in two instalments.
    (
        dt.date(2022, 9, 5),
        24,
        None,
        60_000_000,
        ("dropout", dt.date(2023, 3, 1)),
        [(dt.date(2023, 4, 10), 30_000_000), (dt.date(2023, 6, 12), 30_000_000)],
    ),
    # Phải đền bù 100 %: no degree awarded.
    (
        dt.date(2022, 9, 5),
        18,
        dt.date(2024, 3, 4),
        54_000_000,
        ("no_degree", dt.date(2024, 3, 4)),
        [],
    ),
]
DECISION = {"signer_title": "T/M BAN THƯỜNG VỤ", "signer_name": "Nguyễn Văn Quyết"}
# The class evaluated: the demo year's finished class of the chuyên viên course (the first class
# of that course in the plan's appendix, which the demo year fills with learners).
EVALUATED_COURSE = "qlnn_chuyen_vien"
ANSWER_SHARE = 0.7
COMMENTS = [
    "Nên tăng thời lượng thảo luận tình huống thực tế.",
    "Tài liệu cần gửi trước cho học viên.",
    "Giảng viên nhiệt tình, nội dung sát thực tiễn.",
]
DUPLICATE = {
    "full_name": "Phan Thị Trùng",
    "date_of_birth": dt.date(1987, 11, 2),
    "gender": "female",
    "category": "cong_chuc",
    "identity_number": "051187002468",
    "position": "Chuyên viên",
}


def demo_after_training_create(*, seed=16):
    """Create the after-training demo once; returns what was made (0 when already there)."""
    if Commitment.objects.exists():
        return 0
    commitment_rules_seed()
    criteria_seed()
    btc = User.objects.get(username="btc")
    rng = random.Random(seed)
    made = _commitments(btc)
    _evaluation(rng)
    _duplicate(btc)
    return made


def _commitments(btc):
    nominations = list(
        Nomination.objects.filter(
            status__in=("completed", "enrolled", "approved"),
            course__program__block="party",
            commitment__isnull=True,
        )
        .select_related("person")
        .order_by("pk")[: len(COMMITMENTS)]
    )
    for nomination, (sent, months, back, cost, case, payments) in zip(
        nominations, COMMITMENTS, strict=False
    ):
        commitment = commitment_create(
            actor=btc,
            nomination=nomination,
            sent_date=sent,
            signed_date=sent - dt.timedelta(days=10),
            training_months=months,
            return_date=back,
            cost=cost,
            cost_source="Chứng từ thanh toán học phí, chi phí khóa học" if cost else "",
        )
        if case is None and back is not None and back.year == 2023:
            interruption_add(
                actor=btc,
                commitment=commitment,
                start_date=dt.date(2024, 2, 1),
                end_date=dt.date(2024, 4, 30),
                reason="Nghỉ không hưởng lương",
            )
        if case is not None:
            kind, event = case
            decided = repayment_case_create(
                actor=btc,
                commitment=commitment,
                kind=kind,
                event_date=event,
                decision_date=event + dt.timedelta(days=14),
                **DECISION,
            )
            for paid_on, amount in payments:
                payment_add(actor=btc, case=decided, paid_on=paid_on, amount=amount)
    return len(nominations)


def _evaluation(rng):
    course = demo_year.demo_course(EVALUATED_COURSE)
    training_class = (
        TrainingClass.objects.filter(course=course, status=TrainingClass.Status.FINISHED)
        .order_by("start_date", "code")
        .first()
    )
    if training_class is None:
        return
    manager = User.objects.get(username="snv" if training_class.block == "state" else "btc")
    evaluation = evaluation_open(actor=manager, training_class=training_class)
    criteria = list(Criterion.objects.filter(is_active=True, kind=Criterion.Kind.SCORE))
    tokens = list(evaluation.invitations.order_by("pk").values_list("token", flat=True))
    for index, token in enumerate(tokens[: max(1, int(len(tokens) * ANSWER_SHARE))]):
        evaluation_answer(
            token=token,
            scores={c.code: rng.choice([3, 4, 4, 5, 5]) for c in criteria},
            comment=COMMENTS[index] if index < len(COMMENTS) else "",
        )
    assert Invitation.objects.filter(evaluation=evaluation, used=True).exists()


def _duplicate(btc):
    """Phan Thị Trùng is recorded at Huyện ủy Nghĩa Hành; Huyện ủy Sơn Tịnh tried to add her
    again and asked for her record instead (the import says the same of a row naming her)."""
    holder = Organisation.objects.get(code="huyen-uy-nghia-hanh")
    son_tinh = Organisation.objects.get(code="huyen-uy-son-tinh")
    if Person.objects.filter(identity_number=DUPLICATE["identity_number"]).exists():
        return
    Person.objects.create(**DUPLICATE, organisation=holder)
    asker = User.objects.filter(organisation=son_tinh).first() or btc
    if not PersonTransfer.objects.exists():
        person_transfer_request(actor=asker, data={**DUPLICATE, "organisation": son_tinh})
