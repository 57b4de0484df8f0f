"""Fixtures of the quota and nomination tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The personas are made with passwords; a fast hasher keeps these tests quick. Runs first
    (autouse), so the users of tests/conftest.py are hashed with it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
