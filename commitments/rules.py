"""Who may do what with service commitments and repayment: the one place these rules are written.

Commitments are personal data and follow the person's record: BTC, SNV, leadership and
administrators read every one; a unit those of its own people (another unit's: 404 through the
selectors). The unit records and tracks its people's commitments and decides repayment as the
sending body; BTC acts for the Party block, SNV for the State block. Leadership only reads.
"""

import rules

from training_plan.rules import (
    add_perm,
    administrator,
    in_own_unit,
    is_unit,
    manages_block,
    reads_every_unit,
    reads_own_unit,
    writes_every_unit,
)

READS_ONLY = "Tài khoản của bạn chỉ được xem cam kết phục vụ, không được thay đổi."


def _block(record):
    """The budget block of a commitment or nomination (its course's program)."""
    nomination = getattr(record, "nomination", record)
    return nomination.course.program.block


@rules.predicate
def reads_commitment(user, record):
    if reads_every_unit(user):
        return True
    return reads_own_unit(user) and (record is None or in_own_unit(user, record))


@rules.predicate
def acts_on_commitment(user, record):
    """The person's own unit, or the block's manager (BTC Party, SNV State). Without a record:
    acts on some."""
    if administrator(user):
        return True
    if record is None:
        return is_unit(user) or writes_every_unit(user)
    if is_unit(user):
        return in_own_unit(user, record)
    return manages_block(user, _block(record))


add_perm("commitments.view_commitment", reads_commitment)
add_perm("commitments.change_commitment", acts_on_commitment, READS_ONLY)
add_perm("commitments.decide_repayment", acts_on_commitment, READS_ONLY)
