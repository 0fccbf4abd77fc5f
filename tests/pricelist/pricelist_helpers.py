"""Helpers shared by the pricelist tests."""
import datetime as dt

DAY = dt.date(2026, 3, 1)


def make_pricelist(env, name="Wholesale", items=(), **values):
    """A price list with ``items`` (dicts of item values)."""
    return env["pricelist.pricelist"].create({"name": name, **values,
                                              "item_ids": [dict(item) for item in items]})


def price(env, partner, product, quantity=1, date=DAY, currency=None):
    """The one result of the price API for one line."""
    lines = [{"key": "x", "product_id": product.id, "quantity": quantity}]
    return env["pricelist.pricing"].compute(partner, lines, date=date, currency=currency)["x"]
