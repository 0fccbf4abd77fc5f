"""Stock availability of 1,000 products in one call, over 50,000 moves and 2,000 open purchase lines.

    .venv/bin/python bench/stock.py [--sqlite-only] [--pg-url URL] [--products N] [--moves N]
                                    [--lines N] [--runs N] [--profile DIR]

On SQLite (a temporary file) and, when a server answers, PostgreSQL, a database with
the stock addon is filled through the addon's own APIs: ``--products`` (1,000) goods,
``--moves`` (50,000) done stock moves over 3 warehouses (receipts, deliveries,
transfers, adjustments; ``stock.move.create_done`` in batches of 5,000), 2,000 active
reservations, and ``--lines`` (2,000) lines of confirmed purchase orders (20 lines per
order, expected over the next 90 days, a tenth of them partly received).

Timed (best of ``--runs`` runs, each in a new read-only transaction as one web request,
after one warm-up):

- ``availability``: ``env["stock.availability"].get(all product ids)``, every warehouse;
- ``availability at a date``: the same with ``date`` (projected stock in 30 days);
- ``availability of one warehouse``;
- baseline ``from the move history``: on hand summed from the 50,000 moves with one
  GROUP BY (what availability would cost without the maintained stock levels);
- setup figure ``create_done``: moves done per second (levels updated per batch).

The answers are checked against the move history (``stock.level`` must equal the sums).
The exit status is 0 even when a target is missed.
"""
import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal

import sqlalchemy as sa

import benchlib
from benchlib import Profiler, add_database_options, best, on_each_backend
from core.addons.manager import init_database
from core.config import load_config

TARGET_MS = 100.0
BATCH = 5_000
LINES_PER_ORDER = 20


def setup(url, args):
    """A filled database; ``(registry, product ids, create_done seconds)``."""
    config = load_config(environ={}).with_overrides(db_url=url)
    registry = init_database(config, ["stock"], demo=False, progress=None)
    rng = random.Random(7)
    with registry.env() as env:
        main = env["stock.warehouse"].get_default()
        others = env["stock.warehouse"].create([{"name": "North", "code": "N"}, {"name": "South", "code": "S"}])
        warehouses = [main.id] + others.ids
        products = env["product.product"].create([{"name": f"Item {i:04d}", "default_code": f"B-{i:04d}"}
                                                  for i in range(args.products)]).ids
        supplier = env["res.partner"].create({"name": "Bench supplier", "supplier": True}).id
    elapsed = 0.0
    start_day = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for first in range(0, args.moves, BATCH):
        moves = []
        for index in range(first, min(first + BATCH, args.moves)):
            kind = rng.choices(("in", "out", "internal", "adjustment"), (5, 4, 1, 1))[0]
            source = rng.choice(warehouses)
            values = {"product_id": rng.choice(products), "quantity": Decimal(rng.randint(1, 40)), "kind": kind,
                      "warehouse_id": source, "origin": f"BENCH/{index}", "res_model": "bench.doc", "res_id": index,
                      "date": start_day + dt.timedelta(minutes=index)}
            if kind == "internal":
                values["dest_warehouse_id"] = rng.choice([w for w in warehouses if w != source])
            if kind == "adjustment":
                values["adjust_direction"] = rng.choice(("gain", "loss"))
            moves.append(values)
        with registry.env() as env:
            begin = time.perf_counter()
            env["stock.move"].create_done(moves)
            env.commit()
            elapsed += time.perf_counter() - begin
    with registry.env() as env:
        env["stock.reservation"].reserve([
            {"product_id": rng.choice(products), "quantity": Decimal(rng.randint(1, 5)), "res_model": "sale.order",
             "res_id": i + 1, "warehouse_id": rng.choice(warehouses)} for i in range(2_000)])
        today = dt.date.today()
        orders = env["purchase.order"].create([
            {"partner_id": supplier, "warehouse_id": rng.choice(warehouses), "line_ids": [
                {"product_id": rng.choice(products), "quantity": Decimal(rng.randint(5, 100)), "price_unit": "9.90",
                 "date_expected": today + dt.timedelta(days=rng.randint(1, 90))} for _ in range(LINES_PER_ORDER)]}
            for _ in range(args.lines // LINES_PER_ORDER)])
        orders.action_confirm()
        for order in orders[: max(1, len(orders) // 10)]:
            line = order.line_ids[0]
            order.receive({line.id: 1})
    with registry.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return registry, products, elapsed


def availability(registry, products, **kw):
    with registry.env(readonly=True) as env:
        return env["stock.availability"].get(products, **kw)


def from_history(registry, products):
    """The baseline: on hand summed from every done move (one GROUP BY over the history)."""
    with registry.env(readonly=True) as env:
        totals = env["stock.move"]._done_totals()
        wanted = set(products)
        result = {}
        for (product_id, _warehouse), qty in totals.items():
            if product_id in wanted:
                result[product_id] = result.get(product_id, 0) + qty
        return result


def check(registry, products):
    """The maintained levels equal the move history, and open lines are what is expected."""
    answer = availability(registry, products)
    history = from_history(registry, products)
    wrong = [p for p in products if answer[p]["on_hand"] != history.get(p, 0)]
    with registry.env(readonly=True) as env:
        entity = type(env["purchase.order.line"])._entity
        expected = env.execute(sa.select(sa.func.count()).where(entity.qty_expected > 0)).scalar()
    incoming = sum(len(values["incoming"]) > 0 for values in answer.values())
    return wrong, expected, incoming


class Report(benchlib.Report):
    def timing(self, label, seconds, target_ms=TARGET_MS):
        ms = seconds * 1000
        if target_ms is None:
            self.line(f"{label}: {ms:.1f} ms (baseline, no target)")
        else:
            self.target(f"{label}: {ms:.1f} ms", ms <= target_ms, f"<= {target_ms:g} ms")


def run_backend(name, url, args, report):
    begin = time.perf_counter()
    registry, products, create_seconds = setup(url, args)
    print(f"# {name}: setup {time.perf_counter() - begin:.1f} s", file=sys.stderr, flush=True)
    try:
        wrong, expected, incoming = check(registry, products)
        if wrong:
            print(f"WARNING {name}: {len(wrong)} products whose stock level differs from the move history", flush=True)
        print(f"{name} data: {len(products)} products, {args.moves} done moves, {expected} open purchase lines "
              f"({incoming} products with expected arrivals), 2000 reservations", flush=True)
        print(f"{name} create_done: {args.moves / create_seconds:,.0f} moves/s (setup figure, no target)", flush=True)
        in_30_days = dt.date.today() + dt.timedelta(days=30)
        with registry.env(readonly=True) as env:
            warehouse = env["stock.warehouse"].get_default().id
        report.timing(f"{name} availability of {len(products)} products",
                      best(args.runs, lambda: availability(registry, products)))
        report.timing(f"{name} availability at a date",
                      best(args.runs, lambda: availability(registry, products, date=in_30_days)))
        report.timing(f"{name} availability of one warehouse",
                      best(args.runs, lambda: availability(registry, products, warehouse_id=warehouse)))
        report.timing(f"{name} on hand from the move history",
                      best(args.runs, lambda: from_history(registry, products)), target_ms=None)
        Profiler(args.profile).run(f"stock_{name}",
                                   lambda: [availability(registry, products, date=in_30_days) for _ in range(20)])
    finally:
        registry.dispose()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_options(parser)
    parser.add_argument("--products", type=int, default=1_000, help="products (default 1,000)")
    parser.add_argument("--moves", type=int, default=50_000, help="done stock moves (default 50,000)")
    parser.add_argument("--lines", type=int, default=2_000, help="open purchase lines (default 2,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing, the best is kept (default 5)")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of 20 availability calls")
    args = parser.parse_args(argv)
    report = Report()
    on_each_backend("stock", None if args.sqlite_only else args.pg_url,
                    lambda name, url: run_backend(name, url, args, report))
    report.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
