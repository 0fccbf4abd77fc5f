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
import cProfile
import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from core.addons.manager import init_database  # noqa: E402
from core.config import load_config  # noqa: E402
from core.orm.database import normalize_url  # noqa: E402

TEST_ADDONS = REPO / "tests" / "addons"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
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


def best(runs, work):
    work()  # warm-up: statement caches, SQLite page cache
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


class Report:
    def __init__(self):
        self.met, self.total = 0, 0

    def pair(self, label, superuser, restricted, target=TARGET):
        ratio = restricted / superuser
        print(f"{label} superuser: {superuser * 1000:.1f} ms", flush=True)
        print(f"{label} restricted: {restricted * 1000:.1f} ms", flush=True)
        if target is None:
            print(f"{label} ratio: {ratio:.2f} (no target: the rule does the filtering)", flush=True)
            return
        self.total += 1
        self.met += ratio <= target
        print(f"{label} ratio: {ratio:.2f} (target: <= {target:g})", flush=True)

    def summary(self):
        print(f"targets met: {self.met}/{self.total}", flush=True)


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
        if args.profile:
            folder = Path(args.profile)
            folder.mkdir(parents=True, exist_ok=True)
            for label, uid in (("superuser", None), ("restricted", user)):
                profile = cProfile.Profile()
                profile.runcall(lambda: [search_read(registry, uid, domain) for _ in range(20)])
                profile.dump_stats(folder / f"security_{name}_{label}.prof")
            print(f"# profiles written to {folder}", file=sys.stderr)
    finally:
        registry.dispose()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite-only", action="store_true", help="do not try PostgreSQL")
    parser.add_argument("--pg-url", default=os.environ.get("KESHER_BENCH_PG_URL", DEFAULT_PG_URL),
                        help=f"PostgreSQL server to create the database on (default: {DEFAULT_PG_URL})")
    parser.add_argument("--rows", type=int, default=100_000, help="documents to create (default 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing, the best is kept (default 5)")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of 20 runs of each side")
    args = parser.parse_args(argv)
    report = Report()

    folder = Path(tempfile.mkdtemp(prefix="kesher_bench_security_"))
    try:
        run_backend("sqlite", f"sqlite:///{folder / 'security.sqlite3'}", args, report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    if not args.sqlite_only:
        server = sa.engine.make_url(normalize_url(args.pg_url))
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        database = f"kesher_bench_security_{uuid.uuid4().hex[:8]}"
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        except sa.exc.OperationalError:
            print(f"postgresql: skipped (no server at {args.pg_url})", flush=True)
        else:
            try:
                run_backend("postgresql", server.set(database=database).render_as_string(hide_password=False),
                            args, report)
            finally:
                with admin.connect() as connection:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()

    report.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
