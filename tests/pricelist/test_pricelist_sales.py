"""Quotes and orders of the sales addon priced by the pricelist addon (the sales_line_prices hook)."""
import datetime as dt
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import DAY, count_queries, make_pricelist


def _policy(env, cat):
    wholesale = make_pricelist(env, items=[
        {"applied_on": "family", "family_id": cat.office.id, "compute_price": "discount", "percent": 10},
        {"product_id": cat.a4.id, "fixed_price": D("21.90")},
    ])
    cat.hq.write({"pricelist_id": wholesale.id, "general_discount": 3,
                  "family_discount_ids": [{"family_id": cat.paper.id, "discount": 5}]})
    env["pricelist.special_price"].create({"partner_id": cat.branch.id, "product_id": cat.toner.id, "price": 319})
    return wholesale


def _quote(env, partner, lines, date=DAY):
    return env["sale.quote"].create({"partner_id": partner.id, "date": date, "line_ids": [
        {"product_id": product.id, "quantity": quantity} for product, quantity in lines]})


def test_a_quote_for_a_branch_gets_its_prices_discounts_and_explanations(env, cat):
    _policy(env, cat)
    quote = _quote(env, cat.branch, [(cat.a4, 10), (cat.toner, 2), (cat.install, 1)])
    lines = {line.product_id: line for line in quote.line_ids}
    assert (lines[cat.a4].price_unit, lines[cat.a4].discount) == (D("21.90"), D("5.00"))
    assert lines[cat.a4].price_explanation == (
        "Price list Wholesale of head office Shefa HQ, item for this product: fixed price 21.90; "
        "family discount of head office Shefa HQ for Office / Paper: 5%, instead of the general discount 3%")
    assert (lines[cat.toner].price_unit, lines[cat.toner].discount) == (D("319.00"), D("0.00"))
    assert lines[cat.toner].price_explanation == "Special price 319.00 of Shefa Haifa; no discount on a special price"
    assert (lines[cat.install].price_unit, lines[cat.install].discount) == (D("250.00"), D("3.00"))
    assert quote.amount_untaxed == D("208.05") + D("638.00") + D("242.50")


def test_one_price_computation_per_document_whatever_its_lines(env, cat):
    _policy(env, cat)
    products = env["product.product"].create([{"name": f"Bulk {i}", "family_id": cat.paper.id, "list_price": 5 + i}
                                              for i in range(30)])
    counts = []
    for size in (2, 30):
        with count_queries(env) as statements:
            _quote(env, cat.branch, [(product, 1) for product in products[:size]])
        counts.append(sum(1 for s in statements if "pricelist_item" in s))
    assert counts == [1, 1]


def test_a_line_given_a_price_keeps_it_and_update_prices_asks_again(env, cat):
    wholesale = _policy(env, cat)
    quote = env["sale.quote"].create({"partner_id": cat.branch.id, "date": DAY, "line_ids": [
        {"product_id": cat.a4.id, "quantity": 1, "price_unit": D("30.00")}]})
    assert quote.line_ids.price_unit == D("30.00")
    wholesale.item_ids.filtered(lambda item: item.product_id == cat.a4).write({"fixed_price": D("20.90")})
    quote.action_update_prices()
    assert (quote.line_ids.price_unit, quote.line_ids.discount) == (D("20.90"), D("5.00"))
    assert "fixed price 20.90" in quote.line_ids.price_explanation


def test_the_order_keeps_the_prices_and_explanations_of_the_quote(env, cat):
    _policy(env, cat)
    quote = _quote(env, cat.branch, [(cat.a4, 10), (cat.toner, 1)])
    order = quote.action_create_order()["order"]
    assert sorted((line.product_id.name, line.price_unit, line.discount, line.price_explanation)
                  for line in order.line_ids) == sorted(
        (line.product_id.name, line.price_unit, line.discount, line.price_explanation) for line in quote.line_ids)


def test_an_order_entered_directly_is_priced_on_its_date(env, cat):
    wholesale = _policy(env, cat)
    wholesale.write({"date_end": dt.date(2026, 6, 30)})
    order = env["sale.order"].create({"partner_id": cat.contact.id, "date": dt.date(2026, 7, 1), "line_ids": [
        {"product_id": cat.a4.id, "quantity": 1}]})
    line = order.line_ids
    assert (line.price_unit, line.discount) == (D("24.90"), D("5.00"))
    assert line.price_explanation.startswith("Price list Wholesale of head office Shefa HQ does not apply")


def test_explanations_in_the_language_of_the_user(env, cat):
    _policy(env, cat)
    quote = _quote(env.with_context(lang="he"), cat.branch, [(cat.toner, 1)])
    assert quote.line_ids.price_explanation == "מחיר מיוחד 319.00 של Shefa Haifa; אין הנחה על מחיר מיוחד"
