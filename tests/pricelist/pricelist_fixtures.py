"""Fixtures of the pricelist tests (imported by the test modules): a database with the addon and a small catalog.

The catalog: families Office > Paper > Premium paper, and Services; products A4 (Paper,
24.90 / cost 15), premium paper (Premium paper, 40.00 / cost 22), toner (Office, 349 /
cost 210), installation (Services, 250); a head office with a branch, and a contact
person of the branch.
"""
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from db_backends import env_of


@pytest.fixture
def env(make_registry):
    yield from env_of(make_registry(["pricelist"]))


@pytest.fixture
def cat(env):
    """The catalog (see the module docstring) as a namespace of records."""
    families = env["product.family"]
    office = families.create({"name": "Office"})
    paper = families.create({"name": "Paper", "parent_id": office.id})
    premium = families.create({"name": "Premium paper", "parent_id": paper.id})
    services = families.create({"name": "Services"})
    products = env["product.product"]
    a4 = products.create({"name": "A4", "default_code": "T-A4", "family_id": paper.id,
                          "list_price": D("24.90"), "cost": D("15")})
    premium_a4 = products.create({"name": "Premium A4", "default_code": "T-PA4", "family_id": premium.id,
                                  "list_price": D("40.00"), "cost": D("22")})
    toner = products.create({"name": "Toner", "default_code": "T-TON", "family_id": office.id,
                             "list_price": D("349"), "cost": D("210")})
    install = products.create({"name": "Installation", "default_code": "T-INS", "family_id": services.id,
                               "list_price": D("250"), "type": "service"})
    partners = env["res.partner"]
    hq = partners.create({"name": "Shefa HQ", "is_company": True, "customer": True})
    branch = partners.create({"name": "Shefa Haifa", "is_company": True, "customer": True,
                              "head_office_id": hq.id})
    contact = partners.create({"name": "Dana", "parent_id": branch.id})
    other = partners.create({"name": "Yafo Cafe", "is_company": True, "customer": True})
    return SimpleNamespace(office=office, paper=paper, premium=premium, services=services, a4=a4,
                           premium_a4=premium_a4, toner=toner, install=install, hq=hq, branch=branch,
                           contact=contact, other=other, ils=env.ref("base.ILS"), usd=env.ref("base.USD"))
