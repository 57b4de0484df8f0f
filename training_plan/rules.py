"""Who may do what: the roles, the scope of each role, and the permissions of the core (people,
the download log). The one place where a user's role is read.

The policy (SPEC §1, README “What each role does”):

- BTC (Ban Tổ chức Tỉnh ủy) and SNV (Sở Nội vụ) read every unit's records. Each acts on one
  budget block: BTC on the Party block, SNV on the State block; each reads the other's.
- Leadership (Thường trực, who approve who is sent) reads everything, people and nominations
  included, and changes nothing; identity numbers stay masked for them.
- A unit reads and acts on its own records only, in both blocks; another unit's record is a 404
  (the selectors scope every queryset with `scope_to_user`).
- Administrators (superusers) may do everything (Django grants them every permission).

Permissions are `rules` permissions (`user.has_perm(name, obj)`); views, services, templates
(`{% has_perm %}`), exports and the navigation read them. Each app keeps its own permissions in
its `rules.py`; the predicates below are what they are built from. Called without an object,
an object permission answers whether the user may do it to some object (to show a menu or a
button); with the object, whether to this one.
"""

import rules
from django.core.exceptions import PermissionDenied

from training_plan.models import Block, User

DEFAULT_REFUSAL = "Tài khoản của bạn không có quyền thực hiện thao tác này."

# Permission name → the Vietnamese reason shown (HTTP 403 page or message) when it is refused.
REFUSALS = {}


def add_perm(name, predicate, refusal=DEFAULT_REFUSAL):
    """Register a permission with the reason a refusal gives."""
    rules.add_perm(name, predicate)
    REFUSALS[name] = refusal


def refusal(name):
    return REFUSALS.get(name, DEFAULT_REFUSAL)


def check_perm(user, name, obj=None):
    """Raise PermissionDenied (403) with the permission's reason unless `user` has it."""
    if not user.has_perm(name, obj):
        raise PermissionDenied(refusal(name))


# --- Roles ------------------------------------------------------------------------------------


def _role(user):
    return getattr(user, "role", "")


administrator = rules.is_superuser


@rules.predicate
def is_btc(user):
    return _role(user) == User.Role.BTC


@rules.predicate
def is_snv(user):
    return _role(user) == User.Role.SNV


@rules.predicate
def is_leadership(user):
    return _role(user) == User.Role.LEADERSHIP


@rules.predicate
def is_unit(user):
    """A unit user with its organisation (the database requires one)."""
    return _role(user) == User.Role.UNIT and getattr(user, "organisation_id", None) is not None


# --- Scope: whose records a user reads ---------------------------------------------------------

# BTC and SNV (and administrators): the province's staff, who act for it.
province_staff = administrator | is_btc | is_snv
reads_every_unit = province_staff | is_leadership
reads_own_unit = is_unit
# BTC and SNV keep every unit's personal records; a unit keeps its own.
writes_every_unit = province_staff


@rules.predicate
def in_own_unit(user, record):
    """The record (a person: `organisation_id`; a nomination: `unit_id`) is the user's unit's."""
    if record is None:
        return False
    unit_id = getattr(record, "unit_id", None) or getattr(record, "organisation_id", None)
    return unit_id is not None and unit_id == getattr(user, "organisation_id", None)


def own_unit_alive_in(user, year):
    """A unit account whose unit is alive during `year`; an account of a unit that ended reads
    its unit's past and creates nothing in plans after its end (SPEC §2 Organisations)."""
    unit = getattr(user, "organisation", None)
    return unit is not None and unit.alive_in_year(year)


EVERY_UNIT = "every unit"


def unit_scope(user):
    """Whose records the user reads: EVERY_UNIT, its own organisation's id, or None (nobody's)."""
    if reads_every_unit(user):
        return EVERY_UNIT
    if reads_own_unit(user):
        return user.organisation_id
    return None


def scope_to_user(queryset, user, unit_field):
    """The rows of `queryset` the user may read, `unit_field` naming the owning unit's id."""
    scope = unit_scope(user)
    if scope == EVERY_UNIT:
        return queryset
    if scope is None:
        return queryset.none()
    return queryset.filter(**{unit_field: scope})


# --- Blocks: who acts on which --------------------------------------------------------------


@rules.predicate
def manages_block(user, block):
    """Acts for the province on a budget block: BTC the Party block, SNV the State block.

    Without a block: on some block. Other apps pass the block of their object (`obj.block`)."""
    if administrator(user):
        return True
    if block is None:
        return is_btc(user) or is_snv(user)
    return (is_btc(user) and block == Block.PARTY) or (is_snv(user) and block == Block.STATE)


def managed_blocks(user):
    """The blocks the user acts on, in Block order."""
    return [block for block in Block.values if manages_block(user, block)]


def block_manager_name(block):
    return "Sở Nội vụ" if block == Block.STATE else "Ban Tổ chức Tỉnh ủy"


# --- Permissions of the core ----------------------------------------------------------------

READS_ONLY = "Tài khoản của bạn chỉ được xem, không được sửa hồ sơ cán bộ."

add_perm("training_plan.view_every_unit", reads_every_unit)
add_perm(
    "training_plan.manage_block",
    manages_block,
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) được thực hiện thao tác này.",
)


@rules.predicate
def reads_person(user, person):
    if person is None:
        return reads_every_unit(user) or reads_own_unit(user)
    return reads_every_unit(user) or (reads_own_unit(user) and in_own_unit(user, person))


@rules.predicate
def writes_person(user, person):
    if person is None:
        return writes_every_unit(user) or is_unit(user)
    return writes_every_unit(user) or (is_unit(user) and in_own_unit(user, person))


@rules.predicate
def reads_identity_number(user, person):
    """In lists (no person): BTC, SNV, administrators; on one person's page also the person's own
    unit. Leadership and everyone else read it masked (personal data, Law 91/2025/QH15)."""
    if writes_every_unit(user):
        return True
    return person is not None and is_unit(user) and in_own_unit(user, person)


# People: personal data. BTC, SNV, leadership and administrators read every unit's; a unit its
# own. Leadership only reads.
add_perm(
    "training_plan.view_person",
    reads_person,
    "Tài khoản của bạn không được xem hồ sơ cán bộ.",
)
add_perm("training_plan.add_person", writes_every_unit | is_unit, READS_ONLY)
add_perm("training_plan.change_person", writes_person, READS_ONLY)
# Whether the person's unit can be chosen (BTC, SNV): a unit's people stay in that unit.
add_perm("training_plan.change_person_unit", writes_every_unit, READS_ONLY)
add_perm("training_plan.view_identity_number", reads_identity_number)

# Transfers of a person's record: a unit asks for a person recorded elsewhere (BTC, SNV for any
# unit); the unit holding the record, BTC or SNV accepts.
add_perm("training_plan.request_transfer", writes_every_unit | is_unit, READS_ONLY)
add_perm("training_plan.decide_transfer", writes_person, READS_ONLY)
add_perm("training_plan.view_transfers", writes_every_unit | is_unit)

# The download log of files with personal data: BTC and administrators.
add_perm("training_plan.view_download_log", administrator | is_btc)
# The Django admin (its own login checks `is_staff` again).
add_perm("training_plan.view_admin", rules.is_staff)
# With REQUIRE_2FA on, these accounts must log in in two steps (training_plan/accounts.py):
# administrators and the two offices that act on the whole province.
add_perm("training_plan.needs_two_factor", administrator | is_btc | is_snv)


# --- Who is told: the accounts that act on a unit, a block, or read as leadership -------------


def accounts_of_unit(unit_id):
    """The active accounts of a unit (its people's records are theirs to act on)."""
    return User.objects.filter(is_active=True, role=User.Role.UNIT, organisation_id=unit_id)


def accounts_of_units(unit_ids):
    """The active accounts of several units at once."""
    return User.objects.filter(
        is_active=True, role=User.Role.UNIT, organisation_id__in=list(unit_ids)
    )


def accounts_managing_block(block):
    """The active accounts that act for the province on a block: BTC (Party), SNV (State)."""
    role = User.Role.SNV if block == Block.STATE else User.Role.BTC
    return User.objects.filter(is_active=True, role=role)


def leadership_accounts():
    return User.objects.filter(is_active=True, role=User.Role.LEADERSHIP)
