"""Fixtures: every database test runs on SQLite and, when a server is given, PostgreSQL.

``KESHER_TEST_PG_URL`` names a PostgreSQL server (e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``); each test then gets a fresh
database on it as well as a fresh SQLite file. Without it only SQLite runs.
"""
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

TEST_ADDONS = Path(__file__).parent / "addons"
PG_URL = os.environ.get("KESHER_TEST_PG_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _pg_admin_url():
    from core.orm.database import normalize_url
    return normalize_url(PG_URL)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL of a new, empty database (SQLite file or PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    name = f"kesher_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def config(db_url):
    from core.config import load_config
    return load_config(environ={}).with_overrides(db_url=db_url, addons_paths=[str(TEST_ADDONS)])


@pytest.fixture
def make_registry(config):
    """``make_registry(["test_orders"], demo=False)``: a database with these addons installed."""
    from core.addons.manager import init_database
    registries = []

    def make(addons=(), demo=False, cfg=None):
        registry = init_database(cfg or config, list(addons), demo=demo, progress=False)
        registries.append(registry)
        return registry

    yield make
    for registry in registries:
        registry.dispose()


@pytest.fixture
def registry(make_registry):
    """A database with the test_orders addon (and base) installed."""
    return make_registry(["test_orders"])


@pytest.fixture
def env(registry):
    """A superuser environment; rolled back and closed after the test."""
    environment = registry.env()
    yield environment
    environment.rollback()
    environment.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql_only: runs only on the PostgreSQL parametrization of db_url")


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL-only behaviour (row locks...) are not collected for SQLite."""
    keep, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        sqlite_case = callspec is not None and callspec.params.get("db_url") == "sqlite"
        (dropped if sqlite_case and item.get_closest_marker("postgresql_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
