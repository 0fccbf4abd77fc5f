"""Head-office inheritance: a branch uses its head office's policy for what it does not define."""
from decimal import Decimal as D

from pricelist_fixtures import cat, env  # noqa: F401 (fixtures)
from pricelist_helpers import make_pricelist, price


def test_branch_with_its_own_special_price_and_the_head_office_pricelist_for_the_rest(env, cat):
    wholesale = make_pricelist(env, items=[
        {"product_id": cat.a4.id, "fixed_price": 21},
        {"applied_on": "family", "family_id": cat.office.id, "compute_price": "discount", "percent": 10},
    ])
    cat.hq.write({"pricelist_id": wholesale.id})
    own = env["pricelist.special_price"].create({"partner_id": cat.branch.id, "product_id": cat.a4.id,
                                                 "price": D("18.50")})

    a4 = price(env, cat.branch, cat.a4)
    assert (a4["price_unit"], a4["source"], a4["price_partner_id"], a4["special_price_id"]) == \
        (D("18.50"), "special", cat.branch.id, own.id)
    assert a4["explanation"] == "Special price 18.50 of Shefa Haifa"

    toner = price(env, cat.branch, cat.toner)
    assert (toner["price_unit"], toner["source"], toner["pricelist_id"], toner["price_partner_id"]) == \
        (D("314.10"), "pricelist", wholesale.id, cat.hq.id)
    assert toner["explanation"] == ("Price list Wholesale of head office Shefa HQ, item for family Office: "
                                    "the sales price 349.00 less 10%")
    # the head office itself gets its list's price for the A4: the special price is the branch's
    assert price(env, cat.hq, cat.a4)["price_unit"] == D("21.00")


def test_the_branch_own_pricelist_replaces_the_head_office_one(env, cat):
    hq_list = make_pricelist(env, "HQ list", items=[{"applied_on": "all", "compute_price": "discount", "percent": 10}])
    branch_list = make_pricelist(env, "Branch list", items=[{"product_id": cat.a4.id, "fixed_price": 23}])
    cat.hq.write({"pricelist_id": hq_list.id})
    cat.branch.write({"pricelist_id": branch_list.id})
    assert price(env, cat.branch, cat.a4)["price_unit"] == D("23.00")
    toner = price(env, cat.branch, cat.toner)  # the branch's list has no item: the sales price, not the HQ's list
    assert (toner["price_unit"], toner["source"]) == (D("349.00"), "list_price")
    assert "Price list Branch list of Shefa Haifa has no item" in toner["explanation"]


def test_head_office_special_prices_apply_to_branches(env, cat):
    env["pricelist.special_price"].create({"partner_id": cat.hq.id, "product_id": cat.toner.id, "price": 300})
    result = price(env, cat.branch, cat.toner)
    assert (result["price_unit"], result["price_partner_id"]) == (D("300.00"), cat.hq.id)
    assert result["explanation"] == "Special price 300.00 of head office Shefa HQ"


def test_the_nearest_special_price_wins_even_with_a_smaller_quantity_break(env, cat):
    env["pricelist.special_price"].create([
        {"partner_id": cat.hq.id, "product_id": cat.a4.id, "price": 15, "min_quantity": 100},
        {"partner_id": cat.branch.id, "product_id": cat.a4.id, "price": 19},
    ])
    assert price(env, cat.branch, cat.a4, 500)["price_unit"] == D("19.00")


def test_a_branch_special_price_out_of_quantity_falls_back_to_the_head_office(env, cat):
    env["pricelist.special_price"].create([
        {"partner_id": cat.hq.id, "product_id": cat.a4.id, "price": 20},
        {"partner_id": cat.branch.id, "product_id": cat.a4.id, "price": 16, "min_quantity": 100},
    ])
    assert price(env, cat.branch, cat.a4, 10)["price_partner_id"] == cat.hq.id
    assert price(env, cat.branch, cat.a4, 100)["price_partner_id"] == cat.branch.id


def test_discounts_are_inherited_part_by_part(env, cat):
    cat.hq.write({"general_discount": 5, "family_discount_ids": [{"family_id": cat.paper.id, "discount": 12}]})
    assert price(env, cat.branch, cat.a4)["discount"] == D("12.00")  # the HQ's family discount
    assert price(env, cat.branch, cat.toner)["discount"] == D("5.00")  # the HQ's general discount
    cat.branch.write({"general_discount": 0})  # the branch defines its own: no general discount
    assert price(env, cat.branch, cat.toner)["discount"] == D("0.00")
    assert price(env, cat.branch, cat.a4)["discount"] == D("12.00")  # the family discount is still the HQ's
    cat.branch.write({"family_discount_ids": [{"family_id": cat.office.id, "discount": 3}]})
    # the branch now has a family discount covering paper (through Office): it wins over the HQ's Paper one
    a4 = price(env, cat.branch, cat.a4)
    assert (a4["discount"], a4["discount_partner_id"], a4["discount_family_id"]) == \
        (D("3.00"), cat.branch.id, cat.office.id)


def test_a_contact_person_gets_the_policy_of_its_company(env, cat):
    cat.hq.write({"general_discount": 7})
    result = price(env, cat.contact, cat.toner)
    assert (result["discount"], result["discount_partner_id"]) == (D("7.00"), cat.hq.id)
    assert result["explanation"].endswith("general discount of head office Shefa HQ: 7%")


def test_head_offices_chain(env, cat):
    group = env["res.partner"].create({"name": "Shefa Group", "is_company": True, "customer": True,
                                       "general_discount": 4})
    cat.hq.write({"head_office_id": group.id})
    result = price(env, cat.branch, cat.toner)
    assert (result["discount"], result["discount_partner_id"]) == (D("4.00"), group.id)


def test_the_partner_form_shows_the_policy_in_force(env, cat):
    wholesale = make_pricelist(env)
    cat.hq.write({"pricelist_id": wholesale.id, "general_discount": 6})
    assert (cat.branch.effective_pricelist_id, cat.branch.effective_general_discount) == (wholesale, D("6.00"))
    assert cat.contact.effective_pricelist_id == wholesale
    assert not cat.other.effective_pricelist_id and cat.other.effective_general_discount is None
