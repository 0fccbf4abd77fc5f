"""Bulk maintenance: preview first, then apply exactly the preview; bad input writes nothing."""
from decimal import Decimal as D

import pytest

from core.exceptions import UserError, ValidationError
from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist


def _prices(pricelist):
    return {(item.applied_on, item.product_id.name or item.family_id.name, item.min_quantity):
            (item.fixed_price if item.compute_price == "fixed" else item.percent) for item in pricelist.item_ids}


def _lines(update):
    return [(line.action, line.product_id.name or line.family_id.name, line.field, line.old_value, line.new_value)
            for line in update.line_ids]


@pytest.fixture
def wholesale(env, cat):
    return make_pricelist(env, items=[
        {"product_id": cat.a4.id, "fixed_price": D("20.00")},
        {"product_id": cat.a4.id, "fixed_price": D("18.00"), "min_quantity": 50},
        {"product_id": cat.premium_a4.id, "fixed_price": D("35.00")},
        {"product_id": cat.toner.id, "fixed_price": D("300.00")},
        {"applied_on": "family", "family_id": cat.paper.id, "compute_price": "discount", "percent": 10},
        {"applied_on": "family", "family_id": cat.services.id, "compute_price": "markup", "percent": 20},
    ])


def test_raise_a_family_preview_then_apply(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "scope": "family",
                                             "family_id": cat.paper.id, "percent": D("5"), "rounding": D("0.10")})
    assert update.name.startswith("PLU/") and update.state == "draft"
    before = _prices(wholesale)
    update.action_preview()
    assert update.state == "preview"
    assert sorted(_lines(update)) == [
        ("update", "A4", "fixed_price", D("18.00"), D("18.90")),
        ("update", "A4", "fixed_price", D("20.00"), D("21.00")),
        ("update", "Paper", "percent", D("10.00"), D("5.50")),  # 90% * 1.05 = 94.5%: a 5.5% discount
        ("update", "Premium A4", "fixed_price", D("35.00"), D("36.80")),  # 36.75 -> 36.80
    ]
    assert _prices(wholesale) == before  # a preview writes no price
    update.action_apply()
    assert update.state == "done" and update.done_uid.id == env.uid and update.done_date
    after = _prices(wholesale)
    assert after[("product", "A4", D("0.000"))] == D("21.00")
    assert after[("product", "A4", D("50.000"))] == D("18.90")
    assert after[("product", "Premium A4", D("0.000"))] == D("36.80")
    assert after[("family", "Paper", D("0.000"))] == D("5.50")
    assert after[("product", "Toner", D("0.000"))] == D("300.00")  # Office is not under Paper: untouched
    assert after[("family", "Services", D("0.000"))] == D("20.00")


def test_lower_the_whole_list_with_rounding_to_90(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "scope": "all",
                                             "percent": D("-10"), "rounding": 1, "rounding_ending": D("0.90")})
    update.action_preview()
    update.action_apply()
    after = _prices(wholesale)
    assert after[("product", "A4", D("0.000"))] == D("17.90")  # 18.00 -> 17.90
    assert after[("product", "Toner", D("0.000"))] == D("269.90")  # 270.00 -> 269.90
    assert after[("family", "Services", D("0.000"))] == D("8.00")  # 120% * 0.9 = 108%
    assert after[("family", "Paper", D("0.000"))] == D("19.00")  # 90% * 0.9 = 81%


def test_add_a_family_with_a_formula(env, cat, wholesale):
    extra = env["product.product"].create({"name": "Envelopes", "family_id": cat.premium.id, "list_price": 12,
                                           "cost": D("4.40")})
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "add", "scope": "family",
                                             "family_id": cat.paper.id, "formula_base": "cost", "percent": 50})
    update.action_preview()
    assert sorted(_lines(update)) == [
        ("create", "Envelopes", "fixed_price", None, D("6.60")),
        ("update", "A4", "fixed_price", D("20.00"), D("22.50")),
        ("update", "Premium A4", "fixed_price", D("35.00"), D("33.00")),
    ]
    update.action_apply()
    assert _prices(wholesale)[("product", "Envelopes", D("0.000"))] == D("6.60")
    assert _prices(wholesale)[("product", "A4", D("50.000"))] == D("18.00")  # another quantity break: untouched
    assert len(wholesale.item_ids) == 7


def test_add_products_by_filter(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "add", "scope": "domain",
                                             "product_domain": '[["default_code", "in", ["T-INS", "T-TON"]]]',
                                             "min_quantity": 10, "percent": -5})
    update.action_preview()
    assert sorted(_lines(update)) == [("create", "Installation", "fixed_price", None, D("237.50")),
                                      ("create", "Toner", "fixed_price", None, D("331.55"))]
    update.action_apply()
    assert _prices(wholesale)[("product", "Toner", D("10.000"))] == D("331.55")


def test_copy_a_pricelist_with_a_raise(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "copy", "percent": 10,
                                             "new_name": "Wholesale 2027"})
    update.action_preview()
    assert len(update.line_ids) == 6
    update.action_apply()
    copy = update.result_pricelist_id
    assert copy.name == "Wholesale 2027" and copy != wholesale
    assert _prices(copy)[("product", "A4", D("0.000"))] == D("22.00")
    assert _prices(copy)[("family", "Services", D("0.000"))] == D("32.00")  # 120% * 1.1 = 132%
    assert _prices(wholesale)[("product", "A4", D("0.000"))] == D("20.00")  # the original is unchanged


def test_apply_needs_a_preview_and_a_changed_parameter_drops_it(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "percent": 3})
    with pytest.raises(UserError, match="before applying it"):
        update.action_apply()
    update.action_preview()
    update.write({"percent": 4})
    assert update.state == "draft" and not update.line_ids
    with pytest.raises(UserError, match="before applying it"):
        update.action_apply()


def test_apply_refuses_when_a_price_changed_since_the_preview(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "percent": 3})
    update.action_preview()
    toner = wholesale.item_ids.filtered(lambda item: item.product_id == cat.toner)
    toner.write({"fixed_price": 310})
    before = _prices(wholesale)
    with pytest.raises(UserError, match="changed since the preview"):
        update.action_apply()
    assert _prices(wholesale) == before and update.state == "preview"


def test_an_applied_update_cannot_change(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "percent": 3})
    update.action_preview()
    update.action_apply()
    for action in (lambda: update.write({"percent": 5}), update.action_preview, update.action_apply,
                   update.action_draft):
        with pytest.raises(UserError):
            action()


@pytest.mark.parametrize("values, message", [
    ({"percent": -100}, "A price decrease must be less than 100%"),
    ({"scope": "family"}, "Choose the product family"),
    ({"rounding": 1, "rounding_ending": 1}, "The rounding ending must be smaller than the rounding step"),
    ({"min_quantity": -1}, "A minimum quantity cannot be negative"),
])
def test_bad_parameters_are_refused(env, cat, wholesale, values, message):
    with pytest.raises(ValidationError, match=message):
        env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", **values})


@pytest.mark.parametrize("domain, message", [
    ("name contains paper", "must be a list of conditions"),
    ('[["colour", "=", "red"]]', "The product filter is not valid"),
    ("[]", "must be a list of conditions"),
])
def test_a_bad_product_filter_is_refused_and_nothing_is_written(env, cat, wholesale, domain, message):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "add", "scope": "domain",
                                             "product_domain": domain})
    before = _prices(wholesale)
    with pytest.raises(ValidationError, match=message):
        update.action_preview()
    assert not update.line_ids and update.state == "draft" and _prices(wholesale) == before


def test_an_empty_scope_says_so(env, cat, wholesale):
    empty = env["product.family"].create({"name": "Empty"})
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "scope": "family",
                                             "family_id": empty.id, "percent": 5})
    with pytest.raises(UserError, match="Nothing to change"):
        update.action_preview()


def test_a_percentage_leaving_its_range_is_skipped_and_shown(env, cat, wholesale):
    update = env["pricelist.update"].create({"pricelist_id": wholesale.id, "operation": "change", "scope": "family",
                                             "family_id": cat.services.id, "percent": -90})
    update.action_preview()
    assert [(line.action, line.note) for line in update.line_ids] == \
        [("skip", "the percentage would leave its range")]
    update.action_apply()
    assert _prices(wholesale)[("family", "Services", D("0.000"))] == D("20.00")


def test_the_pricelist_button_opens_a_new_update(env, wholesale):
    result = wholesale.action_new_update()
    update = env["pricelist.update"].search([("pricelist_id", "=", wholesale.id)])
    assert result == {"url": f"/web/m/pricelist.update/{update.id}"} and update.state == "draft"
