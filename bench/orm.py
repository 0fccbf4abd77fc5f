"""ORM against SQLAlchemy Core: the same work, timed both ways, on SQLite and PostgreSQL.

    .venv/bin/python bench/orm.py [--quick] [--sqlite-only] [--pg-url URL] [--runs N]
                                  [--profile DIR]

Steps (each timing is the best of ``--runs`` runs, wall clock, commit included):

1. create_partners  ``env["res.partner"].create(list)``  vs one Core executemany insert;
2. create_orders    orders with 5 lines each and a stored computed total, one nested
                    ``create`` vs Core (subtotals computed before the insert, totals
                    written with one executemany update);
3. search_read      ``search(domain, limit)`` + ``read([...])`` with the partner's name
                    vs one Core select joining partners;
4. read_group       order lines grouped by order (many2one, sum of a Monetary field)
                    and read_group_month: orders grouped by ``date:month``; the rows are
                    made with Core in both databases (setup, not timed).

The ORM and Core work on separate databases restored from one freshly initialised
template before every run of a writing step, so each run starts empty. The ORM keeps
one registry per database across runs, as a server does. Also timed: ``kesher init``
of every addon of the repository's ``addons/`` folder on a fresh SQLite file.

The result is a report: the exit status is 0 even when a target is missed, non-zero
only when something crashes.
"""
import argparse
import datetime as dt
import gc
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

import benchlib
from benchlib import REPO, Profiler, add_database_options
from core.addons.manager import init_database, load_registry
from core.config import load_config
from core.orm.database import normalize_url

BENCH_ADDONS = REPO / "tests" / "addons"  # test_orders: orders with lines and a stored computed total

FULL = dict(partners=10_000, orders=1_000, lines_per_order=5, read=1_000,
            group_lines=100_000, group_orders=5_000, month_orders=100_000, runs=3)
QUICK = dict(partners=1_000, orders=100, lines_per_order=5, read=100,
             group_lines=10_000, group_orders=500, month_orders=10_000, runs=1)

TARGETS = {  # step -> (maximum ratio ORM / Core, what it is)
    "create_partners": 2.5,
    "create_orders": 2.5,
    "search_read": 2.0,
    "read_group": 1.3,
    "read_group_month": 1.3,
}
INIT_TARGET = 5.0
START = dt.date(2024, 1, 1)


# -- databases ----------------------------------------------------------------------------
class SqliteBackend:
    name = "sqlite"

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="kesher_bench_"))

    def url(self, name):
        return f"sqlite:///{self.folder / (name + '.sqlite3')}"

    def _path(self, name):
        return self.folder / (name + ".sqlite3")

    def create(self, name):
        self.drop(name)
        return self.url(name)

    def freeze(self, name):
        """Make the template one self-contained file (no WAL beside it)."""
        connection = sqlite3.connect(self._path(name))
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()

    def restore(self, template, name):
        self.drop(name)
        shutil.copyfile(self._path(template), self._path(name))
        return self.url(name)

    def drop(self, name):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self._path(name)) + suffix).unlink(missing_ok=True)

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresBackend:
    name = "postgresql"

    def __init__(self, url):
        self.server = sa.engine.make_url(normalize_url(url))
        self.admin = sa.create_engine(self.server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        self.prefix = f"kesher_bench_{uuid.uuid4().hex[:8]}"
        self.created = []

    def reachable(self):
        try:
            with self.admin.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except (sa.exc.SQLAlchemyError, ImportError):  # no server, refused login, no driver
            self.admin.dispose()
            return False

    def url(self, name):
        return self.server.set(database=f"{self.prefix}_{name}").render_as_string(hide_password=False)

    def _sql(self, text):
        with self.admin.connect() as connection:
            connection.exec_driver_sql(text)

    def create(self, name):
        self.drop(name)
        self._sql(f'CREATE DATABASE "{self.prefix}_{name}"')
        self.created.append(name)
        return self.url(name)

    def freeze(self, name):
        pass

    def restore(self, template, name):
        self.drop(name)
        self._sql(f'CREATE DATABASE "{self.prefix}_{name}" TEMPLATE "{self.prefix}_{template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, name):
        self._sql(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')

    def close(self):
        for name in dict.fromkeys(reversed(self.created)):
            try:
                self.drop(name)
            except sa.exc.SQLAlchemyError as error:
                print(f"# could not drop {self.prefix}_{name}: {error}", file=sys.stderr)
        self.admin.dispose()


def bench_config(url):
    return load_config(environ={}).with_overrides(db_url=url, addons_paths=[str(BENCH_ADDONS)])


# -- data ---------------------------------------------------------------------------------
def partner_values(count):
    return [{"name": f"Partner {i:05d}", "ref": f"C{i:05d}", "email": f"partner{i}@example.com",
             "city": ("Tel Aviv", "Haifa", "Jerusalem", "Beer Sheva")[i % 4], "customer": True}
            for i in range(count)]


def order_specs(count, lines_per_order, partner_ids, seed=7):
    """``[(name, partner_id, date, [(product, quantity, price_unit)])]``, the same every run."""
    rng = random.Random(seed)
    specs = []
    for i in range(count):
        lines = [(f"Product {rng.randrange(500)}", Decimal(rng.randrange(1, 20)),
                  Decimal(rng.randrange(100, 100_000)).scaleb(-2)) for _ in range(lines_per_order)]
        specs.append((f"SO{i:06d}", partner_ids[rng.randrange(len(partner_ids))],
                      START + dt.timedelta(days=rng.randrange(730)), lines))
    return specs


def orm_order_values(specs):
    return [{"name": name, "partner_id": partner, "date": date,
             "line_ids": [{"product": p, "quantity": q, "price_unit": u} for p, q, u in lines]}
            for name, partner, date, lines in specs]


def stamp_values(uid=1):
    now = dt.datetime.now(dt.timezone.utc)
    return {"create_date": now, "write_date": now, "create_uid": uid, "write_uid": uid, "version": 1}


# -- the work, both ways ------------------------------------------------------------------
class Side:
    """One database and the registry (ORM) or the tables (Core) working on it."""

    def __init__(self, backend, template, name):
        self.backend, self.template, self.name = backend, template, name
        self.url = backend.restore(template, name)
        self.registry = load_registry(bench_config(self.url))
        self.engine = self.registry.engine
        self.tables = {model: self.registry.models[model]._table
                       for model in ("res.partner", "test.order", "test.order.line")}

    def reset(self):
        """Back to the freshly initialised database (same URL, same registry)."""
        self.engine.dispose()
        self.backend.restore(self.template, self.name)

    def max_id(self, model):
        table = self.tables[model]
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()

    def ids_after(self, model, after):
        table = self.tables[model]
        with self.engine.connect() as connection:
            return connection.execute(sa.select(table.c.id).where(table.c.id > after)
                                      .order_by(table.c.id)).scalars().all()

    def dispose(self):
        self.engine.dispose()


def orm_create_partners(side, values):
    env = side.registry.env()
    try:
        ids = env["res.partner"].create(values).ids
        env.commit()
    finally:
        env.close()
    return ids


def core_create_partners(side, values):
    partner = side.tables["res.partner"]
    defaults = {"active": True, "is_company": False, "supplier": False, "country": "IL", "lang": "he"}
    stamps = stamp_values()
    rows = [{**defaults, **vals, **stamps} for vals in values]
    with side.engine.begin() as connection:
        connection.execute(sa.insert(partner), rows)


def orm_create_orders(side, values):
    env = side.registry.env()
    try:
        env["test.order"].create(values)
        env.commit()
    finally:
        env.close()


def core_create_orders(side, specs):
    """What one would write by hand: subtotals before the insert, totals in one executemany."""
    order, line = side.tables["test.order"], side.tables["test.order.line"]
    stamps = stamp_values()
    with side.engine.begin() as connection:
        insert_orders = sa.insert(order).returning(order.c.id, sort_by_parameter_order=True)
        ids = connection.execute(insert_orders, [
            {"name": name, "partner_id": partner, "date": date, **stamps}
            for name, partner, date, _lines in specs]).scalars().all()
        line_rows, totals = [], []
        for order_id, (_name, _partner, _date, lines) in zip(ids, specs):
            total = Decimal(0)
            for product, quantity, price in lines:
                subtotal = quantity * price
                total += subtotal
                line_rows.append({"order_id": order_id, "product": product, "quantity": quantity,
                                  "price_unit": price, "subtotal": subtotal, **stamps})
            totals.append({"_id": order_id, "_total": total})
        connection.execute(sa.insert(line), line_rows)
        connection.execute(sa.update(order).where(order.c.id == sa.bindparam("_id"))
                           .values(amount_total=sa.bindparam("_total", type_=order.c.amount_total.type)), totals)


READ_FIELDS = ["name", "date", "amount_total", "partner_id"]


def orm_search_read(side, limit):
    env = side.registry.env()
    try:
        orders = env["test.order"].search([("date", ">=", START)], limit=limit)
        result = orders.read(READ_FIELDS)
        env.commit()
    finally:
        env.close()
    return result


def core_search_read(side, limit):
    order, partner = side.tables["test.order"], side.tables["res.partner"]
    statement = (sa.select(order.c.id, order.c.name, order.c.date, order.c.amount_total,
                           order.c.partner_id, partner.c.name)
                 .select_from(order).outerjoin(partner, order.c.partner_id == partner.c.id)
                 .where(order.c.date >= START)
                 .order_by(order.c.date.desc(), order.c.id.desc()).limit(limit))
    with side.engine.begin() as connection:
        return [{"id": oid, "name": name, "date": date, "amount_total": total,
                 "partner_id": None if pid is None else {"id": pid, "name": pname or ""}}
                for oid, name, date, total, pid, pname in connection.execute(statement)]


def orm_read_group(side):
    env = side.registry.env()
    try:
        result = env["test.order.line"].read_group([], ["order_id"], ["subtotal:sum", "__count"])
        env.commit()
    finally:
        env.close()
    return result


def core_read_group(side):
    """Sum by order in a subquery, then the orders' names joined to the (few) groups."""
    order, line = side.tables["test.order"], side.tables["test.order.line"]
    groups = (sa.select(line.c.order_id, sa.func.sum(line.c.subtotal).label("total"),
                        sa.func.count(line.c.id).label("n"))
              .group_by(line.c.order_id).subquery())
    statement = (sa.select(groups.c.order_id, order.c.name, groups.c.total, groups.c.n)
                 .select_from(groups).outerjoin(order, groups.c.order_id == order.c.id)
                 .order_by(groups.c.order_id))
    with side.engine.begin() as connection:
        return [{"order_id": None if oid is None else {"id": oid, "name": name or ""},
                 "subtotal:sum": total, "__count": count}
                for oid, name, total, count in connection.execute(statement)]


def orm_read_group_month(side):
    env = side.registry.env()
    try:
        result = env["test.order"].read_group([], ["date:month"], ["amount_total:sum", "__count"])
        env.commit()
    finally:
        env.close()
    return result


def core_read_group_month(side):
    order = side.tables["test.order"]
    if side.engine.dialect.name == "sqlite":
        month = sa.func.strftime("%Y-%m", order.c.date)
    else:
        month = sa.func.to_char(order.c.date, "YYYY-MM")
    month = month.label("month")
    statement = (sa.select(month, sa.func.sum(order.c.amount_total), sa.func.count(order.c.id))
                 .group_by(month).order_by(month))
    with side.engine.begin() as connection:
        return [{"date:month": m, "amount_total:sum": total, "__count": count}
                for m, total, count in connection.execute(statement)]


def populate_for_groups(side, sizes, seed=11):
    """100,000 order lines over a few thousand orders, and 100,000 orders over 24 months."""
    rng = random.Random(seed)
    partner, order, line = (side.tables[m] for m in ("res.partner", "test.order", "test.order.line"))
    stamps = stamp_values()
    first = side.max_id("res.partner")
    with side.engine.begin() as connection:
        connection.execute(sa.insert(partner), [{"name": f"Group partner {i}", "active": True, **stamps}
                                                for i in range(200)])
        partners = connection.execute(sa.select(partner.c.id).where(partner.c.id > first)).scalars().all()
        count_orders = max(sizes["month_orders"], sizes["group_orders"])
        lines_per_order = {}
        for index in range(sizes["group_lines"]):
            lines_per_order.setdefault(index % sizes["group_orders"], []).append(
                (Decimal(rng.randrange(1, 10)), Decimal(rng.randrange(100, 50_000)).scaleb(-2)))
        order_rows = []
        for index in range(count_orders):
            lines = lines_per_order.get(index)
            total = sum((q * p for q, p in lines), Decimal(0)) if lines else \
                Decimal(rng.randrange(100, 500_000)).scaleb(-2)
            order_rows.append({"name": f"G{index:06d}", "partner_id": rng.choice(partners),
                               "date": START + dt.timedelta(days=rng.randrange(730)),
                               "amount_total": total, **stamps})
        ids = connection.execute(sa.insert(order).returning(order.c.id, sort_by_parameter_order=True),
                                 order_rows).scalars().all()
        line_rows = [{"order_id": ids[index], "product": "P", "quantity": q, "price_unit": p,
                      "subtotal": q * p, **stamps}
                     for index, lines in lines_per_order.items() for q, p in lines]
        connection.execute(sa.insert(line), line_rows)
    if side.engine.dialect.name == "postgresql":
        with side.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with side.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


# -- timing -------------------------------------------------------------------------------
def timed(work):
    gc.collect()
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


class Report(benchlib.Report):
    def ratio(self, backend, step, orm, core):
        limit = TARGETS[step]
        ratio = orm / core
        self.target(f"{backend} {step}: orm {orm:.3f} s, core {core:.3f} s, ratio {ratio:.2f}", ratio <= limit,
                    f"<= {limit:g}")

    def init(self, seconds, count):
        self.target(f"init_all_addons: {seconds:.2f} s for {count} addons", seconds <= INIT_TARGET,
                    f"<= {INIT_TARGET:g} s; Tryton ~23 s for 17 modules")


def same(label, orm, core):
    """Both ways must give the same answer; a difference is reported (it is an ORM bug)."""
    if orm != core:
        mismatch = next(((a, b) for a, b in zip(orm, core) if a != b), (len(orm), len(core)))
        print(f"WARNING {label}: the ORM and Core results differ, first difference: "
              f"orm {mismatch[0]!r} / core {mismatch[1]!r}", flush=True)


def run_backend(backend, sizes, report, profiler):
    runs = sizes["runs"]
    template = "template"
    url = backend.create(template)
    init_database(bench_config(url), ["test_orders"], demo=False, progress=None).dispose()
    backend.freeze(template)
    orm, core = Side(backend, template, "orm"), Side(backend, template, "core")
    label = backend.name
    try:
        # 1 and 2: writes, on databases reset before every run
        partners = partner_values(sizes["partners"])
        times = {"orm": [[], []], "core": [[], []]}
        for run in range(runs):
            for side, create_partners, create_orders in (
                    (orm, orm_create_partners, orm_create_orders),
                    (core, core_create_partners, core_create_orders)):
                if run:
                    side.reset()
                before = side.max_id("res.partner")
                seconds, _ = timed(lambda: create_partners(side, partners))
                times[side.name][0].append(seconds)
                specs = order_specs(sizes["orders"], sizes["lines_per_order"], side.ids_after("res.partner", before))
                work = orm_order_values(specs) if side is orm else specs
                seconds, _ = timed(lambda: create_orders(side, work))
                times[side.name][1].append(seconds)
        report.ratio(label, "create_partners", min(times["orm"][0]), min(times["core"][0]))
        report.ratio(label, "create_orders", min(times["orm"][1]), min(times["core"][1]))
        if profiler.folder:
            orm.reset()
            before = orm.max_id("res.partner")
            profiler.run(f"{label}_create_partners", lambda: orm_create_partners(orm, partners))
            specs = order_specs(sizes["orders"], sizes["lines_per_order"], orm.ids_after("res.partner", before))
            values = orm_order_values(specs)
            profiler.run(f"{label}_create_orders", lambda: orm_create_orders(orm, values))

        # 3: reads of what the last runs wrote
        limit = sizes["read"]
        orm_times, core_times = [], []
        for _run in range(runs):
            seconds, orm_rows = timed(lambda: orm_search_read(orm, limit))
            orm_times.append(seconds)
            seconds, core_rows = timed(lambda: core_search_read(core, limit))
            core_times.append(seconds)
        same(f"{label} search_read", orm_rows, core_rows)
        report.ratio(label, "search_read", min(orm_times), min(core_times))
        profiler.run(f"{label}_search_read", lambda: orm_search_read(orm, limit))

        # 4: aggregates over rows made with Core (not timed)
        for side in (orm, core):
            side.reset()
            populate_for_groups(side, sizes)
        for step, orm_work, core_work in (("read_group", orm_read_group, core_read_group),
                                          ("read_group_month", orm_read_group_month, core_read_group_month)):
            orm_times, core_times = [], []
            for _run in range(runs):
                seconds, orm_rows = timed(lambda: orm_work(orm))
                orm_times.append(seconds)
                seconds, core_rows = timed(lambda: core_work(core))
                core_times.append(seconds)
            same(f"{label} {step}", orm_rows, core_rows)
            report.ratio(label, step, min(orm_times), min(core_times))
            profiler.run(f"{label}_{step}", lambda: orm_work(orm))
    finally:
        orm.dispose()
        core.dispose()


def repository_addons():
    from core.addons.discovery import REPO_ADDONS_PATH, discover
    root = REPO_ADDONS_PATH.resolve()
    return sorted(name for name, manifest in discover().items()
                  if manifest.path.resolve().parent == root)


def time_init(runs):
    names = repository_addons()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KESHER_")}
    environ["KESHER_ADMIN_PASSWORD"] = "bench-password-1"  # skip generating and printing one
    best = None
    with tempfile.TemporaryDirectory(prefix="kesher_bench_init_") as folder:
        for run in range(runs):
            url = f"sqlite:///{Path(folder) / f'init{run}.sqlite3'}"
            command = [sys.executable, "-m", "core.cli.main", "--db", url, "init", "--addons", ",".join(names)]
            start = time.perf_counter()
            done = subprocess.run(command, cwd=REPO, env=environ, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                raise RuntimeError(f"kesher init failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
            best = seconds if best is None else min(best, seconds)
    return best, len(names) + 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke test")
    add_database_options(parser)
    parser.add_argument("--runs", type=int, help="runs per timing (best is kept; default 3, 1 with --quick)")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of one extra ORM run per step")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.runs:
        sizes["runs"] = args.runs
    report, profiler = Report(), Profiler(args.profile)

    sqlite = SqliteBackend()
    try:
        run_backend(sqlite, sizes, report, profiler)
    finally:
        sqlite.close()

    if not args.sqlite_only:
        postgres = PostgresBackend(args.pg_url)
        if postgres.reachable():
            try:
                run_backend(postgres, sizes, report, profiler)
            finally:
                postgres.close()
        else:
            print(f"postgresql: skipped (no server at {args.pg_url})", flush=True)

    seconds, count = time_init(sizes["runs"])
    report.init(seconds, count)
    report.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
