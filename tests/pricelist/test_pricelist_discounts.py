"""Discounts: the family discount REPLACES the general one; special prices are net."""
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist, price


def test_family_discount_replaces_the_general_discount(env, cat):
    cat.other.write({"general_discount": 5, "family_discount_ids": [{"family_id": cat.paper.id, "discount": 8}]})
    a4 = price(env, cat.other, cat.a4)
    assert (a4["discount"], a4["discount_kind"], a4["discount_family_id"]) == (D("8.00"), "family", cat.paper.id)
    assert a4["explanation"].endswith("family discount of Yafo Cafe for Office / Paper: 8%, "
                                      "instead of the general discount 5%")
    toner = price(env, cat.other, cat.toner)  # Office is not under Paper: the general discount
    assert (toner["discount"], toner["discount_kind"]) == (D("5.00"), "general")


def test_a_smaller_family_discount_still_replaces_a_bigger_general_one(env, cat):
    cat.other.write({"general_discount": 10, "family_discount_ids": [{"family_id": cat.paper.id, "discount": 2}]})
    assert price(env, cat.other, cat.a4)["discount"] == D("2.00")


def test_the_deepest_family_of_one_customer_wins(env, cat):
    cat.other.write({"family_discount_ids": [{"family_id": cat.office.id, "discount": 4},
                                             {"family_id": cat.paper.id, "discount": 6},
                                             {"family_id": cat.premium.id, "discount": 9}]})
    assert price(env, cat.other, cat.premium_a4)["discount"] == D("9.00")
    assert price(env, cat.other, cat.a4)["discount"] == D("6.00")
    assert price(env, cat.other, cat.toner)["discount"] == D("4.00")
    assert price(env, cat.other, cat.install)["discount"] == D("0")


def test_discount_applies_on_top_of_the_pricelist_price(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    cat.other.write({"pricelist_id": pricelist.id, "general_discount": D("2.5")})
    result = price(env, cat.other, cat.a4)
    assert (result["price_unit"], result["discount"]) == (D("20.00"), D("2.50"))


def test_no_discount_on_a_special_price(env, cat):
    cat.other.write({"general_discount": 5, "family_discount_ids": [{"family_id": cat.paper.id, "discount": 8}]})
    env["pricelist.special_price"].create({"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 19})
    result = price(env, cat.other, cat.a4)
    assert (result["price_unit"], result["discount"], result["discount_kind"]) == (D("19.00"), D("0"), None)
    assert result["explanation"] == "Special price 19.00 of Yafo Cafe; no discount on a special price"


def test_zero_discounts_are_not_mentioned(env, cat):
    cat.other.write({"general_discount": 0})
    result = price(env, cat.other, cat.a4)
    assert (result["discount"], result["explanation"]) == (D("0"), "No price list: the product's sales price")
