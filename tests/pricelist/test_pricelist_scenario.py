"""A walkthrough an integrator can read: the demo's pricing, from a head office's policy to a
branch's quote, a yearly price raise previewed and applied, and the history it leaves.

The demo: Shefa Markets Ltd (head office) has the price list Wholesale, a general discount
of 3% and a 5% discount on paper; its Haifa branch has agreed a special price for the
toner. The branch defines nothing else, so it buys at its head office's terms.
"""
import datetime as dt
from decimal import Decimal as D

import pytest

from db_backends import env_of

TODAY = dt.date.today()


@pytest.fixture
def demo(make_registry):
    yield from env_of(make_registry(["pricelist"], demo=True))


def test_from_policy_to_quote_to_yearly_raise(demo):
    env = demo
    branch, a4, toner = env.ref("base.partner_branch"), env.ref("base.product_a4"), env.ref("base.product_toner")
    install = env.ref("base.product_install")

    # 1. The branch's prices: A4 from the head office's list, less the head office's paper discount;
    #    the toner at the branch's own special price, net; the installation at its sales price, less 3%.
    lines = [{"key": code, "product_id": product.id, "quantity": quantity}
             for code, product, quantity in (("a4", a4, 60), ("toner", toner, 1), ("install", install, 2))]
    prices = env["pricelist.pricing"].compute(branch, lines, date=TODAY)
    assert (prices["a4"]["price_unit"], prices["a4"]["discount"]) == (D("19.90"), D("5.00"))  # 50 units and more
    assert "(from quantity 50)" in prices["a4"]["explanation"]
    assert (prices["toner"]["price_unit"], prices["toner"]["discount"]) == (D("319.00"), D("0"))
    assert (prices["install"]["price_unit"], prices["install"]["discount"]) == (D("250.00"), D("3.00"))

    # 2. A quote for the branch is priced the same way, line by line, with the reasons kept.
    quote = env["sale.quote"].create({"partner_id": branch.id, "line_ids": [
        {"product_id": line["product_id"], "quantity": line["quantity"]} for line in lines]})
    assert [(line.price_unit, line.discount) for line in quote.line_ids] == \
        [(D("19.90"), D("5.00")), (D("319.00"), D("0.00")), (D("250.00"), D("3.00"))]
    assert all(line.price_explanation for line in quote.line_ids)

    # 3. The yearly raise: 4% on the whole Wholesale list, prices ending in .90. First the preview...
    wholesale = env.ref("pricelist.pricelist_wholesale")
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "percent": 4,
                                             "rounding": 1, "rounding_ending": D("0.90")})
    update.action_preview()
    preview = {(line.product_id.default_code or line.family_id.name, line.min_quantity): (line.old_value,
                                                                                          line.new_value)
               for line in update.line_ids}
    assert preview[("P-A4", D("0"))] == (D("21.90"), D("22.90"))    # 22.776 -> 22.90
    assert preview[("P-A4", D("50"))] == (D("19.90"), D("20.90"))   # 20.696 -> 20.90
    assert preview[("Office supplies", D("0"))] == (D("10.00"), D("6.40"))  # 90% * 1.04 = 93.6%
    assert env["pricelist.pricing"].compute(branch, lines, date=TODAY)["a4"]["price_unit"] == D("19.90")

    # ... then apply: the branch's next quote has the new prices, and the history says who did it.
    update.action_apply()
    assert env["pricelist.pricing"].compute(branch, lines, date=TODAY)["a4"]["price_unit"] == D("20.90")
    history = env["pricelist.history"].search([("reference", "=", update.name)])
    assert len(history) == 3 and set(history.mapped("user_id")) == {env.user}
