"""Concurrent transactions: gapless sequences, SQLite writers queueing, PostgreSQL retries.

Each unit of work runs through ``registry.run``, which re-runs it whole when the database
reports a serialization failure, a deadlock or a lock timeout, and gives up with a
ConcurrencyError past its retry bound. Row-lock tests are ``postgresql_only``.
"""
import collections
import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from core.exceptions import ConcurrencyError

WAIT = 20  # seconds a thread waits for its partner before the test fails instead of hanging


class Abandon(Exception):
    """Raised by a unit of work after drawing a number, so its transaction rolls back."""


def run_threads(count, target):
    """Run ``target(index)`` in ``count`` threads at once; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(target, index) for index in range(count)]
        return [future.result(timeout=60) for future in futures]


@pytest.fixture
def base_registry(make_registry):
    """A database with base only, and the quotation sequence of the tests."""
    registry = make_registry([])
    with registry.env() as env:
        env["ir.sequence"].create({"name": "Quotations", "code": "test.quotation",
                                   "prefix": "QT/%(year)s/", "padding": 5})
    return registry


def draw(registry, code="test.quotation", date=None, abandon=False):
    def work(env):
        number = env["ir.sequence"].next_by_code(code, date)
        if abandon:
            raise Abandon(number)
        return number
    return registry.run(work)


# -- sequences --------------------------------------------------------------------------

def test_sequence_numbers_are_gapless_under_concurrent_transactions(base_registry):
    date = dt.date(2025, 6, 1)
    threads, rounds = 4, 5
    committed, abandoned, lock = [], [], threading.Lock()
    start = threading.Barrier(threads)

    def worker(index):
        start.wait(WAIT)
        for turn in range(rounds):
            give_up = (index + turn) % 3 == 0

            def work(env):
                number = env["ir.sequence"].next_by_code("test.quotation", date)
                time.sleep(0.002)  # hold the counter row while the others queue behind it
                if give_up:
                    raise Abandon(number)
                return number
            try:
                number = base_registry.run(work)
            except Abandon as drawn:
                with lock:
                    abandoned.append(drawn.args[0])
                continue
            with lock:
                committed.append(number)

    run_threads(threads, worker)
    assert abandoned, "some transactions must have rolled back after drawing a number"
    assert len(committed) + len(abandoned) == threads * rounds
    assert sorted(committed) == [f"QT/2025/{n:05d}" for n in range(1, len(committed) + 1)]
    assert draw(base_registry, date=date) == f"QT/2025/{len(committed) + 1:05d}"


def test_a_rolled_back_number_is_given_back(base_registry):
    date = dt.date(2025, 2, 3)
    assert draw(base_registry, date=date) == "QT/2025/00001"
    with pytest.raises(Abandon, match="QT/2025/00002"):
        draw(base_registry, date=date, abandon=True)
    assert draw(base_registry, date=date) == "QT/2025/00002"


def test_the_prefix_carries_the_year_and_the_counter_restarts_each_year(base_registry):
    assert draw(base_registry, date=dt.date(2024, 12, 31)) == "QT/2024/00001"
    assert draw(base_registry, date=dt.date(2025, 1, 1)) == "QT/2025/00001"
    assert draw(base_registry, date="2025-03-01") == "QT/2025/00002"
    assert draw(base_registry, date=dt.date(2024, 12, 31)) == "QT/2024/00002"
    this_year = dt.date.today().year
    assert draw(base_registry) == f"QT/{this_year}/00001"
    with base_registry.env() as env:
        env["ir.sequence"].create({"name": "Invoices", "code": "test.all_years",
                                   "prefix": "IN/%(year)s/", "padding": 3, "per_year": False})
    assert draw(base_registry, "test.all_years", dt.date(2024, 5, 1)) == "IN/2024/001"
    assert draw(base_registry, "test.all_years", dt.date(2025, 5, 1)) == "IN/2025/002"


def test_a_batch_draws_its_numbers_at_once_in_order_and_per_year(base_registry):
    """``next_numbers``: one number per document, in the order of the documents, each in
    its year's series; the next single draw follows on; a rolled-back batch gives all back."""
    assert draw(base_registry, date=dt.date(2025, 1, 5)) == "QT/2025/00001"
    dates = [dt.date(2025, 2, 1), dt.date(2024, 12, 30), "2025-02-02", dt.date(2025, 3, 1), dt.date(2024, 12, 31)]

    def batch(env):
        sequence = env["ir.sequence"].search([("code", "=", "test.quotation")])
        return sequence.next_numbers(dates)
    assert base_registry.run(batch) == ["QT/2025/00002", "QT/2024/00001", "QT/2025/00003", "QT/2025/00004",
                                        "QT/2024/00002"]
    assert draw(base_registry, date=dt.date(2025, 4, 1)) == "QT/2025/00005"

    def abandoned(env):
        raise Abandon(batch(env))
    with pytest.raises(Abandon):
        base_registry.run(abandoned)
    assert base_registry.run(batch)[0] == "QT/2025/00006"


# -- two writers ------------------------------------------------------------------------

def test_two_writers_at_once_both_commit_without_retry(make_registry):
    """On SQLite the second writer waits for the lock (BEGIN IMMEDIATE + busy timeout).

    Each unit reads, pauses, then writes: with a deferred BEGIN both would read the same
    snapshot and the second writer would fail with "database is locked".
    """
    registry = make_registry([])
    start = threading.Barrier(2)
    attempts = collections.Counter()

    def worker(index):
        def work(env):
            attempts[index] += 1
            seen = env["res.partner"].search_count([("name", "like", "Writer")])
            time.sleep(0.2)
            env["res.partner"].create({"name": f"Writer {index}", "comment": f"saw {seen}"})
            return seen
        start.wait(WAIT)
        return registry.run(work)

    seen = run_threads(2, worker)
    if registry.dialect == "sqlite":
        assert sorted(seen) == [0, 1]  # the second writer started once the first had committed
    assert attempts == {0: 1, 1: 1}
    with registry.env() as env:
        assert sorted(env["res.partner"].search([("name", "like", "Writer")]).mapped("name")) == [
            "Writer 0", "Writer 1"]


# -- PostgreSQL: deadlocks and lock timeouts --------------------------------------------

@pytest.mark.postgresql_only
def test_a_deadlock_loser_is_run_again_and_its_side_effects_run_once(make_registry):
    registry = make_registry([])
    with registry.env() as env:
        first, second = env["res.partner"].create([{"name": "P1"}, {"name": "P2"}]).ids
    both_hold_one = threading.Barrier(2)
    attempts, effects = collections.Counter(), []

    def worker(index):
        name, order = ("A", (first, second)) if index == 0 else ("B", (second, first))

        def work(env):
            attempts[name] += 1
            env.on_commit(lambda: effects.append(name))
            env["res.partner"].browse(order[0]).write({"comment": f"{name} first"})
            if attempts[name] == 1:
                both_hold_one.wait(WAIT)  # each holds one row: the next writes deadlock
            env["res.partner"].browse(order[1]).write({"comment": f"{name} second"})
            return attempts[name]
        return registry.run(work)

    run_threads(2, worker)
    assert sorted(attempts.values()) == [1, 2]
    assert collections.Counter(effects) == {"A": 1, "B": 1}
    loser = next(name for name, count in attempts.items() if count == 2)
    loser_first, loser_second = (first, second) if loser == "A" else (second, first)
    with registry.env() as env:
        assert env["res.partner"].browse(loser_first).comment == f"{loser} first"
        assert env["res.partner"].browse(loser_second).comment == f"{loser} second"


@pytest.mark.postgresql_only
def test_past_the_retry_bound_a_concurrency_error_asks_to_try_again(make_registry):
    registry = make_registry([])
    with registry.env() as env:
        partner_id = env["res.partner"].create({"name": "Locked"}).id
    attempts, effects = [], []

    def work(env):
        attempts.append(1)
        env.on_commit(lambda: effects.append("ran"))
        env.execute(sa.text("SET LOCAL lock_timeout = '50ms'"))
        env["res.partner"].browse(partner_id).write({"comment": "written once the lock is gone"})

    holder = registry.engine.connect()
    try:
        with holder.begin():
            holder.execute(sa.text("SELECT id FROM res_partner WHERE id = :id FOR UPDATE"), {"id": partner_id})
            with pytest.raises(ConcurrencyError, match="try again"):
                registry.run(work, retries=2)
    finally:
        holder.close()
    assert len(attempts) == 3 and effects == []
    registry.run(work)  # the lock is gone: the same work now commits
    assert effects == ["ran"]
    with registry.env() as env:
        assert env["res.partner"].browse(partner_id).comment == "written once the lock is gone"
