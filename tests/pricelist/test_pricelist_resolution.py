"""The resolution rule, step by step (README "The resolution rule"), on both databases."""
import datetime as dt
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import DAY, make_pricelist, price


def test_without_policy_the_product_sales_price(env, cat):
    result = price(env, cat.other, cat.a4, 3)
    assert (result["price_unit"], result["discount"], result["source"]) == (D("24.90"), D("0"), "list_price")
    assert result["explanation"] == "No price list: the product's sales price"


def test_items_by_specificity_product_then_deepest_family_then_all(env, cat):
    pricelist = make_pricelist(env, items=[
        {"applied_on": "all", "compute_price": "discount", "percent": 10},
        {"applied_on": "family", "family_id": cat.office.id, "compute_price": "discount", "percent": 20},
        {"applied_on": "family", "family_id": cat.paper.id, "compute_price": "discount", "percent": 30},
        {"applied_on": "product", "product_id": cat.premium_a4.id, "fixed_price": 33},
    ])
    cat.other.write({"pricelist_id": pricelist.id})
    assert price(env, cat.other, cat.premium_a4)["price_unit"] == D("33.00")  # its own item
    assert price(env, cat.other, cat.a4)["price_unit"] == D("17.43")  # Paper (deeper than Office): 24.90 - 30%
    assert price(env, cat.other, cat.toner)["price_unit"] == D("279.20")  # Office: 349 - 20%
    assert price(env, cat.other, cat.install)["price_unit"] == D("225.00")  # all products: 250 - 10%
    items = {item.applied_on + str(item.family_id.name or item.product_id.name or ""): item.id
             for item in pricelist.item_ids}
    assert price(env, cat.other, cat.a4)["item_id"] == items["familyPaper"]
    assert price(env, cat.other, cat.install)["item_id"] == items["all"]


def test_minimum_quantity_picks_the_highest_break_reached(env, cat):
    pricelist = make_pricelist(env, items=[
        {"product_id": cat.a4.id, "fixed_price": 22},
        {"product_id": cat.a4.id, "fixed_price": 20, "min_quantity": 10},
        {"product_id": cat.a4.id, "fixed_price": 18, "min_quantity": 100},
    ])
    cat.other.write({"pricelist_id": pricelist.id})
    assert [price(env, cat.other, cat.a4, q)["price_unit"] for q in (1, 9.5, 10, 99, 100, 1000)] == \
        [D("22.00"), D("22.00"), D("20.00"), D("20.00"), D("18.00"), D("18.00")]


def test_a_specific_item_wins_even_when_a_general_one_has_a_better_quantity_break(env, cat):
    pricelist = make_pricelist(env, items=[
        {"product_id": cat.a4.id, "fixed_price": 23},
        {"applied_on": "all", "compute_price": "discount", "percent": 50, "min_quantity": 10},
    ])
    cat.other.write({"pricelist_id": pricelist.id})
    assert price(env, cat.other, cat.a4, 50)["price_unit"] == D("23.00")
    assert price(env, cat.other, cat.toner, 50)["price_unit"] == D("174.50")


def test_a_product_item_whose_minimum_is_not_reached_gives_way_to_the_family(env, cat):
    pricelist = make_pricelist(env, items=[
        {"product_id": cat.a4.id, "fixed_price": 15, "min_quantity": 100},
        {"applied_on": "family", "family_id": cat.paper.id, "fixed_price": 21},
    ])
    cat.other.write({"pricelist_id": pricelist.id})
    assert price(env, cat.other, cat.a4, 5)["price_unit"] == D("21.00")
    assert price(env, cat.other, cat.a4, 100)["price_unit"] == D("15.00")


def test_item_dates_and_pricelist_dates(env, cat):
    pricelist = make_pricelist(env, date_start=dt.date(2026, 1, 1), date_end=dt.date(2026, 12, 31), items=[
        {"product_id": cat.a4.id, "fixed_price": 22},
        {"product_id": cat.a4.id, "fixed_price": 19, "date_start": dt.date(2026, 3, 1),
         "date_end": dt.date(2026, 3, 31)},
    ])
    cat.other.write({"pricelist_id": pricelist.id})
    assert price(env, cat.other, cat.a4, date=dt.date(2026, 2, 28))["price_unit"] == D("22.00")
    assert price(env, cat.other, cat.a4, date=dt.date(2026, 3, 1))["price_unit"] == D("19.00")  # bounds included
    assert price(env, cat.other, cat.a4, date=dt.date(2026, 3, 31))["price_unit"] == D("19.00")
    assert price(env, cat.other, cat.a4, date=dt.date(2026, 4, 1))["price_unit"] == D("22.00")
    outside = price(env, cat.other, cat.a4, date=dt.date(2027, 1, 1))
    assert (outside["price_unit"], outside["source"]) == (D("24.90"), "list_price")
    assert "does not apply on this date" in outside["explanation"]


def test_an_archived_or_other_currency_pricelist_does_not_apply(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 22}])
    cat.other.write({"pricelist_id": pricelist.id})
    assert price(env, cat.other, cat.a4, currency=cat.usd)["source"] == "list_price"
    pricelist.write({"active": False})
    assert price(env, cat.other, cat.a4)["source"] == "list_price"


def test_computations_fixed_discount_markup_rounding_surcharge(env, cat):
    on_cost = make_pricelist(env, "Cost plus", base="cost", items=[
        {"applied_on": "family", "family_id": cat.paper.id, "compute_price": "markup", "percent": 35,
         "rounding": 1, "rounding_ending": D("0.90")},
        {"applied_on": "family", "family_id": cat.office.id, "compute_price": "markup", "percent": 10,
         "surcharge": 5},
    ])
    cat.other.write({"pricelist_id": on_cost.id})
    assert price(env, cat.other, cat.a4)["price_unit"] == D("19.90")  # 15 * 1.35 = 20.25 -> nearest .90 = 19.90
    assert price(env, cat.other, cat.premium_a4)["price_unit"] == D("29.90")  # 22 * 1.35 = 29.70 -> 29.90
    assert price(env, cat.other, cat.toner)["price_unit"] == D("236.00")  # 210 * 1.10 + 5
    on_list = make_pricelist(env, "Rounded", items=[
        {"applied_on": "all", "compute_price": "discount", "percent": D("12.5"), "rounding": D("0.10")}])
    cat.other.write({"pricelist_id": on_list.id})
    assert price(env, cat.other, cat.a4)["price_unit"] == D("21.80")  # 21.7875 -> 21.80
    assert price(env, cat.other, cat.toner)["price_unit"] == D("305.40")  # 305.375 -> 305.40


def test_money_is_exact_to_the_agora(env, cat):
    pricelist = make_pricelist(env, items=[{"applied_on": "all", "compute_price": "discount", "percent": D("33.33")}])
    cat.other.write({"pricelist_id": pricelist.id})
    result = price(env, cat.other, cat.a4)
    assert result["price_unit"] == D("16.60")  # 24.90 * 0.6667 = 16.60083 -> 16.60, half-up
    assert isinstance(result["price_unit"], D) and result["price_unit"].as_tuple().exponent == -2
    cat.a4.write({"list_price": D("0.15")})
    assert price(env, cat.other, cat.a4)["price_unit"] == D("0.10")  # 0.100005 -> 0.10


def test_based_on_another_pricelist(env, cat):
    public = make_pricelist(env, "Public", items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    dealers = make_pricelist(env, "Dealers", base="pricelist", base_pricelist_id=public.id, items=[
        {"applied_on": "all", "compute_price": "discount", "percent": 10}])
    cat.other.write({"pricelist_id": dealers.id})
    a4 = price(env, cat.other, cat.a4)
    assert a4["price_unit"] == D("18.00")  # public's 20 less 10%
    assert "price list Public 20.00 less 10%" in a4["explanation"]
    assert price(env, cat.other, cat.toner)["price_unit"] == D("314.10")  # public has no item: the sales price 349


def test_special_price_wins_over_the_pricelist(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    cat.other.write({"pricelist_id": pricelist.id})
    env["pricelist.special_price"].create([
        {"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 17},
        {"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 16, "min_quantity": 50},
        {"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 12, "date_start": dt.date(2026, 6, 1)},
        {"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 11, "currency_id": cat.usd.id},
    ])
    assert price(env, cat.other, cat.a4, 10)["price_unit"] == D("17.00")
    assert price(env, cat.other, cat.a4, 50)["price_unit"] == D("16.00")
    assert price(env, cat.other, cat.a4, 10, date=dt.date(2026, 6, 1))["price_unit"] == D("12.00")
    assert price(env, cat.other, cat.a4, 10, currency=cat.usd)["price_unit"] == D("11.00")
    assert price(env, cat.other, cat.a4, 10)["source"] == "special"
    assert price(env, cat.other, cat.toner)["source"] == "list_price"  # no item for the toner


def test_a_special_price_below_its_minimum_quantity_leaves_the_pricelist_price(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    cat.other.write({"pricelist_id": pricelist.id})
    env["pricelist.special_price"].create({"partner_id": cat.other.id, "product_id": cat.a4.id, "price": 15,
                                           "min_quantity": 100})
    assert price(env, cat.other, cat.a4, 99)["price_unit"] == D("20.00")
    assert price(env, cat.other, cat.a4, 100)["price_unit"] == D("15.00")


def test_many_lines_many_customers_in_one_call(env, cat):
    pricelist = make_pricelist(env, items=[{"applied_on": "all", "compute_price": "discount", "percent": 10}])
    cat.hq.write({"pricelist_id": pricelist.id})
    results = env["pricelist.pricing"].compute_many([
        {"partner_id": cat.branch.id, "product_id": cat.a4.id, "quantity": 1},
        {"partner_id": cat.other.id, "product_id": cat.a4.id, "quantity": 1},
        {"partner_id": cat.contact.id, "product_id": cat.toner.id, "quantity": 2},
    ], date=DAY)
    assert [r["price_unit"] for r in results] == [D("22.41"), D("24.90"), D("314.10")]


def test_pricelist_prices_without_a_customer(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20},
                                           {"product_id": cat.a4.id, "fixed_price": 18, "min_quantity": 10}])
    prices = env["pricelist.pricing"].pricelist_prices(pricelist, [cat.a4.id, cat.toner.id], quantity=10, date=DAY)
    assert prices[cat.a4.id][0] == D("18") and prices[cat.toner.id] is None
