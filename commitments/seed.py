"""The commitment rules in force, as data (loaded by migration 0002 and by `seed_demo`).

NĐ 101/2017/NĐ-CP (in force 01/09/2017): Điều 6 (commitment of at least 2× the training time for
postgraduate study), Điều 7 (cases of repayment), Điều 8 (amount). For công chức, NĐ 171/2025/NĐ-CP
takes over from 01/07/2025 (at least 3×; dismissal by discipline also repays 100 %). Viên chức and
cán bộ stay under 101/2017 in this data until the act in force for them is confirmed.
"""

import datetime

ND101 = "Nghị định số 101/2017/NĐ-CP ngày 01/9/2017 của Chính phủ"
ND171 = "Nghị định số 171/2025/NĐ-CP ngày 30/6/2025 của Chính phủ"
POSTGRADUATE = ["sau_dai_hoc"]
REPAY_101 = {"dropout": "full", "no_degree": "full", "left_early": "proportional"}
REPAY_171 = {
    "dropout": "full",
    "dismissed": "full",
    "no_degree": "full",
    "left_early": "proportional",
}

RULES = [
    {
        "code": "nd101-cong-chuc",
        "name": "Cam kết phục vụ của công chức theo Nghị định 101/2017/NĐ-CP",
        "category": "cong_chuc",
        "legal_basis": ND101,
        "article": "Điều 6",
        "repayment_article": "Điều 7, Điều 8",
        "multiple": 2,
        "repayment": REPAY_101,
        "valid_from": datetime.date(2017, 9, 1),
        "valid_to": datetime.date(2025, 6, 30),
    },
    {
        "code": "nd171-cong-chuc",
        "name": "Cam kết phục vụ của công chức theo Nghị định 171/2025/NĐ-CP",
        "category": "cong_chuc",
        "legal_basis": ND171,
        "article": "",
        "repayment_article": "",
        "multiple": 3,
        "repayment": REPAY_171,
        "valid_from": datetime.date(2025, 7, 1),
        "valid_to": None,
    },
    {
        "code": "nd101-vien-chuc",
        "name": "Cam kết phục vụ của viên chức theo Nghị định 101/2017/NĐ-CP",
        "category": "vien_chuc",
        "legal_basis": ND101,
        "article": "Điều 6",
        "repayment_article": "Điều 7, Điều 8",
        "multiple": 2,
        "repayment": REPAY_101,
        "valid_from": datetime.date(2017, 9, 1),
        "valid_to": None,
    },
    {
        "code": "nd101-can-bo",
        "name": "Cam kết phục vụ của cán bộ theo Nghị định 101/2017/NĐ-CP",
        "category": "can_bo",
        "legal_basis": ND101,
        "article": "Điều 6",
        "repayment_article": "Điều 7, Điều 8",
        "multiple": 2,
        "repayment": REPAY_101,
        "valid_from": datetime.date(2017, 9, 1),
        "valid_to": None,
    },
]


def commitment_rules_seed(model=None):
    """Create the rules that are missing (by code); rules already there are left as edited."""
    if model is None:
        from commitments.models import CommitmentRule as model
    for data in RULES:
        model.objects.get_or_create(
            code=data["code"], defaults={**data, "program_kinds": POSTGRADUATE}
        )
