"""'Why this price': every result says where its price and its discount come from, translated."""
import datetime as dt
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist, price


def _policy(env, cat):
    wholesale = make_pricelist(env, items=[
        {"applied_on": "family", "family_id": cat.paper.id, "compute_price": "markup", "percent": 30,
         "min_quantity": 10, "rounding": 1, "rounding_ending": D("0.90"), "surcharge": 1},
        {"applied_on": "all", "compute_price": "discount", "percent": 5},
    ], base="cost")
    cat.hq.write({"pricelist_id": wholesale.id, "general_discount": 3,
                  "family_discount_ids": [{"family_id": cat.office.id, "discount": 6}]})
    return wholesale


def test_explanation_of_each_part_in_english(env, cat):
    _policy(env, cat)
    a4 = price(env, cat.branch, cat.a4, 12)
    assert a4["price_unit"] == D("20.90")  # 15 * 1.30 = 19.50 -> 19.90, + 1
    assert a4["explanation"] == (
        "Price list Wholesale of head office Shefa HQ, item for family Office / Paper (from quantity 10): "
        "the cost 15.00 plus 30%, rounded to 19.90, surcharge 1.00; "
        "family discount of head office Shefa HQ for Office: 6%, instead of the general discount 3%")
    install = price(env, cat.branch, cat.install, 1)
    assert install["explanation"] == ("Price list Wholesale of head office Shefa HQ, item for all products: "
                                      "the cost 0.00 less 5%; general discount of head office Shefa HQ: 3%")


def test_explanation_in_hebrew(env, cat):
    _policy(env, cat)
    env["pricelist.special_price"].create({"partner_id": cat.branch.id, "product_id": cat.toner.id, "price": 299})
    hebrew = env.with_context(lang="he")
    a4 = price(hebrew, cat.branch, cat.a4, 12)
    assert a4["explanation"] == (
        "מחירון Wholesale של לקוח מרכז Shefa HQ, פריט למשפחה Office / Paper (מכמות 10): "
        "העלות 15.00 ועוד 30%, מעוגל ל-19.90, תוספת 1.00; "
        "הנחה למשפחת מוצרים של לקוח מרכז Shefa HQ עבור Office: 6%, במקום ההנחה הכללית 3%")
    toner = price(hebrew, cat.branch, cat.toner)
    assert toner["explanation"] == "מחיר מיוחד 299.00 של Shefa Haifa; אין הנחה על מחיר מיוחד"
    alone = price(hebrew, cat.other, cat.toner)
    assert alone["explanation"] == "אין מחירון: מחיר המכירה של המוצר"


def test_explanation_when_the_pricelist_does_not_apply(env, cat):
    wholesale = _policy(env, cat)
    wholesale.write({"date_end": dt.date(2025, 12, 31)})
    result = price(env, cat.branch, cat.toner)
    assert result["explanation"].startswith(
        "Price list Wholesale of head office Shefa HQ does not apply on this date or in this currency: "
        "the product's sales price")
    wholesale.write({"date_end": None})
    result = price(env, cat.branch, cat.a4, 1)  # below the family item's minimum: the 'all products' item
    assert "item for all products" in result["explanation"]


def test_the_explanation_names_the_branch_when_the_branch_defines_it(env, cat):
    _policy(env, cat)
    cat.branch.write({"general_discount": 2})
    result = price(env, cat.branch, cat.install)
    assert result["explanation"].endswith("general discount of Shefa Haifa: 2%")
