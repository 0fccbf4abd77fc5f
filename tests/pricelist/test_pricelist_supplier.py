"""Customer prices based on the supplier's price list (stock's supplier prices), marked up per family."""
import datetime as dt
from decimal import Decimal as D

import pytest

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist, price


@pytest.fixture
def suppliers(env, cat):
    partners = env["res.partner"]
    paperco = partners.create({"name": "PaperCo", "supplier": True, "is_company": True})
    cheap = partners.create({"name": "Cheap Paper", "supplier": True, "is_company": True})
    infos = env["stock.supplierinfo"]
    infos.create([
        {"partner_id": paperco.id, "product_id": cat.a4.id, "price": D("14.00"), "sequence": 1},
        {"partner_id": paperco.id, "product_id": cat.a4.id, "price": D("12.50"), "min_qty": 100, "sequence": 1},
        {"partner_id": cheap.id, "product_id": cat.a4.id, "price": D("11.00"), "sequence": 5},
        {"partner_id": paperco.id, "product_id": cat.premium_a4.id, "price": D("30.00"), "currency_id": cat.usd.id},
        {"partner_id": paperco.id, "product_id": cat.toner.id, "price": D("200.00"),
         "date_end": dt.date(2026, 2, 28)},
        {"partner_id": paperco.id, "product_id": cat.toner.id, "price": D("220.00"),
         "date_start": dt.date(2026, 3, 1)},
    ])
    return paperco, cheap


@pytest.fixture
def supplier_plus(env, cat, suppliers):
    pricelist = make_pricelist(env, "Supplier plus", base="supplier", items=[
        {"applied_on": "family", "family_id": cat.paper.id, "compute_price": "markup", "percent": 40,
         "rounding": 1, "rounding_ending": D("0.90")},
        {"applied_on": "family", "family_id": cat.office.id, "compute_price": "markup", "percent": 25},
        {"applied_on": "all", "fixed_price": 99},
    ])
    cat.hq.write({"pricelist_id": pricelist.id})
    return pricelist


def test_markup_per_family_on_the_preferred_supplier_price(env, cat, suppliers, supplier_plus):
    a4 = price(env, cat.branch, cat.a4, 10)
    assert a4["price_unit"] == D("19.90")  # PaperCo (priority 1) 14.00 * 1.40 = 19.60 -> 19.90
    assert a4["explanation"] == ("Price list Supplier plus of head office Shefa HQ, item for family Office / Paper: "
                                 "the price of supplier PaperCo 14.00 plus 40%, rounded to 19.90")
    assert price(env, cat.branch, cat.a4, 100)["price_unit"] == D("17.90")  # its break: 12.50 * 1.40 = 17.50
    toner = price(env, cat.branch, cat.toner)  # Office: 25%, on the offer valid on the date
    assert toner["price_unit"] == D("275.00")
    assert price(env, cat.branch, cat.toner, date=dt.date(2026, 2, 1))["price_unit"] == D("250.00")


def test_only_the_pricelist_suppliers(env, cat, suppliers, supplier_plus):
    paperco, cheap = suppliers
    supplier_plus.write({"supplier_ids": [cheap.id]})
    a4 = price(env, cat.branch, cat.a4, 10)
    assert a4["price_unit"] == D("15.90")  # 11.00 * 1.40 = 15.40 -> 15.90
    assert "the price of supplier Cheap Paper 11.00" in a4["explanation"]
    toner = price(env, cat.branch, cat.toner)  # Cheap Paper does not sell toner: the 'all' fixed item
    assert toner["price_unit"] == D("99.00")
    assert toner["explanation"].split(", ")[1] == "item for all products: fixed price 99.00"


def test_without_a_supplier_price_the_percentage_item_is_passed_over(env, cat, suppliers, supplier_plus):
    premium = price(env, cat.branch, cat.premium_a4)  # its only offer is in dollars
    assert premium["price_unit"] == D("99.00") and "item for all products" in premium["explanation"]
    supplier_plus.item_ids.filtered(lambda item: item.applied_on == "all").unlink()
    premium = price(env, cat.branch, cat.premium_a4)
    assert (premium["price_unit"], premium["source"]) == (D("40.00"), "list_price")
    assert "has no item for this product and quantity" in premium["explanation"]


def test_bulk_add_from_the_supplier_price(env, cat, suppliers, supplier_plus):
    fixed = make_pricelist(env, "Fixed from suppliers")
    update = env["pricelist.update"].create({"pricelist_id": fixed.id, "operation": "add", "scope": "family",
                                             "family_id": cat.office.id, "formula_base": "supplier", "percent": 30,
                                             "date": dt.date(2026, 3, 1)})
    update.action_preview()
    rows = sorted((line.action, line.product_id.name, line.new_value, line.note or "") for line in update.line_ids)
    assert rows == [("create", "A4", D("18.20"), ""), ("create", "Toner", D("286.00"), ""),
                    ("skip", "Premium A4", None, "no supplier price to start from")]
    update.action_apply()
    assert sorted((item.product_id.name, item.fixed_price) for item in fixed.item_ids) == \
        [("A4", D("18.20")), ("Toner", D("286.00"))]
