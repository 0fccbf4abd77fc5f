"""Web UI and JSON API: server time per page on 100,000 partners, and pages per second.

    .venv/bin/python bench/web.py [--quick] [--partners N] [--requests N] [--seconds S]
                                  [--clients N] [--no-server] [--profile DIR]

On a fresh SQLite database (``init_database(config, [])``, then partners inserted with
SQLAlchemy Core: setup, not timed):

1. server time, in process: the WSGI app (``KesherApp``) is called with
   ``werkzeug.test.run_wsgi_app`` on a prepared environ; the time is from the call to the
   last byte of the body. Web pages carry the session cookie of a logged-in admin, the
   API a bearer token (``res.users.create_api_token``). Median over ``--requests``
   requests after a warm-up of each, with the median CPU time of the thread (the machine
   may be shared: CPU time is the steadier figure) and the SQL statements of one request:
   - the list page, 80 rows, text search matching ~19% of the partners plus the
     "Customers" filter of the search view (70% of them);
   - a form page;
   - ``GET /api/v1/res.partner?limit=80``;
   - for scale, a bare werkzeug + Jinja2 page of the same 80 rows (same search, filter, capped
     count, order and limit, written by hand) from SQLite with the standard library driver.
2. throughput: ``kesher serve --workers 1`` (gunicorn, one sync worker) in a subprocess
   on a free loopback port, and 8 client threads requesting the list page with
   ``http.client`` (one connection per request) for ``--seconds`` seconds, at most
   ``--max-requests`` requests; pages/s counts the answers that were 200 with 80 rows.

A first line on stderr gives the load of the machine and the time of a fixed Python loop.

The result is a report: the exit status is 0 even when a target is missed, non-zero
only when something crashes (or a page does not answer 200 with its rows).
"""
import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import pstats
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from werkzeug.test import EnvironBuilder, run_wsgi_app

import benchlib
from benchlib import REPO
from core.addons.manager import init_database
from core.config import load_config

TARGETS = {  # what -> (kind, limit)
    "list": ("ms", 20.0),
    "form": ("ms", 15.0),
    "api": ("ms", 10.0),
    "throughput": ("rps", 100.0),
}
SEARCH_TEXT = "av"  # Avi, Avraham, Tel Aviv: ~19% of the partners, spread over the name order
SEARCH_FILTER = "customers"  # a filter of base's partner search view
ROWS = 80
COUNT_CAP = 10 * ROWS  # the list view counts ten pages ahead ("1–80 of 800+")
COOKIE = "kesher_session"

FIRST = ["Avi", "Dana", "Yossi", "Noa", "Moshe", "Tamar", "David", "Shira", "Eitan", "Maya",
         "Ronen", "Yael", "Oren", "Michal", "Amir", "Liat", "Gil", "Hila", "Uri", "Efrat"]
LAST = ["Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Dahan", "Avraham", "Friedman", "Azulay", "Katz",
        "Goldman", "Hoffman", "Shapiro", "Kaufman", "Ben David", "Weissman", "Malka", "Amar", "Gabay", "Ohana"]
CITIES = ["Tel Aviv", "Haifa", "Jerusalem", "Beer Sheva", "Netanya", "Rishon LeZion", "Petah Tikva", "Ashdod",
          "Holon", "Eilat"]


# -- setup ----------------------------------------------------------------------------
def make_database(folder, partners):
    """A fresh SQLite database with base installed and ``partners`` partners; returns (config, registry)."""
    url = f"sqlite:///{folder / 'web.sqlite3'}"
    config = load_config(environ={}).with_overrides(db_url=url)
    registry = init_database(config, [], progress=None)
    table = registry.models["res.partner"]._table
    rng = random.Random(5)
    now = dt.datetime.now(dt.timezone.utc)
    stamps = {"create_date": now, "write_date": now, "create_uid": 1, "write_uid": 1, "version": 1}
    defaults = {"active": True, "is_company": False, "supplier": False, "country": "IL", "lang": "he"}
    rows = []
    for i in range(partners):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append({**defaults, **stamps, "name": f"{last} {first} {i:06d}", "city": rng.choice(CITIES),
                     "email": f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.co.il",
                     "phone": f"05{rng.randrange(10)}-{rng.randrange(10**7):07d}",
                     "customer": rng.random() < 0.7, "ref": f"C{i:06d}"})
    with registry.engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(sa.insert(table), rows[start:start + 10_000])
    # No ANALYZE: Kesher never runs it, and with sqlite_stat1 the mostly-NULL parent_id and
    # head_office_id indexes look useless, so the form's one2many reads scan the whole table.
    return config, registry


def credentials(registry):
    """A session id of a logged-in admin (cookie), an API token and a partner id for the form."""
    env = registry.env()
    try:
        admin = env.ref("base.user_admin")
        sid, _session = env["ir.session"].open_session(admin.id, None, "127.0.0.1")
        token = admin.create_api_token("bench")
        partner_id = env["res.partner"].search([("ref", "=", "C050000")], limit=1).id or \
            env["res.partner"].search([], limit=1).id
        env.commit()
    finally:
        env.close()
    return sid, token, partner_id


def list_url():
    return "/web/m/res.partner?" + urlencode({"q": SEARCH_TEXT, "f": SEARCH_FILTER})


# -- in-process timing -------------------------------------------------------------------
class Caller:
    """Calls a WSGI app in process with a fresh environ per request; times the call and the body."""

    def __init__(self, app, sid=None, token=None):
        self.app, self.sid, self.token = app, sid, token

    def environ(self, path, auth):
        headers = {"Accept-Language": "he"}
        if auth == "cookie":
            headers["Cookie"] = f"{COOKIE}={self.sid}"
        elif auth == "bearer":
            headers["Authorization"] = f"Bearer {self.token}"
        return EnvironBuilder(path=path, method="GET", headers=headers,
                              environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()

    def call(self, path, auth):
        environ = self.environ(path, auth)
        cpu, start = time.thread_time(), time.perf_counter()
        body_iter, status, headers = run_wsgi_app(self.app, environ)
        try:
            body = b"".join(body_iter)
        finally:
            if hasattr(body_iter, "close"):
                body_iter.close()
        return time.perf_counter() - start, time.thread_time() - cpu, status, body

    def median(self, path, auth, requests, warmup, check):
        """``(median wall seconds, median CPU seconds of this thread)`` of ``requests`` calls."""
        for _ in range(warmup):
            _seconds, _cpu, status, body = self.call(path, auth)
            check(path, status, body)
        walls, cpus = [], []
        for _ in range(requests):
            seconds, cpu, status, body = self.call(path, auth)
            check(path, status, body)
            walls.append(seconds)
            cpus.append(cpu)
        return statistics.median(walls), statistics.median(cpus)

    def profile(self, path, auth, requests, folder, label):
        """cProfile (CPU time of this thread: steadier on a shared machine) of ``requests`` calls."""
        profile = cProfile.Profile(time.thread_time)
        for _ in range(requests):
            environ = self.environ(path, auth)
            profile.enable()
            body_iter, _status, _headers = run_wsgi_app(self.app, environ)
            b"".join(body_iter)
            profile.disable()
        target = Path(folder) / f"{label}.prof"
        profile.dump_stats(target)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
        (Path(folder) / f"{label}.txt").write_text(out.getvalue())
        print(f"# profile of {requests} x {label} written to {target} (+ .txt)", file=sys.stderr)


def count_statements(engine, caller, path, auth):
    """SQL statements one request sends (BEGIN included)."""
    count = [0]

    def on_execute(*_args):
        count[0] += 1
    sa.event.listen(engine, "before_cursor_execute", on_execute)
    try:
        caller.call(path, auth)
    finally:
        sa.event.remove(engine, "before_cursor_execute", on_execute)
    return count[0]


def check_rows(expected):
    def check(path, status, body):
        if not status.startswith("200"):
            raise RuntimeError(f"GET {path}: {status}\n{body[:2000].decode(errors='replace')}")
        if expected is not None:
            rows = body.count(b"<tr data-href=")
            if rows != expected:
                raise RuntimeError(f"GET {path}: {rows} rows instead of {expected}")
    return check


def check_api(expected):
    def check(path, status, body):
        if not status.startswith("200"):
            raise RuntimeError(f"GET {path}: {status}\n{body[:2000].decode(errors='replace')}")
        if len(json.loads(body)["records"]) != expected:
            raise RuntimeError(f"GET {path}: not {expected} records")
    return check


# -- the baseline: bare werkzeug + Jinja2 ---------------------------------------------
BARE_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}" dir="rtl"><head><meta charset="utf-8"><title>Partners</title>
<link rel="stylesheet" href="/web/static/kesher.css"></head>
<body><main><h1>Partners</h1><p>{{ total }} records</p>
<table class="list"><thead><tr><th></th><th>Name</th><th>Reference</th><th>Phone</th><th>Email</th><th>City</th></tr></thead>
<tbody>
{% for row in rows %}<tr data-href="/web/m/res.partner/{{ row.id }}">
<td><input type="checkbox" name="ids" value="{{ row.id }}"></td>
<td><a href="/web/m/res.partner/{{ row.id }}">{{ row.name }}</a></td>
<td><bdi dir="ltr">{{ row.ref or '' }}</bdi></td><td><bdi dir="ltr">{{ row.phone or '' }}</bdi></td>
<td><bdi dir="ltr">{{ row.email or '' }}</bdi></td><td>{{ row.city or '' }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""


def bare_app(db_path):
    """What a hand-written page costs: one connection per request, the same filter, count
    (capped ten pages ahead, as the list view counts) and page."""
    from jinja2 import Environment
    from werkzeug.wrappers import Request, Response
    template = Environment(autoescape=True).from_string(BARE_TEMPLATE)
    # SQLite's LIKE ignores ASCII case, as its lower() only folds ASCII: what one writes by hand
    where = "active = 1 AND customer = 1 AND (name LIKE :t OR city LIKE :t OR tax_id LIKE :t)"

    def app(environ, start_response):
        request = Request(environ)
        text = "%" + request.args.get("q", "") + "%"
        connection = sqlite3.connect(db_path)
        connection.row_factory = sqlite3.Row
        try:
            total = connection.execute(f"SELECT count(*) FROM (SELECT id FROM res_partner WHERE {where} "
                                       f"LIMIT {COUNT_CAP + 1})", {"t": text}).fetchone()[0]
            rows = connection.execute(f"SELECT id, name, ref, phone, email, city FROM res_partner WHERE {where} "
                                      f"ORDER BY name, id LIMIT {ROWS}", {"t": text}).fetchall()
        finally:
            connection.close()
        html = template.render(rows=rows, total=total, lang="he")
        return Response(html, mimetype="text/html")(environ, start_response)
    return app


# -- throughput against a real server --------------------------------------------------
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, cookie, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": f"{COOKIE}={cookie}", "Accept-Language": "he"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


class Server:
    """``kesher serve --workers 1`` (gunicorn) in a subprocess on a free loopback port."""

    def __init__(self, db_url, log_path):
        self.port = free_port()
        environ = {k: v for k, v in os.environ.items() if not k.startswith("KESHER_")}
        self.log = open(log_path, "wb")
        command = [sys.executable, "-m", "core.cli.main", "--db", db_url, "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", "1"]
        self.process = subprocess.Popen(command, cwd=REPO, env=environ, stdout=subprocess.DEVNULL, stderr=self.log)

    def wait_ready(self, path, cookie, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kesher serve exited with {self.process.returncode}")
            try:
                status, _body = get(self.port, path, cookie, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("kesher serve did not answer in time")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of master and worker
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def hammer(port, path, cookie, clients, seconds, max_requests, expected_rows):
    """``clients`` threads, each one request after another, until the time or the count runs out."""
    lock = threading.Lock()
    state = {"done": 0, "failed": 0, "issued": 0, "latencies": []}
    deadline = time.monotonic() + seconds
    pattern = b"<tr data-href="

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if state["issued"] >= max_requests:
                    return
                state["issued"] += 1
            start = time.perf_counter()
            try:
                status, body = get(port, path, cookie)
                ok = status == 200 and body.count(pattern) == expected_rows
            except OSError:
                ok = False
            latency = time.perf_counter() - start
            with lock:
                state["done" if ok else "failed"] += 1
                state["latencies"].append(latency)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - start
    return state["done"] / elapsed, state, elapsed


def calibrate():
    """Seconds of a fixed pure-Python loop: how fast this machine is right now."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


# -- report ---------------------------------------------------------------------------
class Report(benchlib.Report):
    def ms(self, label, key, seconds, cpu, count, statements):
        limit = TARGETS[key][1]
        value = seconds * 1000
        self.target(f"{label}: {value:.1f} ms median of {count}, CPU {cpu * 1000:.1f} ms, {statements} SQL statements",
                    value <= limit, f"<= {limit:g} ms")

    def rps(self, label, key, value, extra):
        limit = TARGETS[key][1]
        self.target(f"{label}: {value:.1f} pages/s{extra}", value >= limit, f">= {limit:g}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 20 requests, 3 s of load: a smoke test")
    parser.add_argument("--partners", type=int, default=None, help="partners in the database (default 100,000)")
    parser.add_argument("--requests", type=int, default=None, help="timed requests per page (default 100)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests before each page's timing")
    parser.add_argument("--seconds", type=float, default=None, help="length of the load test (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="client threads of the load test")
    parser.add_argument("--max-requests", type=int, default=20_000, help="bound on the load test's requests")
    parser.add_argument("--no-server", action="store_true", help="skip the load test against kesher serve")
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of extra, untimed requests per page")
    args = parser.parse_args(argv)
    partners = args.partners or (10_000 if args.quick else 100_000)
    requests = args.requests or (20 if args.quick else 100)
    seconds = args.seconds or (3.0 if args.quick else 10.0)

    folder = Path(tempfile.mkdtemp(prefix="kesher_bench_web_"))
    report = Report()
    print(f"# machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"10M-step Python loop {calibrate() * 1000:.0f} ms (~400-600 ms on an idle machine)",
          file=sys.stderr, flush=True)
    try:
        start = time.perf_counter()
        config, registry = make_database(folder, partners)
        sid, token, partner_id = credentials(registry)
        print(f"# setup: {partners:,} partners on SQLite in {time.perf_counter() - start:.1f} s (not timed)",
              file=sys.stderr, flush=True)

        from core.web.app import KesherApp
        app = KesherApp(registry)
        caller = Caller(app, sid, token)
        pages = [
            ("web list page (80 rows, filtered)", "list", list_url(), "cookie", check_rows(ROWS)),
            ("web form page", "form", f"/web/m/res.partner/{partner_id}", "cookie", check_rows(None)),
            ("api list (80)", "api", f"/api/v1/res.partner?limit={ROWS}", "bearer", check_api(ROWS)),
        ]
        for label, key, path, auth, check in pages:
            median, cpu = caller.median(path, auth, requests, args.warmup, check)
            report.ms(label, key, median, cpu, requests, count_statements(registry.engine, caller, path, auth))

        bare = Caller(bare_app(str(folder / "web.sqlite3")))
        median, cpu = bare.median(list_url(), None, requests, args.warmup, check_rows(ROWS))
        print(f"baseline, bare werkzeug + Jinja2 page of 80 rows from SQLite (same search, filter, capped count): "
              f"{median * 1000:.1f} ms median of {requests}, CPU {cpu * 1000:.1f} ms (for scale)", flush=True)

        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            for label, key, path, auth, _check in pages:
                caller.profile(path, auth, requests, args.profile, key)
            bare.profile(list_url(), None, requests, args.profile, "bare")

        if not args.no_server:
            registry.dispose()
            server = Server(config.db_url, folder / "serve.log")
            try:
                server.wait_ready(list_url(), sid)
                for _ in range(args.warmup):  # the worker's first requests compile templates, fill caches
                    get(server.port, list_url(), sid)
                rate, state, elapsed = hammer(server.port, list_url(), sid, args.clients, seconds,
                                              args.max_requests, ROWS)
            finally:
                server.stop()
            latencies = sorted(state["latencies"]) or [0]
            p50 = latencies[len(latencies) // 2] * 1000
            p95 = latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0] * 1000
            extra = (f" ({state['done']} pages in {elapsed:.1f} s, {state['failed']} failed, "
                     f"client latency p50 {p50:.0f} ms p95 {p95:.0f} ms; gunicorn sync worker)")
            report.rps(f"list pages/s, 1 worker, {args.clients} clients", "throughput", rate, extra)
            if state["failed"]:
                log = (folder / "serve.log").read_text(errors="replace")[-3000:]
                print(f"# {state['failed']} requests failed; end of the server log:\n{log}", file=sys.stderr)
        report.summary()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
