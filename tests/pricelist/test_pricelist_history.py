"""Price history: who changed which price when, from what to what, however it was changed."""
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist


def _history(env, **domain):
    rows = env["pricelist.history"].search([(k, "=", v) for k, v in domain.items()], order="id")
    return [(row.change, row.field, row.old_value, row.new_value) for row in rows]


def test_item_prices_created_changed_and_deleted(env, cat):
    manager = env["res.users"].create({"login": "pm", "name": "Price Manager",
                                       "group_ids": [env.ref("pricelist.group_pricelist_manager").id]})
    pricelist = make_pricelist(env.with_user(manager), items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    item = pricelist.item_ids
    item.with_user(manager).write({"fixed_price": D("21.50")})
    item.write({"fixed_price": D("21.50")})  # the same price: not a change
    item.write({"min_quantity": 5})  # not a price
    item.write({"compute_price": "discount", "percent": 7, "fixed_price": None})
    assert _history(env, item_id=item.id) == [
        ("create", "fixed_price", None, D("20.00")),
        ("write", "fixed_price", D("20.00"), D("21.50")),
        ("write", "fixed_price", D("21.50"), None), ("write", "percent", D("0.00"), D("7.00")),
    ]
    rows = env["pricelist.history"].search([("item_id", "=", item.id)], order="id")
    assert rows[1].user_id == manager and rows[1].date and rows[1].pricelist_id == pricelist
    assert rows[1].product_id == cat.a4
    item_id = item.id
    pricelist.unlink()  # its items go too, and say so
    deleted = env["pricelist.history"].search([("change", "=", "unlink")], order="id")
    assert [(row.field, row.old_value, row.item_id.id) for row in deleted] == \
        [("percent", D("7.00"), None)]  # the item is gone: the link is emptied
    assert deleted[0].product_id == cat.a4 and item_id


def test_special_prices_are_in_the_history(env, cat):
    special = env["pricelist.special_price"].create({"partner_id": cat.branch.id, "product_id": cat.a4.id,
                                                     "price": 19})
    special.write({"price": D("18.40")})
    assert _history(env, special_price_id=special.id) == [("create", "price", None, D("19.00")),
                                                          ("write", "price", D("19.00"), D("18.40"))]
    row = env["pricelist.history"].search([("special_price_id", "=", special.id)], limit=1)
    assert (row.partner_id, row.product_id) == (cat.branch, cat.a4)


def test_a_bulk_update_records_each_change_with_its_reference(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20},
                                           {"product_id": cat.toner.id, "fixed_price": 300}])
    update = env["pricelist.update"].create({"pricelist_id": pricelist.id, "operation": "change", "percent": 10})
    update.action_preview()
    assert not env["pricelist.history"].search([("change", "=", "bulk")])  # a preview changes nothing
    update.action_apply()
    rows = env["pricelist.history"].search([("change", "=", "bulk")], order="id")
    assert [(row.product_id.name, row.old_value, row.new_value, row.reference, row.user_id.id) for row in rows] == [
        ("A4", D("20.00"), D("22.00"), update.name, env.uid), ("Toner", D("300.00"), D("330.00"), update.name, env.uid)]


def test_a_copy_records_its_new_prices(env, cat):
    pricelist = make_pricelist(env, items=[{"product_id": cat.a4.id, "fixed_price": 20}])
    update = env["pricelist.update"].create({"pricelist_id": pricelist.id, "operation": "copy"})
    update.action_preview()
    update.action_apply()
    rows = env["pricelist.history"].search([("change", "=", "copy"), ("field", "=", "fixed_price")])
    assert [(row.pricelist_id, row.new_value, row.reference) for row in rows] == \
        [(update.result_pricelist_id, D("20.00"), update.name)]
    assert update.result_pricelist_id.name == "Wholesale (copy)"
