"""Fixtures of the stock tests (imported by each test module; no conftest.py so the root one stays `conftest`): a database with the stock addon, products, a second warehouse."""
import datetime as dt
from decimal import Decimal

import pytest

from db_backends import env_of


@pytest.fixture
def registry(make_registry):
    return make_registry(["stock"])


@pytest.fixture
def env(registry):
    yield from env_of(registry)


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


@pytest.fixture
def supplier(env):
    return env["res.partner"].create({"name": "Paper & Co", "supplier": True})


@pytest.fixture
def make_order(env, supplier, products):
    """``make_order([(product, qty, days from today), ...], confirm=True)``: a purchase order."""
    def make(lines, confirm=True, warehouse=None, price="10.00"):
        values = {"partner_id": supplier.id, "line_ids": [
            {"product_id": product.id, "quantity": quantity, "price_unit": price,
             "date_expected": TODAY + dt.timedelta(days=days)} for product, quantity, days in lines]}
        if warehouse:
            values["warehouse_id"] = warehouse.id
        order = env["purchase.order"].create(values)
        if confirm:
            order.action_confirm()
        return order
    return make
