"""Shared by the benchmark scripts: the repository on ``sys.path``, the report, best-of timing
and the databases to run on.

A script imports it before ``core`` (``from benchlib import ...``: the script's folder is on
``sys.path`` when it is run as ``.venv/bin/python bench/NAME.py``). Every report has the
same shape: one figure per line, those with a target ending ``(target: ...)``, and last
``targets met: N/M``.
"""
import cProfile
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TRYTON_HOME = Path(os.environ.get("TRYTON_HOME", Path.home() / ".cache" / "kesher-peer" / "tryton"))
TRYTON_PYTHON = TRYTON_HOME / "venv" / "bin" / "python"
TRYTON_BENCH = REPO.parent / "shared" / "peer" / "tryton" / "bench.py"


class Report:
    """Prints the lines of a report and counts the targets met."""

    def __init__(self):
        self.met, self.total = 0, 0

    def line(self, text):
        """A figure without a target."""
        print(text, flush=True)

    def target(self, text, ok, target):
        """``text (target: target)``, a target met when ``ok``."""
        self.total += 1
        self.met += bool(ok)
        self.line(f"{text} (target: {target})")

    def summary(self):
        self.line(f"targets met: {self.met}/{self.total}")


def best(runs, work):
    """The best of ``runs`` timings of ``work()``, in seconds, after one warm-up run
    (statement caches, SQLite's page cache)."""
    work()
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


class Profiler:
    """``--profile DIR``: extra, untimed runs under cProfile, each written to ``DIR/label.prof``."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def run(self, label, work):
        """``work()`` under cProfile; nothing without a folder."""
        if not self.folder:
            return
        profile = cProfile.Profile()
        profile.runcall(work)
        path = self.folder / f"{label}.prof"
        profile.dump_stats(path)
        print(f"# profile written to {path}", file=sys.stderr)


def add_database_options(parser):
    """``--sqlite-only`` and ``--pg-url`` (default ``KESHER_BENCH_PG_URL``, else the local server)."""
    parser.add_argument("--sqlite-only", action="store_true", help="do not try PostgreSQL")
    parser.add_argument("--pg-url", default=os.environ.get("KESHER_BENCH_PG_URL", DEFAULT_PG_URL),
                        help=f"PostgreSQL server to create the database on (default: {DEFAULT_PG_URL})")


def on_each_backend(name, pg_url, run):
    """``run("sqlite", url)`` on a new SQLite file, then, when ``pg_url`` is given,
    ``run("postgresql", url)`` on a new database of that server (said skipped when it does
    not answer). Both are removed afterwards; ``name`` goes into their names."""
    import sqlalchemy as sa

    from core.orm.database import normalize_url
    folder = Path(tempfile.mkdtemp(prefix=f"kesher_bench_{name}_"))
    try:
        run("sqlite", f"sqlite:///{folder / f'{name}.sqlite3'}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not pg_url:
        return
    server = sa.engine.make_url(normalize_url(pg_url))
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    database = f"kesher_bench_{name}_{uuid.uuid4().hex[:8]}"
    try:
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        except sa.exc.OperationalError:
            print(f"postgresql: skipped (no server at {pg_url})", flush=True)
            return
        try:
            run("postgresql", server.set(database=database).render_as_string(hide_password=False))
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        admin.dispose()


# -- Tryton, the peer ---------------------------------------------------------------------
def tryton_installed():
    """Whether Tryton's benchmark and its virtual environment (its ``setup.sh``) are here."""
    return TRYTON_PYTHON.exists() and TRYTON_BENCH.exists()


def tryton_results(path):
    """``{step: {"n": count, "s": seconds, ...}}`` of the first run in a JSON file of Tryton's benchmark."""
    data = json.loads(Path(path).read_text())
    runs = data.get("runs") if isinstance(data, dict) and "runs" in data else [data]
    return runs[0].get("results", runs[0])


def run_tryton(arguments):
    """Tryton's benchmark run now with ``arguments``: its results (as ``tryton_results``), or
    None when the run failed (the end of its stderr is shown)."""
    out = Path(tempfile.mkdtemp()) / "tryton.json"
    command = [str(TRYTON_PYTHON), str(TRYTON_BENCH), *arguments, "--json", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=7200)
    if done.returncode != 0 or not out.exists():
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    return tryton_results(out)
