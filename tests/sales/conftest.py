"""Fixtures of the sales tests: a database with the sales addon, customers and products."""
import pytest

from sales_helpers import make_basics


@pytest.fixture
def sales_registry(make_registry):
    return make_registry(["sales"])


@pytest.fixture
def senv(sales_registry):
    """A superuser environment on the sales database; rolled back after the test."""
    env = sales_registry.env()
    yield env
    env.rollback()
    env.close()


@pytest.fixture
def basics(senv):
    return make_basics(senv)
