"""The after-training demo that `make run` seeds: every commitment state, a repayment of each
formula, a class with evaluation answers, a duplicate caught and turned into a transfer."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, Share, State
from evaluation.models import Response
from tests.helpers import client_for
from training_plan.models import PersonTransfer, User

pytestmark = pytest.mark.django_db


def test_demo_after_training(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    states = set(
        Commitment.objects.with_state(timezone.localdate()).values_list("state", flat=True)
    )
    assert states == set(State.values)
    shares = set(Commitment.objects.values_list("repayment__share", flat=True)) - {None}
    assert shares == {Share.FULL, Share.PROPORTIONAL}
    left = Commitment.objects.get(repayment__kind="left_early").repayment
    assert (left.cost, left.required_months, left.served_months, left.amount) == (
        96_000_000,
        48,
        24,
        48_000_000,
    )
    assert Response.objects.exists()
    assert PersonTransfer.objects.filter(status="pending").count() == 1
    client_for(client, User.objects.get(username="btc"))
    page = client.get(reverse("commitment_list")).content.decode()
    assert "Phải đền bù" in page and "Đã đền bù" in page
    count = Commitment.objects.count()
    call_command("seed_demo")
    assert Commitment.objects.count() == count
