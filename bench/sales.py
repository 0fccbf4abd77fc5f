"""The sales cycle in batch against Tryton 8.2 doing the same work, and against SQLAlchemy Core.

    .venv/bin/python bench/sales.py [--quick] [--orders N] [--runs N] [--tryton-json FILE] [--no-tryton]

Kesher steps (each one unit of work, wall clock, commit included), on SQLite; the whole
cycle runs ``--runs`` times (default 3) on a fresh database each time and each step keeps
its best time, as does the Core baseline (a 2-core machine shared with other work swings
a single run by a third):

1. create_quotes     N price quotes × 5 lines (priced from the products) in one batch;
2. quotes_to_orders  the N quotes turned into customer orders (terms and lines copied);
3. confirm           the N orders confirmed (bpm moves, stock reserved);
4. deliver           one delivery note per order, validated (stock moved out, reservations released);
5. invoice           one tax invoice per customer from the delivery notes (draft);
6. post              the invoices posted (numbers, ledger);
7. amounts           the four customer amounts (open orders, delivered-not-invoiced, ledger
                     balance, post-dated checks) of 1,000 customers;
8. create_orders     N orders × 5 lines entered directly, against the same rows written with
                     SQLAlchemy Core (one executemany per table, totals computed in Python).

Tryton (``../shared/peer/tryton/bench.py`` in its own venv, same sizes): ``c`` create
orders × lines (compared with creating quotes and with turning them into orders),
``d2`` confirm, ``d3`` process = invoice + shipment per order (compared with deliver +
invoice), ``d4`` post invoices, ``f`` credit amount of all customers. Its rates are read from
``--tryton-json``, or measured now when its venv exists, else the figures measured on
this machine are used and said so. Targets: every step >= 10x Tryton's rate, and
create_orders <= 3x Core's time. The exit status is 0 even when a target is missed.
"""
import argparse
import datetime as dt
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import sqlalchemy as sa

from benchlib import Report, run_tryton, tryton_installed, tryton_results
from core.addons.manager import init_database
from core.config import load_config

TRYTON_REFERENCE = {"c": 110.0, "d1": 110.0, "d2": 50.0, "d3": 9.0, "d4": 7.0, "f": 200.0}  # per second, here
PEERS = {"create_quotes": "c", "quotes_to_orders": "c", "confirm": "d2", "process": "d3", "post": "d4",
         "amounts": "f"}
TARGET_RATIO = 10
CORE_RATIO = 3.0
LINES = 5
CUSTOMERS = 1000


def kesher_steps(url, orders):
    """``{step: (count, seconds)}`` of the sales cycle on a fresh database at ``url``."""
    config = load_config(environ={}).with_overrides(db_url=url)
    registry = init_database(config, ["sales"], progress=False)
    try:
        customers, products = registry.run(lambda env: _basics(env))
        timings = {}

        def step(name, count, work):
            start = time.perf_counter()
            result = registry.run(work)
            timings[name] = (count, time.perf_counter() - start)
            return result

        quote_ids = step("create_quotes", orders, lambda env: env["sale.quote"].create(
            [_document(customers, products, i) for i in range(orders)]).ids)
        order_ids = step("quotes_to_orders", orders,
                         lambda env: env["sale.quote"].browse(quote_ids).create_orders().ids)
        step("confirm", orders, lambda env: env["sale.order"].browse(order_ids).action_confirm())
        delivery_ids = step("deliver", orders, lambda env: env["sale.order"].browse(order_ids).deliver().ids)
        invoice_ids = step("invoice", orders,
                           lambda env: env["sale.delivery"].browse(delivery_ids).create_invoices().ids)
        step("post", orders, lambda env: env["account.invoice"].browse(invoice_ids).action_post())
        step("amounts", CUSTOMERS, lambda env: _amounts(env, customers))
        step("create_orders", orders, lambda env: env["sale.order"].create(
            [_document(customers, products, i, priced=True) for i in range(orders)]))
        return timings
    finally:
        registry.dispose()


def _basics(env):
    customers = env["res.partner"].create([{"name": f"Customer {i}", "customer": True} for i in range(CUSTOMERS)])
    products = env["product.product"].create([{"name": f"Product {i}", "default_code": f"B{i:04d}",
                                               "list_price": Decimal("9.90") + i} for i in range(100)])
    env["stock.move"].create_done([{"product_id": pid, "quantity": 1_000_000, "kind": "in"} for pid in products.ids])
    return customers.ids, products.ids


def _document(customers, products, index, priced=False):
    lines = [{"product_id": products[(index + j) % len(products)], "quantity": 1 + j} for j in range(LINES)]
    if priced:
        for line in lines:
            line.update(price_unit=Decimal("12.50"), name="Product")
    return {"partner_id": customers[index % len(customers)], "line_ids": lines}


def _amounts(env, customers):
    partners = env["res.partner"].browse(customers)
    return (partners.sales_open_order_amounts(), partners.sales_uninvoiced_amounts(),
            partners.sales_ledger_balances(), partners.sales_postdated_checks())


def core_orders(url, orders):
    """Seconds to write the rows of ``create_orders`` with SQLAlchemy Core on a fresh database."""
    config = load_config(environ={}).with_overrides(db_url=url)
    registry = init_database(config, ["sales"], progress=False)
    try:
        customers, products = registry.run(lambda env: _basics(env))
        order_table = registry.models["sale.order"]._table
        line_table = registry.models["sale.order.line"]._table
        company = registry.run(lambda env: (env.ref("base.main_company").id, env.ref("base.ILS").id))
        now = dt.datetime.now(dt.timezone.utc)
        start = time.perf_counter()
        with registry.engine.begin() as connection:
            base = connection.execute(sa.select(sa.func.coalesce(sa.func.max(order_table.c.id), 0))).scalar()
            order_rows, line_rows, line_id = [], [], 0
            for index in range(orders):
                subtotals = []
                for j in range(LINES):
                    line_id += 1
                    subtotal = (Decimal(1 + j) * Decimal("12.50")).quantize(Decimal("0.01"), ROUND_HALF_UP)
                    subtotals.append(subtotal)
                    line_rows.append({"id": line_id, "order_id": base + index + 1, "name": "Product",
                                      "product_id": products[(index + j) % len(products)], "quantity": 1 + j,
                                      "price_unit": Decimal("12.50"), "discount": 0, "price_subtotal": subtotal,
                                      "sequence": 10, "partner_id": customers[index % len(customers)],
                                      "qty_delivered": 0, "qty_invoiced": 0, "open_amount": 0,
                                      "uninvoiced_amount": 0, "create_date": now, "write_date": now, "version": 1})
                untaxed = sum(subtotals)
                tax = (untaxed * Decimal("0.18")).quantize(Decimal("0.01"), ROUND_HALF_UP)
                order_rows.append({"id": base + index + 1, "name": f"SO-{index:05d}", "date": dt.date.today(),
                                   "partner_id": customers[index % len(customers)], "company_id": company[0],
                                   "currency_id": company[1], "vat_rate": Decimal("18"), "amount_untaxed": untaxed,
                                   "amount_tax": tax, "amount_total": untaxed + tax, "status_code": "draft",
                                   "create_date": now, "write_date": now, "version": 1})
            connection.execute(sa.insert(order_table), order_rows)
            connection.execute(sa.insert(line_table), line_rows)
        return time.perf_counter() - start
    finally:
        registry.dispose()


def tryton_rates(args, orders):
    """``({step: rate per second}, where the figures come from)``."""
    if args.tryton_json:
        return _rates(tryton_results(args.tryton_json)), f"from {args.tryton_json}"
    if args.no_tryton or not tryton_installed():
        return dict(TRYTON_REFERENCE), "reference figures of this machine (Tryton not run: run its setup.sh)"
    results = run_tryton(["--customers", str(CUSTOMERS), "--products", "100", "--orders", str(orders),
                          "--lines", str(LINES), "--lookups", "10", "--read-orders", "10", "--proteus-orders", "0",
                          "--db", "kesher_sales_bench"])
    if results is None:
        return dict(TRYTON_REFERENCE), "reference figures of this machine (the Tryton run failed, see above)"
    return _rates(results), f"Tryton 8.2 run now ({orders} orders x {LINES} lines)"


def _rates(results):
    return {key: results[key]["n"] / results[key]["s"] for key in TRYTON_REFERENCE if key in results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 orders instead of 1,000")
    parser.add_argument("--orders", type=int)
    parser.add_argument("--runs", type=int, default=3, help="cycles run, each step's best time is kept")
    parser.add_argument("--tryton-json")
    parser.add_argument("--no-tryton", action="store_true", help="use the reference figures for Tryton")
    args = parser.parse_args()
    orders = args.orders or (100 if args.quick else 1000)
    folder = Path(tempfile.mkdtemp(prefix="kesher_sales_bench_"))
    timings, core = {}, None
    for run in range(max(1, args.runs)):
        for name, (count, seconds) in kesher_steps(f"sqlite:///{folder / f'kesher{run}.sqlite3'}", orders).items():
            if name not in timings or seconds < timings[name][1]:
                timings[name] = (count, seconds)
        seconds = core_orders(f"sqlite:///{folder / f'core{run}.sqlite3'}", orders)
        core = seconds if core is None else min(core, seconds)
    peer, source = tryton_rates(args, orders)
    report = Report()
    report.line(f"sales cycle on SQLite: {orders} quotes/orders x {LINES} lines, {CUSTOMERS} customers, "
                f"best of {max(1, args.runs)} runs")
    report.line(f"tryton: {source}")
    for name in ("deliver", "invoice"):
        count, seconds = timings[name]
        report.line(f"{name}: {count / seconds:,.0f}/s ({seconds:.2f} s)")
    timings["process"] = (orders, timings["deliver"][1] + timings["invoice"][1])
    for name, peer_key in PEERS.items():
        count, seconds = timings[name]
        rate = count / seconds
        ratio = rate / peer[peer_key] if peer.get(peer_key) else None
        shown = f"{ratio:.1f}x" if ratio is not None else "n/a"
        report.target(f"{name}: {rate:,.0f}/s ({seconds:.2f} s; tryton {peer_key} {peer.get(peer_key, 0):,.1f}/s; "
                      f"ratio {shown})", ratio is not None and ratio >= TARGET_RATIO, f">= {TARGET_RATIO}x tryton")
    count, seconds = timings["create_orders"]
    report.target(f"create_orders: {count / seconds:,.0f}/s ({seconds:.2f} s; core {core:.2f} s; "
                  f"{seconds / core:.1f}x core)", seconds <= core * CORE_RATIO, f"<= {CORE_RATIO:.0f}x core")
    report.summary()


if __name__ == "__main__":
    main()
