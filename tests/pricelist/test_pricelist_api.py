"""The batch price API: a fixed number of queries per call, clear errors on bad input."""
from decimal import Decimal as D

import pytest

from core.exceptions import AccessError, UserError
from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import DAY, count_queries, make_pricelist


def _catalog(env, cat, products):
    made = env["product.product"].create([{"name": f"P{i}", "family_id": (cat.paper, cat.services)[i % 2].id,
                                           "list_price": 10 + i} for i in range(products)])
    pricelist = make_pricelist(env, items=[{"product_id": p.id, "fixed_price": 5 + i} for i, p in enumerate(made)])
    cat.hq.write({"pricelist_id": pricelist.id, "family_discount_ids": [{"family_id": cat.office.id, "discount": 5}]})
    env["pricelist.special_price"].create({"partner_id": cat.branch.id, "product_id": made[0].id, "price": 1})
    return made


def test_the_number_of_queries_does_not_grow_with_the_lines(env, cat):
    products = _catalog(env, cat, 60)
    pricing = env["pricelist.pricing"]
    pricing.compute(cat.branch, [{"product_id": products[0].id, "quantity": 1}], date=DAY)  # warm caches
    counts = []
    for size in (3, 60):
        lines = [{"key": i, "product_id": p.id, "quantity": 1 + i % 7} for i, p in enumerate(products[:size])]
        env.cache.invalidate()
        with count_queries(env) as statements:
            results = pricing.compute(cat.branch, lines, date=DAY)
        assert len(results) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


def test_results_keep_the_keys_and_the_order(env, cat):
    products = _catalog(env, cat, 5)
    lines = [{"key": f"line-{i}", "product_id": p.id, "quantity": 2} for i, p in enumerate(reversed(products))]
    results = env["pricelist.pricing"].compute(cat.branch, lines, date=DAY)
    assert list(results) == [line["key"] for line in lines]
    assert results["line-4"]["price_unit"] == D("1.00")  # the branch's special price for the first product
    assert (results["line-0"]["price_unit"], results["line-0"]["discount"]) == (D("9.00"), D("5.00"))  # paper
    assert (results["line-1"]["price_unit"], results["line-1"]["discount"]) == (D("8.00"), D("0"))  # services
    no_keys = env["pricelist.pricing"].compute(cat.branch, [{"product_id": products[1].id, "quantity": 1}], date=DAY)
    assert list(no_keys) == [0]
    assert env["pricelist.pricing"].compute(cat.branch, [], date=DAY) == {}


@pytest.mark.parametrize("lines, message", [
    ([{"product_id": None, "quantity": 1}], "Line 0: a product is required"),
    ([{"key": "a", "product_id": "x", "quantity": 1}], "Line a: a product is required"),
    ([{"product_id": 999999, "quantity": 1}], "Product 999999 does not exist"),
    ([{"product_id": "PRODUCT", "quantity": 0}], "Line 0: the quantity must be a number above zero"),
    ([{"product_id": "PRODUCT", "quantity": -2}], "Line 0: the quantity must be a number above zero"),
    ([{"product_id": "PRODUCT", "quantity": "many"}], "Line 0: the quantity must be a number above zero"),
    ([{"product_id": "PRODUCT"}], "Line 0: the quantity must be a number above zero"),
    ([{"key": 1, "product_id": "PRODUCT", "quantity": 1}, {"key": 1, "product_id": "PRODUCT", "quantity": 2}],
     "Two lines have the same key"),
    (["PRODUCT"], "Each line must be a dictionary with a product and a quantity"),
])
def test_bad_lines_are_refused_clearly(env, cat, lines, message):
    lines = [{k: (cat.a4.id if v == "PRODUCT" else v) for k, v in line.items()} if isinstance(line, dict) else line
             for line in lines]
    with pytest.raises(UserError) as error:
        env["pricelist.pricing"].compute(cat.branch, lines, date=DAY)
    assert str(error.value) == message


def test_bad_customer_date_and_currency_are_refused_clearly(env, cat):
    pricing = env["pricelist.pricing"]
    line = [{"product_id": cat.a4.id, "quantity": 1}]
    for partner, message in ((999999, "Customer 999999 does not exist"),
                             ("Shefa", "The customer must be a partner record or its id"),
                             (cat.hq | cat.branch, "Prices are computed for one customer at a time")):
        with pytest.raises(UserError) as error:
            pricing.compute(partner, line, date=DAY)
        assert str(error.value) == message
    with pytest.raises(UserError, match=r"^31/02/2026 is not a date \(YYYY-MM-DD\)$"):
        pricing.compute(cat.branch, line, date="31/02/2026")
    with pytest.raises(UserError, match="^Unknown currency 999999$"):
        pricing.compute(cat.branch, line, date=DAY, currency=999999)


def test_errors_in_hebrew(env, cat):
    from core.i18n import use_lang
    with use_lang("he"), pytest.raises(UserError) as error:
        env["pricelist.pricing"].compute(cat.branch, [{"product_id": cat.a4.id, "quantity": 0}], date=DAY)
    assert str(error.value) == "שורה 0: הכמות חייבת להיות מספר גדול מאפס"


def test_a_user_without_access_to_products_cannot_ask(env, cat):
    user = env["res.users"].create({"login": "outsider", "name": "Outsider", "group_ids": []})
    with pytest.raises(AccessError):
        env["pricelist.pricing"].with_user(user).compute(cat.branch, [{"product_id": cat.a4.id, "quantity": 1}])


def test_a_salesperson_gets_prices_from_lists_they_may_only_read(env, cat):
    _catalog(env, cat, 2)
    user = env["res.users"].create({"login": "seller", "name": "Seller", "group_ids": [env.ref("base.group_user").id]})
    products = env["product.product"].search([("name", "in", ["P0", "P1"])], order="name")
    results = env["pricelist.pricing"].with_user(user).compute(
        cat.branch, [{"key": p.name, "product_id": p.id, "quantity": 1} for p in products], date=DAY)
    assert (results["P0"]["price_unit"], results["P1"]["price_unit"]) == (D("1.00"), D("6.00"))
