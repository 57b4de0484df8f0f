import pytest

from tests.security.world import build_world


@pytest.fixture
def world(plan_2021, btc_user, snv_user, leader_user, unit_a_user, unit_b_user, admin_user_2021):
    return build_world(plan_2021)
