"""Fixtures and helpers of the sales tests (imported by each module: no conftest.py here, so the
root one stays `conftest`)."""
import types
from decimal import Decimal as D

import pytest

from core.hooks import hookimpl
from db_backends import env_of


@pytest.fixture
def sales_registry(make_registry):
    return make_registry(["sales"])


@pytest.fixture
def senv(sales_registry):
    """A superuser environment on the sales database; rolled back after the test."""
    yield from env_of(sales_registry)


@pytest.fixture
def basics(senv):
    return make_basics(senv)


def make_basics(env):
    """Two customers (one a licensed dealer), three products (two goods, one service)."""
    partners = env["res.partner"].create([
        {"name": "Levi Trading Ltd", "customer": True, "is_company": True, "email": "levi@example.co.il"},
        {"name": "Cohen Foods", "customer": True, "is_company": True, "email": "cohen@example.co.il"},
    ])
    products = env["product.product"].create([
        {"name": "Olive oil 1L", "default_code": "OIL1", "list_price": D("32.50"), "type": "goods"},
        {"name": "Tahini 500g", "default_code": "THN5", "list_price": D("14.90"), "type": "goods"},
        {"name": "Installation", "default_code": "SRV1", "list_price": D("250.00"), "type": "service"},
    ])
    return types.SimpleNamespace(levi=partners[0], cohen=partners[1], oil=products[0], tahini=products[1],
                                 service=products[2])


def quote_values(basics, date="2025-03-10", lines=None, **extra):
    lines = lines if lines is not None else [
        {"product_id": basics.oil.id, "quantity": 10},
        {"product_id": basics.tahini.id, "quantity": 4, "discount": 5},
    ]
    return {"partner_id": basics.levi.id, "date": date, "line_ids": lines, **extra}


def count(env, model, domain=None):
    return env[model].sudo().search_count(domain or [])


def refused(registry, work, error, match=None):
    """Run ``work(env)`` as one unit of work: it must raise ``error``; return the message."""
    with pytest.raises(error, match=match) as info:
        registry.run(work)
    return str(info.value)


class Plugin:
    """A hook implementation registered on one registry for one test (``with Plugin(reg, **fns)``)."""

    def __init__(self, registry, **hooks):
        self.registry = registry
        for name, function in hooks.items():
            setattr(self, name, hookimpl(function))

    def __enter__(self):
        self.registry.hooks.register(self)
        return self

    def __exit__(self, *exc):
        self.registry.hooks.unregister(self)


def stock_in(env, product, quantity, date="2025-01-01"):
    env["stock.move"].create_done([{"product_id": product.id, "quantity": quantity, "kind": "in", "date": date}])


def confirmed_order(env, basics, lines=None, date="2025-03-10", **extra):
    order = env["sale.order"].create(quote_values(basics, date=date, lines=lines, **extra))
    order.action_confirm()
    return order


def check(amount, due, number="1001", **extra):
    return {"method": "check", "amount": amount, "bank": "12", "branch": "600", "account_number": "123456",
            "check_number": number, "due_date": due, **extra}
