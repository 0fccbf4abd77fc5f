"""Status flows in batch: moving 10,000 documents through one transition, and listing the
allowed transitions of 1,000 documents, on SQLite and PostgreSQL.

    .venv/bin/python bench/bpm.py [--sqlite-only] [--pg-url URL] [--moves N] [--listed N] [--runs N]

The database holds the ``test_bpm_docs`` test addon (its demo flow: draft -> submitted
requires two fields and creates a task per document on arrival; submitted -> approved is
for a group and has a condition). Everything runs as an ordinary user of that group.

1. move      ``docs.move_to("submitted")`` on ``--moves`` (10,000) draft documents: the
             checks (transition, groups, required fields, hooks), one UPDATE, the history
             rows, one task per document. Baseline, measured in the same process on as many
             other drafts: the same writes without the engine (the UPDATE through the ORM,
             the history rows and the tasks each in one create).
2. allowed   ``docs.allowed_transitions()`` of ``--listed`` (1,000) documents in three
             statuses, some failing a condition. Baseline: ``search`` + ``read`` of the
             same documents' name and status.

Each timing is the best of ``--runs`` (3) runs, each on fresh documents in a new
transaction, commit included. Queries are counted on the engine: they must not grow with
the number of documents. The exit status is 0 even when a target is missed.
"""
import argparse
import gc
import time
import uuid

from sqlalchemy import event

import benchlib
from benchlib import REPO, add_database_options, on_each_backend
from core.addons.manager import init_database
from core.config import load_config

TEST_ADDONS = REPO / "tests" / "addons"
DOC = "test.bpm.doc"
TARGETS = {"move": (2.0, 30), "allowed": (2.0, 10)}  # step -> (max ratio to the baseline, max queries)


class Queries:
    """Counts the statements an engine sends while ``active``."""

    def __init__(self, engine):
        self.count, self.active = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        if self.active:
            self.count += 1

    def measure(self, work):
        gc.collect()
        self.count, self.active = 0, True
        start = time.perf_counter()
        try:
            result = work()
        finally:
            self.active = False
        return time.perf_counter() - start, self.count, result


def setup(url):
    config = load_config(environ={}).with_overrides(db_url=url, addons_paths=[str(TEST_ADDONS)])
    registry = init_database(config, ["test_bpm_docs"], progress=None)

    def work(env):
        partner = env["res.partner"].create({"name": "Bench customer", "email": "bench@example.com"})
        user = env["res.users"].create({"login": f"bench-{uuid.uuid4().hex[:6]}", "name": "Bench user",
                                        "group_ids": [env.ref("base.group_user").id]})
        return partner.id, user.id
    partner, user = registry.run(work)
    return registry, partner, user


def drafts(registry, partner, user, count, **values):
    """``count`` new draft documents owned by ``user`` (setup, not timed)."""
    def work(env):
        rows = [{"name": f"D{i}", "partner_id": partner, "reference": f"R{i}", "amount": 10 + i % 7,
                 "owner_id": user, **values} for i in range(count)]
        return env[DOC].create(rows).ids
    return registry.run(work)


def bench_move(registry, queries, partner, user, count, runs):
    best, best_base, counted = None, None, 0
    for _run in range(runs):
        ids = drafts(registry, partner, user, count)
        seconds, n, _ = queries.measure(lambda: registry.run(
            lambda env: env[DOC].browse(ids).move_to("submitted"), user=user))
        base_ids = drafts(registry, partner, user, count)
        base, _n, _ = queries.measure(lambda: registry.run(lambda env: baseline_move(env, base_ids), user=user))
        best, best_base, counted = min(best or seconds, seconds), min(best_base or base, base), n
    return best, best_base, counted


def baseline_move(env, ids):
    """What a move writes, without the engine: the same UPDATE, history rows and tasks."""
    from addons.bpm import clock, engine
    from addons.bpm.spec import flow_spec
    spec = flow_spec(env, DOC)
    target, source = spec.by_code["submitted"], spec.by_code["draft"]
    moment = clock.now()
    env[DOC].browse(ids).with_context(bpm_moving=True).write(engine.arrival_values(target, moment))
    env["bpm.history"].sudo().create([{"res_model": DOC, "res_id": rid, "kind": "move", "from_status_id": source.id,
                                       "to_status_id": target.id, "from_name": source.name, "to_name": target.name,
                                       "user_id": env.uid, "date": moment} for rid in ids])
    action = env.ref("test_bpm_docs.doc_flow_submitted_enter_1").sudo()
    names = env[DOC].browse(ids)._display_names()
    env["bpm.task"].sudo().create([{"name": action.name, "user_id": env.uid, "res_model": DOC, "res_id": rid,
                                    "document_name": names[rid], "status_id": target.id, "action_id": action.id,
                                    "date_deadline": moment} for rid in ids])


def bench_allowed(registry, queries, partner, user, count, runs):
    third = count // 3
    ids = drafts(registry, partner, user, third)
    submitted = drafts(registry, partner, user, third)
    empty = drafts(registry, partner, user, count - 2 * third, amount=0)
    registry.run(lambda env: env[DOC].browse(submitted + empty).move_to("submitted"))
    everything = ids + submitted + empty
    best, best_base, counted, answer = None, None, 0, None
    for _run in range(runs + 1):  # the first run warms the caches up
        seconds, n, answer = queries.measure(lambda: registry.run(
            lambda env: {rid: [t.id for t in ts] for rid, ts in env[DOC].browse(everything).allowed_transitions().items()},
            user=user))
        base, _n, _ = queries.measure(lambda: registry.run(
            lambda env: env[DOC].search([("id", "in", everything)]).read(["name", "status_id"]), user=user))
        if _run:
            best, best_base, counted = min(best or seconds, seconds), min(best_base or base, base), n
    assert len(answer) == count and all(answer.values())
    return best, best_base, counted


class Report(benchlib.Report):
    def step(self, backend, step, label, seconds, baseline, queries):
        ratio_limit, query_limit = TARGETS[step]
        ratio = seconds / baseline
        self.target(f"{backend} {label}: {seconds:.3f} s, {queries} queries, baseline {baseline:.3f} s, "
                    f"ratio {ratio:.2f}", ratio <= ratio_limit and queries <= query_limit,
                    f"<= {ratio_limit:g}x the baseline, <= {query_limit} queries")


def run_backend(name, url, args, report):
    registry, partner, user = setup(url)
    try:
        queries = Queries(registry.engine)
        seconds, base, n = bench_move(registry, queries, partner, user, args.moves, args.runs)
        report.step(name, "move", f"move_{args.moves}", seconds, base, n)
        seconds, base, n = bench_allowed(registry, queries, partner, user, args.listed, args.runs)
        report.step(name, "allowed", f"allowed_transitions_{args.listed}", seconds, base, n)
    finally:
        registry.dispose()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_options(parser)
    parser.add_argument("--moves", type=int, default=10_000)
    parser.add_argument("--listed", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    report = Report()
    on_each_backend("bpm", None if args.sqlite_only else args.pg_url,
                    lambda name, url: run_backend(name, url, args, report))
    report.summary()


if __name__ == "__main__":
    main()
