"""Fixtures of the stock tests (imported by each test module; no conftest.py so the root one stays `conftest`): a database with the stock addon, products, a second warehouse."""
import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture
def registry(make_registry):
    return make_registry(["stock"])


@pytest.fixture
def env(registry):
    environment = registry.env()
    yield environment
    environment.rollback()
    environment.close()


@pytest.fixture
def products(env):
    """Two goods and a service."""
    return env["product.product"].create([
        {"name": "Chair", "default_code": "CH-1"},
        {"name": "Desk", "default_code": "DS-1"},
        {"name": "Assembly", "default_code": "SV-1", "type": "service"},
    ])


@pytest.fixture
def warehouses(env):
    """The default warehouse and a second one."""
    main = env["stock.warehouse"].get_default()
    north = env["stock.warehouse"].create({"name": "North", "code": "N"})
    return main, north


def qty(value):
    return Decimal(value).quantize(Decimal("0.001"))


TODAY = dt.date.today()
