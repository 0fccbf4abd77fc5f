"""The demo data: Israeli customers with quotes, orders, deliveries, invoices and receipts
with post-dated and bounced checks, taken through their real life when installed."""
import datetime as dt
from decimal import Decimal as D

import pytest

from db_backends import env_of

TODAY = dt.date.today()


@pytest.fixture
def demo_env(make_registry):
    yield from env_of(make_registry(["sales"], demo=True))


def test_demo_documents_went_through_their_life(demo_env):
    env = demo_env
    ref = env.ref
    assert ref("sales.quote_shefa").status_code == "accepted"
    order = ref("sales.order_shefa")
    assert order.quote_id == ref("sales.quote_shefa") and order.status_code == "invoiced"
    invoice = ref("sales.invoice_shefa")
    assert invoice.state == "posted" and invoice.allocation_number == "202611270001"
    assert invoice.amount_total == D("6947.25") and invoice.amount_residual == D("947.25")
    assert ref("sales.order_galil").status_code == "partial"
    assert ref("sales.quote_galil").status_code == "draft"
    assert ref("sales.quote_negev").status_code == "expired"
    assert ref("sales.quote_yael").status_code == "sent"
    assert ref("sales.receipt_negev_check").check_state == "bounced"


def test_demo_customer_amounts(demo_env):
    env = demo_env
    shefa, galil, negev = env.ref("base.partner_hq"), env.ref("sales.partner_galil"), env.ref("sales.partner_negev")
    partners = shefa | galil | negev
    assert partners.sales_postdated_checks() == {shefa.id: D("5000.00"), galil.id: D("0.00"), negev.id: D("0.00")}
    balances = partners.sales_ledger_balances()
    assert balances[shefa.id] == D("947.25") and balances[negev.id] == D("1767.64")
    assert partners.sales_ledger_balances(TODAY - dt.timedelta(days=3))[negev.id] == D("0.00")
    assert partners.sales_uninvoiced_amounts()[galil.id] == D("1762.92")      # 60 × 24.90 + 18% VAT
    assert partners.sales_open_order_amounts()[galil.id] > 0
