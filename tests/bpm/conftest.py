"""Fixtures of the bpm tests: a database with the demo flow, a superuser env, a controlled clock."""
import pytest

from bpm_helpers import ADDON, Clock


@pytest.fixture
def bpm_registry(make_registry):
    return make_registry([ADDON])


@pytest.fixture
def benv(bpm_registry):
    """A superuser environment on the demo database; rolled back after the test."""
    env = bpm_registry.env()
    yield env
    env.rollback()
    env.close()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
