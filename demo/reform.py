"""The demo of the province since 2025: the reform recorded (`training_plan.reform_2025`), a
2026 draft plan of the new province copied from the 2021 one, a few illustrative units of the
new structure with allocations, and their demo accounts. The 2021 data (and `binhson`,
`sontinh`) stay as they are: the reform is recorded, not applied."""

from django.db import transaction

from quotas.allocations import allocation_set
from quotas.models import QuotaLine
from reports.lifecycle import plan_copy_to_year
from training_plan.models import Block, Organisation, Plan, User
from training_plan.reform_2025 import ILLUSTRATIVE, REFORM_DATE, reform_2025_record

NEW_YEAR = 2026
PROVINCIAL_BODY = "dang-uy-cac-co-quan-dang-tinh-minh-hoa"
COMMUNE = "dang-uy-xa-minh-hoa-binh-son-1"


def reform_units_create():
    """The reform's events and the illustrative provincial body of the demo accounts."""
    reform_2025_record()
    if not Organisation.objects.filter(code=PROVINCIAL_BODY).exists():
        Organisation.objects.create(
            code=PROVINCIAL_BODY,
            name="Đảng ủy các cơ quan Đảng tỉnh (minh họa)",
            kind=Organisation.Kind.UNIT,
            level=Organisation.Level.PROVINCE,
            block=Block.PARTY,
            parent=Organisation.objects.get(code="tinh-uy"),
            valid_from=REFORM_DATE,
            incomplete_note=ILLUSTRATIVE,
        )


@transaction.atomic
def demo_plan_2026_create():
    """A draft plan of 2026 with the 2021 structure and a few seats for the new units; once."""
    source = Plan.objects.filter(year=2021).first()
    if source is None or Plan.objects.filter(province=source.province, year=NEW_YEAR).exists():
        return None
    btc = User.objects.get(username="btc")
    plan = plan_copy_to_year(plan=source, actor=btc, year=NEW_YEAR)
    plan.issue_date = None
    new_units = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.UNIT, valid_from=REFORM_DATE, block=Block.PARTY
        ).order_by("sort_key")
    )
    lines = QuotaLine.objects.filter(
        course__program__section__plan=plan,
        course__program__block=Block.PARTY,
        planned_count__gte=len(new_units),
    ).order_by("id")[:3]
    for line in lines:
        for unit in new_units:
            allocation_set(actor=btc, quota_line=line, unit=unit, count=1)
    return plan
