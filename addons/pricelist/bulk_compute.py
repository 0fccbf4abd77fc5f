"""What a bulk update of a price list would write: the rows of its preview.

``preview_rows(update)`` is computed again when the update is applied: Apply writes the
preview only if the present still gives the same rows (nobody changed a price since).
"""
from decimal import Decimal

from core.i18n import _

from .money import HUNDRED, apply_percent, round_money, round_step
from .policy_data import PolicyData

COMPARED = ("action", "item_id", "product_id", "family_id", "applied_on", "min_quantity", "field",
            "old_value", "new_value")


def preview_rows(update):
    """The rows (dicts) the preview of ``update`` shows, in a stable order."""
    if update.operation == "add":
        return _add_rows(update)
    if update.operation == "change":
        return _change_rows(update, _scope_items(update))
    items = update.env["pricelist.item"].search([("pricelist_id", "=", update.pricelist_id.id)])
    return _change_rows(update, items, copy=True)


def comparable(rows):
    """Rows without their notes (a note is in the language of whoever looked)."""
    return [{name: row[name] for name in COMPARED} for row in rows]


def _row(action, **values):
    row = {"action": action, "item_id": None, "product_id": None, "family_id": None, "applied_on": "product",
           "min_quantity": Decimal("0.000"), "field": "fixed_price", "old_value": None, "new_value": None,
           "note": None}
    row.update(values)
    return row


def _add_rows(update):
    env, pricelist = update.env, update.pricelist_id
    products = env["product.product"].search(update.product_scope_domain())
    min_quantity = (update.min_quantity or Decimal(0)).quantize(Decimal("0.001"))
    bases = _base_prices(update, products, max(min_quantity, Decimal(1)))
    existing = env["pricelist.item"].search([
        ("pricelist_id", "=", pricelist.id), ("applied_on", "=", "product"), ("product_id", "in", products.ids),
        ("min_quantity", "=", min_quantity), ("date_start", "=", False), ("date_end", "=", False)])
    by_product = {}
    for item in existing:
        by_product.setdefault(item.product_id.id, item)
    rows = []
    for product in products:
        base = bases.get(product.id)
        common = {"product_id": product.id, "min_quantity": min_quantity}
        if base is None:
            rows.append(_row("skip", **common, note=_("no supplier price to start from")))
            continue
        new = _new_price(update, base)
        item = by_product.get(product.id)
        if item is None:
            rows.append(_row("create", **common, new_value=new))
        elif item.compute_price != "fixed":
            rows.append(_row("skip", item_id=item.id, **common, note=_("the product has a percentage item")))
        elif item.fixed_price != new:
            rows.append(_row("update", item_id=item.id, **common, old_value=item.fixed_price, new_value=new))
    return rows


def _new_price(update, amount):
    price = apply_percent(amount, update.percent or Decimal(0))
    digits = update.pricelist_id.currency_id.digits or 0
    return round_money(round_step(price, update.rounding, update.rounding_ending), digits)


def _base_prices(update, products, quantity):
    """``{product id: amount or None}`` the added prices start from."""
    if update.formula_base in ("list_price", "cost"):
        return {product.id: product[update.formula_base] or Decimal(0) for product in products}
    pricelist = update.pricelist_id
    if update.formula_base == "supplier":
        data = PolicyData(update.env, update.date, pricelist.currency_id.id)
        data.load_supplier_prices(products.ids)
        result = {}
        for product in products:
            offer = data.supplier_price(product.id, quantity, set(pricelist.supplier_ids.ids))
            result[product.id] = offer.price if offer else None
        return result
    current = update.env["pricelist.pricing"].pricelist_prices(pricelist, products.ids, quantity=quantity,
                                                               date=update.date)
    return {product.id: current[product.id][0] if current.get(product.id) else product.list_price or Decimal(0)
            for product in products}


def _scope_items(update):
    """The items of the price list that are about the update's products."""
    env = update.env
    domain = [("pricelist_id", "=", update.pricelist_id.id)]
    if update.scope == "family":
        families = env["product.family"].search([("id", "child_of", update.family_id.id)]).ids
        domain += ["|", "&", ("applied_on", "=", "product"), ("product_id.family_id", "in", families),
                   "&", ("applied_on", "=", "family"), ("family_id", "in", families)]
    elif update.scope == "domain":
        products = env["product.product"].search(update.product_scope_domain())
        domain += [("applied_on", "=", "product"), ("product_id", "in", products.ids)]
    return env["pricelist.item"].search(domain)


def _change_rows(update, items, copy=False):
    """Fixed prices are raised (and rounded); a percentage item gets the percentage that moves
    its price before rounding by the same %; a copy lists every item, changed or not."""
    factor = (HUNDRED + (update.percent or Decimal(0))) / HUNDRED
    rows = []
    for item in items:
        common = {"item_id": item.id, "product_id": item.product_id.id or None,
                  "family_id": item.family_id.id or None, "applied_on": item.applied_on,
                  "min_quantity": item.min_quantity}
        if item.compute_price == "fixed":
            old = item.fixed_price
            new = _new_price(update, old) if update.percent or update.rounding else old
            field = "fixed_price"
        else:
            old, field = item.percent or Decimal(0), "percent"
            if item.compute_price == "discount":
                new = round_money(HUNDRED - (HUNDRED - old) * factor)
                valid = Decimal(0) <= new <= HUNDRED
            else:
                new = round_money((HUNDRED + old) * factor - HUNDRED)
                valid = new >= 0
            if not valid:
                rows.append(_row("skip", **common, field=field, old_value=old,
                                 note=_("the percentage would leave its range")))
                continue
        if copy:
            rows.append(_row("create", **common, field=field, old_value=old, new_value=new))
        elif new != old:
            rows.append(_row("update", **common, field=field, old_value=old, new_value=new))
    return rows
