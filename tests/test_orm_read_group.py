"""read_group: group by many2one and by periods of dates; exact money aggregates on every database."""
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from core.exceptions import DomainError

CENT = Decimal("0.01")


@pytest.fixture
def registry(make_registry):
    return make_registry(["test_fields"])


@pytest.fixture
def partners(env):
    return env["res.partner"].create([{"name": "Acme"}, {"name": "Globex"}, {"name": "Initech"}])


@pytest.fixture
def entries(env, partners):
    acme, globex, _initech = partners
    rows = [
        (acme, "2023-12-31", "10.10", 1), (acme, "2024-01-05", "20.20", 2), (acme, "2024-02-10", "0.01", 3),
        (globex, "2024-03-31", "99.99", 4), (globex, "2024-04-01", "0.50", 5), (None, "2024-11-30", "7.00", 6),
    ]
    return env["test.entry"].create([
        {"partner_id": partner.id if partner else None, "day": day, "amount": amount, "quantity": quantity}
        for partner, day, amount, quantity in rows])


def by_key(rows, key):
    return {(row[key]["name"] if isinstance(row[key], dict) else row[key]): row for row in rows}


def test_group_by_many2one_with_every_aggregate(env, partners, entries):
    rows = env["test.entry"].read_group([], ["partner_id"], ["__count", "amount:sum", "amount:avg", "amount:min",
                                                             "amount:max", "quantity:sum", "quantity:count"])
    groups = by_key(rows, "partner_id")
    assert set(groups) == {"Acme", "Globex", None}  # Initech has no entry
    acme = groups["Acme"]
    assert acme["partner_id"] == {"id": partners[0].id, "name": "Acme"}
    assert acme["__count"] == 3 and acme["quantity:count"] == 3 and acme["quantity:sum"] == 6
    assert acme["amount:sum"] == Decimal("30.31") and isinstance(acme["amount:sum"], Decimal)
    assert acme["amount:avg"] == Decimal("10.10")  # 30.31 / 3, exact then rounded to cents
    assert (acme["amount:min"], acme["amount:max"]) == (Decimal("0.01"), Decimal("20.20"))
    assert groups["Globex"]["amount:sum"] == Decimal("100.49")
    assert groups["Globex"]["amount:avg"] == Decimal("50.25")  # 50.245: money rounds half up
    assert groups[None]["amount:sum"] == Decimal("7.00")


PERIODS = {
    "year": {"2023": ("10.10", 1), "2024": ("127.70", 5)},
    "quarter": {"2023-Q4": ("10.10", 1), "2024-Q1": ("120.20", 3), "2024-Q2": ("0.50", 1), "2024-Q4": ("7.00", 1)},
    "month": {"2023-12": ("10.10", 1), "2024-01": ("20.20", 1), "2024-02": ("0.01", 1), "2024-03": ("99.99", 1),
              "2024-04": ("0.50", 1), "2024-11": ("7.00", 1)},
}


def test_group_by_period_of_a_date(env, entries):
    for period, expected in PERIODS.items():
        rows = env["test.entry"].read_group([], [f"day:{period}"], ["amount:sum", "__count"])
        assert [row[f"day:{period}"] for row in rows] == sorted(expected), period
        assert {row[f"day:{period}"]: (str(row["amount:sum"]), row["__count"]) for row in rows} == expected


def test_group_by_two_keys_with_a_domain_order_and_limit(env, entries):
    rows = env["test.entry"].read_group([("partner_id", "!=", False)], ["partner_id", "day:year"], ["amount:sum"],
                                        order="amount:sum desc", limit=2)
    assert [(row["partner_id"]["name"], row["day:year"], str(row["amount:sum"])) for row in rows] == [
        ("Globex", "2024", "100.49"), ("Acme", "2024", "20.21")]
    assert env["test.entry"].read_group([("day", ">", "2030-01-01")], ["partner_id"], ["amount:sum"]) == []


def test_bad_group_requests_name_the_problem(env, entries):
    entry = env["test.entry"]
    cases = [(["colour"], ["__count"], "colour"), (["name:month"], ["__count"], "name"),
             (["partner_id"], ["amount:median"], "median"), (["partner_id"], ["__count"], None)]
    for groupby, aggregates, named in cases:
        if named is None:
            with pytest.raises(DomainError, match="amount"):
                entry.read_group([], groupby, aggregates, order="amount")
            continue
        with pytest.raises(DomainError, match=named):
            entry.read_group([], groupby, aggregates)


def test_sum_of_100000_amounts_is_exact(env, partners):
    generator = random.Random(20240501)
    amounts = [Decimal(generator.randint(1, 99999)) * CENT for _ in range(100_000)]
    owners = [partners[n % 3] for n in range(100_000)]
    env["test.entry"].create([{"amount": amount, "partner_id": owner.id} for amount, owner in zip(amounts, owners)])
    total = sum(amounts, Decimal(0))
    (row,) = env["test.entry"].read_group([], [], ["amount:sum", "amount:avg", "__count"])
    assert row["__count"] == 100_000
    assert row["amount:sum"] == total and str(row["amount:sum"]) == str(total)
    assert row["amount:avg"] == (total / 100_000).quantize(CENT, rounding=ROUND_HALF_UP)
    expected = defaultdict(Decimal)
    for amount, owner in zip(amounts, owners):
        expected[owner.name] += amount
    rows = env["test.entry"].read_group([], ["partner_id"], ["amount:sum"])
    assert {row["partner_id"]["name"]: row["amount:sum"] for row in rows} == expected
