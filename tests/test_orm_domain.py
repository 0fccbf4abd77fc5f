"""Domains: every operator, prefix logic, dotted paths, clear errors and limits."""
import datetime as dt
from decimal import Decimal

import pytest

from core.exceptions import DomainError, LimitError

ALL = {"alpha", "beta", "gamma", "Delta", "epsilon"}


@pytest.fixture
def registry(make_registry):
    return make_registry(["test_fields", "test_orders"])


@pytest.fixture
def data(env):
    """Five records with counts, codes, amounts, tags and lines; a small partner tree with orders."""
    red, blue = env["test.tag"].create([{"name": "red"}, {"name": "blue"}])
    gold = env["test.kind"].create({"name": "Gold"})
    env["test.record"].create([
        {"name": "alpha", "count": 1, "code": "AB-1", "amount": "10.00", "day": "2024-01-15",
         "tag_ids": [red.id], "kind_id": gold.id, "line_ids": [{"name": "l1", "quantity": 9}]},
        {"name": "beta", "count": 2, "code": "ab_2", "amount": "20.50", "tag_ids": [red.id, blue.id],
         "line_ids": [{"name": "l2", "quantity": 1}]},
        {"name": "gamma", "count": 3, "amount": "0", "state": "done"},
        {"name": "Delta", "count": 4, "code": "X%Y", "tag_ids": [blue.id], "state": "done"},
        {"name": "epsilon", "count": None},
    ])
    partners = env["res.partner"]
    acme = partners.create({"name": "Acme", "is_company": True})
    alice, bob = partners.create([{"name": "Alice", "parent_id": acme.id}, {"name": "Bob", "parent_id": acme.id}])
    carl = partners.create({"name": "Carl", "parent_id": bob.id})
    globex = partners.create({"name": "Globex", "is_company": True})
    env["test.order"].create([
        {"name": f"SO-{partner.name}", "partner_id": partner.id, "date": "2024-05-01",
         "line_ids": [{"product": "Widget" if partner.name in ("Alice", "Globex") else "Gadget"}]}
        for partner in (acme, alice, bob, carl, globex)
    ])
    return {"acme": acme, "alice": alice, "bob": bob, "carl": carl, "globex": globex, "red": red, "blue": blue}


def names(env, model, domain):
    return set(env[model].search(domain).mapped("name"))


def test_comparison_and_text_operators(env, data):
    others = ALL - {"beta"}
    cases = [
        (("count", "=", 2), {"beta"}),
        (("count", "!=", 2), others),  # an empty count is different from 2
        (("count", "<", 3), {"alpha", "beta"}),
        (("count", "<=", 3), {"alpha", "beta", "gamma"}),
        (("count", ">", 3), {"Delta"}),
        (("count", ">=", 3), {"gamma", "Delta"}),
        (("count", "in", [1, 4]), {"alpha", "Delta"}),
        (("count", "not in", [1, 4]), {"beta", "gamma", "epsilon"}),
        (("count", "in", []), set()),
        (("count", "=", False), {"epsilon"}),
        (("count", "!=", False), ALL - {"epsilon"}),
        (("name", "like", "lta"), {"Delta"}),
        (("name", "like", "delta"), set()),  # like is case-sensitive
        (("name", "ilike", "DELTA"), {"Delta"}),
        (("name", "not like", "a"), {"epsilon"}),
        (("name", "not ilike", "ALPHA"), ALL - {"alpha"}),
        (("name", "=like", "_eta"), {"beta"}),
        (("name", "=like", "%a"), {"alpha", "beta", "gamma", "Delta"}),
        (("name", "=ilike", "d%"), {"Delta"}),
        (("code", "like", "%"), {"Delta"}),  # wildcards in the value are literal
        (("code", "like", "_"), {"beta"}),
        (("code", "=like", "ab\\_%"), {"beta"}),  # a backslash escapes a wildcard
        (("code", "not like", "AB"), {"beta", "gamma", "Delta", "epsilon"}),
        (("amount", ">", Decimal("10")), {"beta"}),
        (("amount", "=", 20.5), {"beta"}),
        (("state", "in", ["done"]), {"gamma", "Delta"}),
        (("day", "=", "2024-01-15"), {"alpha"}),
        (("day", "<", dt.date(2025, 1, 1)), {"alpha"}),
    ]
    for term, expected in cases:
        assert names(env, "test.record", [term]) == expected, term


def test_prefix_operators_and_implicit_and(env, data):
    cases = [
        (["|", ("count", "=", 1), ("count", "=", 4)], {"alpha", "Delta"}),
        (["&", ("count", ">", 1), ("count", "<", 4)], {"beta", "gamma"}),
        ([("count", ">", 1), ("count", "<", 4)], {"beta", "gamma"}),
        (["!", ("count", "=", 1)], ALL - {"alpha"}),
        (["!", "|", ("count", "=", 1), ("code", "like", "X")], ALL - {"alpha", "Delta"}),
        (["|", "&", ("count", ">", 1), ("state", "=", "done"), ("name", "=", "alpha")], {"alpha", "gamma", "Delta"}),
        ([], ALL),
    ]
    for domain, expected in cases:
        assert names(env, "test.record", domain) == expected, domain


def test_a_domain_and_its_negation_split_the_records(env, data):
    for domain in ([("count", "=", 1)], [("code", "like", "AB")], [("count", ">", 2), ("code", "!=", False)],
                   [("tag_ids.name", "=", "red")], [("kind_id.name", "=", "Gold")]):
        matched, unmatched = names(env, "test.record", domain), names(env, "test.record", ["!"] + _one(domain))
        assert matched | unmatched == ALL and not matched & unmatched, domain


def _one(domain):
    return ["&"] * (len(domain) - 1) + domain


def test_dotted_paths_through_relations(env, data):
    red, blue = data["red"], data["blue"]
    cases = [
        ("test.record", [("kind_id.name", "=", "Gold")], {"alpha"}),
        ("test.record", [("kind_id", "ilike", "gol")], {"alpha"}),  # a many2one compared with a name
        ("test.record", [("line_ids.quantity", ">", 5)], {"alpha"}),
        ("test.record", [("line_ids", "=", False)], {"gamma", "Delta", "epsilon"}),
        ("test.record", [("tag_ids.name", "=", "red")], {"alpha", "beta"}),
        ("test.record", [("tag_ids", "in", [blue.id])], {"beta", "Delta"}),
        ("test.record", [("tag_ids", "not in", [red.id])], {"gamma", "Delta", "epsilon"}),
        ("test.record", [("tag_ids", "=", False)], {"gamma", "epsilon"}),
        ("test.record", [("tag_ids", "!=", False)], {"alpha", "beta", "Delta"}),
        ("test.record", [("tag_ids", "=", "blue")], {"beta", "Delta"}),
        ("test.order", [("partner_id.name", "=", "Alice")], {"SO-Alice"}),
        ("test.order", [("partner_id.parent_id.name", "=", "Acme")], {"SO-Alice", "SO-Bob"}),
        ("test.order", [("partner_id", "=", "Globex")], {"SO-Globex"}),
        ("test.order", [("line_ids.product", "=", "Widget")], {"SO-Alice", "SO-Globex"}),
        ("res.partner", [("child_ids.name", "=", "Carl")], {"Bob"}),
        ("res.partner", [("child_ids.child_ids.name", "=", "Carl")], {"Acme"}),
    ]
    for model, domain, expected in cases:
        assert names(env, model, domain) == expected, domain


def test_child_of_and_parent_of(env, data):
    acme, bob, carl = data["acme"], data["bob"], data["carl"]
    assert names(env, "res.partner", [("id", "child_of", acme.id)]) == {"Acme", "Alice", "Bob", "Carl"}
    assert names(env, "res.partner", [("id", "child_of", [bob.id, data["globex"].id])]) == {"Bob", "Carl", "Globex"}
    assert names(env, "res.partner", [("id", "parent_of", carl.id)]) == {"Carl", "Bob", "Acme"}
    assert names(env, "res.partner", [("parent_id", "child_of", bob.id)]) == {"Carl"}
    # through a many2one: the hierarchy is the one of the target model
    assert names(env, "test.order", [("partner_id", "child_of", acme.id)]) == {"SO-Acme", "SO-Alice", "SO-Bob",
                                                                                "SO-Carl"}
    assert names(env, "test.order", [("partner_id", "parent_of", carl.id)]) == {"SO-Carl", "SO-Bob", "SO-Acme"}
    with pytest.raises(DomainError, match="parent"):
        env["test.record"].search([("id", "child_of", 1)])


def test_bad_domains_are_refused_naming_the_problem(env):
    cases = [
        ([("colour", "=", "red")], "'colour'"),
        ([("partner_id.nope", "=", 1)], "'nope'"),
        ([("name", "~", "x")], "'~'"),
        ([("name", "=", "x"), "|"], "'|'"),
        ([("name.size", "=", 1)], "not relational"),
        ([("date", "=", "someday")], "date"),
        ([("name", "like", 5)], "text value"),
        ("name = x", "Malformed"),
    ]
    for domain, named in cases:
        with pytest.raises(DomainError) as info:
            env["test.order"].search(domain)
        assert named in str(info.value), domain


def test_search_order_limit_offset_and_count(env, data):
    orders = env["test.order"]
    by_customer = orders.search([], order="partner_id")  # sorted by the customer's name
    assert by_customer.mapped("name") == ["SO-Acme", "SO-Alice", "SO-Bob", "SO-Carl", "SO-Globex"]
    assert orders.search([], order="partner_id desc").mapped("name")[0] == "SO-Globex"
    assert orders.search([], order="name desc", limit=2, offset=1).mapped("name") == ["SO-Carl", "SO-Bob"]
    assert orders.search([], order="name", offset=4).mapped("name") == ["SO-Globex"]
    records = env["test.record"]
    assert records.search([("count", "!=", False)], order="count desc, name").mapped("count") == [4, 3, 2, 1]
    assert records.search_count([]) == 5 and records.search_count([("tag_ids.name", "=", "red")]) == 2
    for bad in ("colour", "name sideways", "line_ids"):
        with pytest.raises(DomainError):
            orders.search([], order=bad)


def test_name_search(env, data):
    partners = env["res.partner"]
    found = partners.name_search("a", domain=[("is_company", "=", True)])
    assert {name for _id, name in found} == {"Acme"}
    assert partners.name_search("ACM") == [(data["acme"].id, "Acme")]
    assert len(partners.name_search("", domain=[("id", "child_of", data["acme"].id)], limit=2)) == 2


def test_archived_records_are_hidden_unless_asked_for(env, data):
    partners = env["res.partner"]
    data["bob"].write({"active": False})
    assert "Bob" not in partners.search([("id", "child_of", data["acme"].id)]).mapped("name")
    assert partners.search_count([("name", "=", "Bob")]) == 0
    assert partners.search([("active", "=", False)]) == data["bob"]
    everyone = partners.with_context(active_test=False).search([("id", "child_of", data["acme"].id)])
    assert set(everyone.mapped("name")) == {"Acme", "Alice", "Bob", "Carl"}
    assert data["bob"].name == "Bob"  # browsing an archived record still works
    assert partners.name_search("Bob") == []


@pytest.fixture
def limited_registry(make_registry, config, tmp_path):
    from db_backends import TEST_ADDONS
    from core.config import load_config
    path = tmp_path / "limits.toml"
    path.write_text("[limits]\nin_list = 5\ndomain_depth = 4\n")
    limited = load_config(path=path, environ={}).with_overrides(db_url=config.db_url, addons_paths=[str(TEST_ADDONS)])
    return make_registry(["test_orders"], cfg=limited)


def test_limits_guard_requests_not_the_orm_own_work(limited_registry):
    with limited_registry.env() as env:
        partner = env["res.partner"].create({"name": "Buyer"})
        lines = [{"product": f"P{n}", "price_unit": 1} for n in range(6)]  # more lines than in_list
        env["test.order"].create([{"name": f"SO{n}", "partner_id": partner.id, "line_ids": lines} for n in range(6)])
        admin_id = env.ref("base.user_admin").id
    with limited_registry.env(user=admin_id) as env:  # a user's request, not the superuser
        partners = env["res.partner"]
        assert partners.search([("id", "in", [1, 2, 3, 4, 5])]) is not None
        with pytest.raises(LimitError, match="6 values; the limit is 5"):
            partners.search([("id", "in", [1, 2, 3, 4, 5, 6])])
        with pytest.raises(LimitError):
            env["test.order"].search([("line_ids", "in", list(range(1, 7)))])
        with pytest.raises(LimitError, match="deeper"):
            partners.search(["!", "!", "!", "!", ("name", "=", "x")])
        with pytest.raises(LimitError, match="deeper"):
            partners.search([("parent_id.parent_id.parent_id.parent_id.name", "=", "x")])
    with limited_registry.env(user=admin_id) as env:
        orders = env["test.order"].search([])
        assert len(orders.mapped("line_ids")) == 36 and set(orders.mapped("amount_total")) == {Decimal("6.00")}
        orders.mapped("line_ids").write({"price_unit": 2})
        assert set(orders.mapped("amount_total")) == {Decimal("12.00")}
