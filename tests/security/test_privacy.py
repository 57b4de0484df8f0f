"""Pages with personal data are never cached; an oversized request is refused before parsing."""

import pytest
from django.urls import reverse

from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", [reverse("person_list"), reverse("nomination_list"), reverse("home")]
)
def test_pages_of_a_signed_in_user_are_not_stored(client, btc_user, url):
    response = client_for(client, btc_user).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, unit_a_user, settings):
    client_for(client, unit_a_user)
    response = client.post(
        reverse("nomination_import"),
        data=b"x" * 64,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert "lớn hơn 6 MB" in response.content.decode()


def test_a_request_within_the_limit_goes_through(client, unit_a_user):
    response = client_for(client, unit_a_user).post(reverse("nomination_import"), {})
    assert response.status_code == 200
