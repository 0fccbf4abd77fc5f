"""The cost of security: one search + read as the superuser and as a restricted user.

    .venv/bin/python bench/security.py [--sqlite-only] [--pg-url URL] [--rows N] [--runs N]
                                       [--profile DIR]

On SQLite (a temporary file) and, when a server answers, PostgreSQL: ``--rows``
(100,000) ``test.secure.doc`` rows of the test addon ``test_secure``, made with Core
inserts and spread over 100 owners (owner = row number modulo 100). The same
``search(domain, limit=1000)`` + ``read([name, owner_id, amount, date])`` of 1,000
records is timed as the superuser and as a user under one model access row
(``access_doc_user``) and one record rule (``rule_doc_owner``: documents of the owners
the ``kesher_rule_values`` hook allows him: himself and the owners granted to him).

The user is granted 9 owners besides himself, and the domain asks for the documents of
those 10 owners: both sides find the same 1,000 records, so the difference is the price
of the checks (access row, rule clause, hook, the rule in every query), not of reading
other rows. A second, untargeted line times ``search([])`` + read, where the rule itself
does the filtering (the superuser gets the first 1,000 documents, the user the first
1,000 of his 10 owners).

Each timing is the best of ``--runs`` (5) runs, each in a new transaction (as one web
request), after one warm-up run. The exit status is 0 even when the target is missed.
"""
import argparse
import datetime as dt
import sys
from decimal import Decimal

import sqlalchemy as sa

import benchlib
from benchlib import REPO, Profiler, add_database_options, best, on_each_backend
from core.addons.manager import init_database
from core.config import load_config

TEST_ADDONS = REPO / "tests" / "addons"
DOC = "test.secure.doc"
OWNERS, TEAM, LIMIT = 100, 10, 1000
FIELDS = ["name", "owner_id", "amount", "date"]
TARGET = 1.3
START = dt.date(2025, 1, 1)


def setup(url, rows):
    """A database with ``rows`` documents over ``OWNERS`` owners; ``(registry, user id, team ids)``."""
    config = load_config(environ={}).with_overrides(db_url=url, addons_paths=[str(TEST_ADDONS)])
    registry = init_database(config, ["test_secure"], demo=False, progress=None)
    with registry.env() as env:
        group = env.ref("test_secure.group_secure_user").id
        owners = env["res.users"].create([{"login": f"owner{i:03d}", "name": f"Owner {i:03d}", "group_ids": [group]}
                                          for i in range(OWNERS)]).ids
        user, team = owners[0], owners[:TEAM]
        env["test.secure.grant"].create([{"user_id": user, "owner_id": owner} for owner in team[1:]])
        table = env.registry.models[DOC]._table
        now = dt.datetime.now(dt.timezone.utc)
        stamp = {"create_date": now, "write_date": now, "create_uid": 1, "write_uid": 1, "version": 1}
        for start in range(0, rows, 10_000):
            env.execute(sa.insert(table), [
                {"name": f"Document {i:06d}", "owner_id": owners[i % OWNERS], "amount": Decimal(i % 997).scaleb(-1),
                 "date": START + dt.timedelta(days=i % 365), "total": Decimal(0), **stamp}
                for i in range(start, min(start + 10_000, rows))])
    with registry.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return registry, user, team


def search_read(registry, uid, domain):
    """One request's work: a new transaction, the search, the read of what it found."""
    with registry.env(user=uid, readonly=True) as env:
        records = env[DOC].search(domain, limit=LIMIT)
        return records.read(FIELDS)


class Report(benchlib.Report):
    def pair(self, label, superuser, restricted, target=TARGET):
        ratio = restricted / superuser
        self.line(f"{label} superuser: {superuser * 1000:.1f} ms")
        self.line(f"{label} restricted: {restricted * 1000:.1f} ms")
        if target is None:
            self.line(f"{label} ratio: {ratio:.2f} (no target: the rule does the filtering)")
        else:
            self.target(f"{label} ratio: {ratio:.2f}", ratio <= target, f"<= {target:g}")


def run_backend(name, url, args, report):
    registry, user, team = setup(url, args.rows)
    try:
        domain = [("owner_id", "in", team)]
        mine = search_read(registry, user, domain)
        every = search_read(registry, None, domain)
        if [r["id"] for r in mine] != [r["id"] for r in every] or len(mine) != LIMIT:
            print(f"WARNING {name}: the superuser and the user did not read the same {LIMIT} records", flush=True)
        superuser = best(args.runs, lambda: search_read(registry, None, domain))
        restricted = best(args.runs, lambda: search_read(registry, user, domain))
        report.pair(f"{name} security search+read", superuser, restricted)
        superuser = best(args.runs, lambda: search_read(registry, None, []))
        restricted = best(args.runs, lambda: search_read(registry, user, []))
        report.pair(f"{name} security search([])+read", superuser, restricted, target=None)
        profiler = Profiler(args.profile)
        for label, uid in (("superuser", None), ("restricted", user)):
            profiler.run(f"security_{name}_{label}", lambda: [search_read(registry, uid, domain) for _ in range(20)])
    finally:
        registry.dispose()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_options(parser)
    parser.add_argument("--rows", type=int, default=100_000, help="documents to create (default 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing, the best is kept (default 5)")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of 20 runs of each side")
    args = parser.parse_args(argv)
    report = Report()
    on_each_backend("security", None if args.sqlite_only else args.pg_url,
                    lambda name, url: run_backend(name, url, args, report))
    report.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
