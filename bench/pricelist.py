"""Price computations in batch against Tryton's price-list look-ups, at the same size.

    .venv/bin/python bench/pricelist.py [--quick] [--pg-url URL] [--runs N] [--tryton-json FILE] [--no-tryton]

The data (not timed): 1,000 customers (100 head offices, 900 branches), 5,000 products in
50 families (a tree of two levels), 20,000 price list items in 10 price lists (product
items with quantity breaks, family items, an item for all products; two lists based on
another list), 3,000 special prices, 1,000 family discounts and general discounts.

Timed (best of ``--runs``, a fresh transaction each time, nothing cached):
``env["pricelist.pricing"].compute_many(requests)`` of 10,000 random (customer, product,
quantity) requests in one call (one in ten for a customer's special price): price,
discount and explanation of each, by the whole resolution rule.

Tryton: the ``e`` step of ``../shared/peer/tryton/bench.py`` (``Product.get_sale_price``
under the customer's price list, one look-up at a time) at the same size: 1,000
customers, 5,000 products, 5 price lists of 4,000 lines (20,000), and ``--tryton-lookups``
look-ups (200 by default: the rate does not depend on how many, and at this size each
takes about half a second). It runs in its own virtual environment when installed
(``setup.sh``), else comes from ``--tryton-json``, else the figure measured on this
machine at Tryton's default size (215 look-ups/s) is used, and said so.
Targets: <= 0.5 s for the 10,000 on SQLite, and >= 50x Tryton's rate.
"""
import argparse
import datetime as dt
import os
import random
import time
from decimal import Decimal

import sqlalchemy as sa

from benchlib import Report, on_each_backend, run_tryton, tryton_installed, tryton_results
from core.addons.manager import init_database
from core.config import load_config

FULL = dict(customers=1_000, head_offices=100, products=5_000, families=50, items=20_000, pricelists=10,
            specials=3_000, family_discounts=1_000, requests=10_000, runs=3)
QUICK = dict(customers=200, head_offices=20, products=1_000, families=20, items=4_000, pricelists=5,
             specials=600, family_discounts=200, requests=2_000, runs=1)
TARGET_SECONDS = 0.5      # for the 10,000 on SQLite
TARGET_RATIO = 50         # times Tryton's rate
TRYTON_REFERENCE = 215.0  # look-ups per second, measured on this machine (the issue)
DAY = dt.date(2026, 3, 1)


def build(env, size, seed=7):
    """The catalog and policies; returns the requests to price."""
    rnd = random.Random(seed)
    families = env["product.family"]
    roots = families.create([{"name": f"Family {i}"} for i in range(size["families"] // 5)])
    subs = families.create([{"name": f"Sub-family {i}", "parent_id": roots[i % len(roots)].id}
                            for i in range(size["families"] - len(roots))])
    all_families = list(roots) + list(subs)
    products = env["product.product"].create([
        {"name": f"Product {i:05d}", "default_code": f"B{i:05d}", "family_id": all_families[i % len(all_families)].id,
         "list_price": Decimal(rnd.randint(100, 50_000)) / 100, "cost": Decimal(rnd.randint(50, 30_000)) / 100}
        for i in range(size["products"])])
    pricelists = _pricelists(env, size, rnd, products, all_families)
    partners = env["res.partner"]
    offices = partners.create([{"name": f"Head office {i}", "is_company": True, "customer": True,
                                "pricelist_id": pricelists[i % len(pricelists)].id,
                                "general_discount": Decimal(rnd.randint(0, 8))} for i in range(size["head_offices"])])
    branches = partners.create([{"name": f"Branch {i}", "is_company": True, "customer": True,
                                 "head_office_id": offices[i % len(offices)].id,
                                 "pricelist_id": pricelists[i % len(pricelists)].id if i % 4 == 0 else None}
                                for i in range(size["customers"] - size["head_offices"])])
    customers = list(offices) + list(branches)
    specials = [(rnd.choice(customers).id, rnd.choice(products).id) for _ in range(size["specials"])]
    env["pricelist.special_price"].create([
        {"partner_id": partner_id, "product_id": product_id, "price": Decimal(rnd.randint(100, 40_000)) / 100,
         "min_quantity": rnd.choice((0, 0, 10))} for partner_id, product_id in specials])
    pairs = {(rnd.choice(customers).id, rnd.choice(all_families).id) for _ in range(size["family_discounts"])}
    env["pricelist.family_discount"].create([{"partner_id": p, "family_id": f, "discount": rnd.randint(1, 15)}
                                             for p, f in pairs])
    requests = []
    for index in range(size["requests"]):  # one in ten asks for a product the customer has a special price for
        partner_id, product_id = specials[index % len(specials)] if index % 10 == 0 else \
            (rnd.choice(customers).id, rnd.choice(products).id)
        requests.append({"partner_id": partner_id, "product_id": product_id,
                         "quantity": rnd.choice((1, 3, 7, 12, 25, 60))})
    return requests


def _pricelists(env, size, rnd, products, families):
    """``size["pricelists"]`` lists holding ``size["items"]`` items in all."""
    per_list = size["items"] // size["pricelists"]
    lists = []
    for k in range(size["pricelists"]):
        base = {"name": f"Price list {k}", "base": ("list_price", "cost")[k % 2]}
        if k >= size["pricelists"] - 2:
            base.update(base="pricelist", base_pricelist_id=lists[0].id)
        items = [{"applied_on": "all", "compute_price": "discount", "percent": k}]
        for family in families:
            items.append({"applied_on": "family", "family_id": family.id, "compute_price": "discount",
                          "percent": rnd.randint(1, 20), "min_quantity": rnd.choice((0, 10)),
                          "rounding": 1, "rounding_ending": Decimal("0.90")})
        chosen = rnd.sample(range(len(products)), per_list - len(items))
        for index, product in enumerate(chosen):
            if index % 3:
                items.append({"product_id": products[product].id, "min_quantity": (0, 5, 20)[index % 3],
                              "fixed_price": Decimal(rnd.randint(100, 40_000)) / 100})
            else:
                items.append({"product_id": products[product].id, "compute_price": "markup",
                              "percent": rnd.randint(5, 60), "surcharge": 1})
        pricelist = env["pricelist.pricelist"].create(base)
        env["pricelist.item"].create([{**item, "pricelist_id": pricelist.id} for item in items])
        lists.append(pricelist)
    return lists


def run_kesher(url, size, runs):
    config = load_config(environ={}).with_overrides(db_url=url)
    registry = init_database(config, ["pricelist"], demo=False, progress=False)
    try:
        requests = registry.run(lambda env: build(env, size))
        counts = registry.run(lambda env: {"items": env["pricelist.item"].search_count([]),
                                           "customers": env["res.partner"].search_count([("customer", "=", True)])})
        best, statements = None, []
        for _ in range(runs):
            env = registry.env()
            try:
                seen = []
                listener = lambda *args: seen.append(args[2])  # noqa: E731
                sa.event.listen(registry.engine, "before_cursor_execute", listener)
                start = time.perf_counter()
                results = env["pricelist.pricing"].compute_many(requests, date=DAY)
                elapsed = time.perf_counter() - start
                sa.event.remove(registry.engine, "before_cursor_execute", listener)
            finally:
                env.rollback()
                env.close()
            assert len(results) == len(requests) and all(r["explanation"] for r in results)
            if best is None or elapsed < best:
                best, statements = elapsed, seen
        sources = {}
        for result in results:
            sources[result["source"]] = sources.get(result["source"], 0) + 1
        return best, len(statements), counts, sources
    finally:
        registry.dispose()


def tryton_rate(size, args):
    """``(look-ups per second, where the figure comes from)``."""
    if args.tryton_json:
        step = tryton_results(args.tryton_json)["e"]
        return step["n"] / step["s"], f"from {args.tryton_json}"
    if args.no_tryton or not tryton_installed():
        return TRYTON_REFERENCE, "reference figure of this machine (Tryton not run here: run its setup.sh)"
    lists = 5
    print(f"running Tryton's step e ({args.tryton_lookups:,} look-ups; its setup takes a few minutes)...",
          flush=True)
    results = run_tryton(["--customers", str(size["customers"]), "--products", str(size["products"]),
                          "--lookups", str(args.tryton_lookups), "--price-lists", str(lists),
                          "--price-list-product-lines", str(size["items"] // lists - 21), "--orders", "1",
                          "--lines", "1", "--read-orders", "1", "--no-process", "--no-post", "--proteus-orders", "0"])
    if results is None:
        return TRYTON_REFERENCE, "reference figure of this machine (the Tryton run failed, see above)"
    step = results["e"]
    return step["n"] / step["s"], f"Tryton 8.2 run now, step e ({step['n']} look-ups in {step['s']:.1f} s)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("KESHER_TEST_PG_URL", ""))
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--tryton-json")
    parser.add_argument("--no-tryton", action="store_true", help="use the reference figure for Tryton")
    parser.add_argument("--tryton-lookups", type=int, default=200,
                        help="look-ups Tryton times (its rate per look-up does not depend on how many; "
                             "at 20,000 price list lines each takes tens of milliseconds)")
    args = parser.parse_args()
    size = dict(QUICK if args.quick else FULL)
    runs = args.runs or size["runs"]
    report = Report()
    report.line(f"pricelist: {size['requests']:,} price computations over {size['customers']:,} customers, "
                f"{size['products']:,} products, {size['items']:,} price list items (best of {runs})")
    rates = {}

    def run(backend, url):
        seconds, queries, counts, sources = run_kesher(url, size, runs)
        rates[backend] = size["requests"] / seconds
        line = f"compute_many_{backend}: {seconds:.3f} s ({rates[backend]:,.0f} prices/s, {queries} queries, " \
               f"{counts['items']:,} items, sources {sources})"
        if backend == "sqlite":
            report.target(line, seconds <= TARGET_SECONDS * size["requests"] / FULL["requests"],
                          f"<= {TARGET_SECONDS} s for 10,000")
        else:
            report.line(line)
    on_each_backend("pricelist", None if args.sqlite_only else args.pg_url, run)
    peer_rate, source = tryton_rate(size, args)
    ratio = rates["sqlite"] / peer_rate
    report.line(f"tryton_lookups: {peer_rate:,.1f} look-ups/s ({source})")
    report.target(f"ratio_vs_tryton: {ratio:,.0f}x", ratio >= TARGET_RATIO, f">= {TARGET_RATIO}x")
    if peer_rate != TRYTON_REFERENCE:
        report.line(f"ratio_vs_tryton_default_size: {rates['sqlite'] / TRYTON_REFERENCE:,.0f}x (Tryton's "
                    f"{TRYTON_REFERENCE:g} look-ups/s at its own default size: 200 products, 100 price list lines)")
    report.summary()


if __name__ == "__main__":
    main()
