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


@pytest.mark.parametrize("domain, named", [
    ([("colour", "=", "red")], "'colour'"),
    ([("partner_id.nope", "=", 1)], "'nope'"),
    ([("name", "~", "x")], "'~'"),
    ([("name", "=", "x"), "|"], "'|'"),
    ([("name.size", "=", 1)], "not relational"),
    ([("date", "=", "someday")], "date"),
])
def test_bad_domains_are_refused_naming_the_problem(env, domain, named):
    with pytest.raises(DomainError) as info:
        env["test.order"].search(domain)
    assert named in str(info.value)


@pytest.fixture
def limited_registry(make_registry, config, tmp_path):
    from conftest import TEST_ADDONS
    from core.config import load_config
    path = tmp_path / "limits.toml"
    path.write_text("[limits]\nin_list = 5\ndomain_depth = 4\n")
    limited = load_config(path=path, environ={}).with_overrides(db_url=config.db_url, addons_paths=[str(TEST_ADDONS)])
    return make_registry(["test_orders"], cfg=limited)


def test_limits_on_in_lists_and_depth(limited_registry):
    with limited_registry.env() as env:
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
