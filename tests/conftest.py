"""Fixtures: every database test runs on SQLite and, when a server is given, PostgreSQL.

``KESHER_TEST_PG_URL`` names a PostgreSQL server (e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``); each test then gets a fresh
database on it as well as a fresh SQLite file. Without it only SQLite runs.
"""
import importlib
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.addons.discovery import register_repo_addons
from db_backends import BACKENDS, TEST_ADDONS, env_of, new_database, pg_admin

if "addons" not in sys.modules:
    register_repo_addons()  # test modules import ``addons.sales...`` whichever of them runs first


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL of a new, empty database (SQLite file or PostgreSQL database)."""
    with new_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def config(db_url):
    from core.config import load_config
    return load_config(environ={}).with_overrides(db_url=db_url, addons_paths=[str(TEST_ADDONS)])


@pytest.fixture
def make_registry(config, database_templates):
    """``make_registry(["test_orders"], demo=False)``: a database with these addons installed.

    The first database of each addon set is installed for real and kept as a template;
    later tests start from a copy of it (a file copy on SQLite, ``CREATE DATABASE ...
    TEMPLATE`` on PostgreSQL), which is what makes the suite fast on both.
    """
    from core.addons.manager import init_database
    registries = []

    def make(addons=(), demo=False, cfg=None):
        cfg = cfg or config
        database_templates.restore(cfg, tuple(sorted(addons)), demo)
        registry = init_database(cfg, list(addons), demo=demo, progress=False)
        database_templates.remember(registry, cfg, tuple(sorted(addons)), demo)
        registries.append(registry)
        return registry

    yield make
    for registry in registries:
        registry.dispose()


class DatabaseTemplates:
    """Installed databases kept per (backend, addons path, addons, demo) for this process."""

    def __init__(self, folder):
        self.folder = folder
        self.templates = {}
        self.pg_names = []

    def _key(self, cfg, addons, demo):
        backend = sa.engine.make_url(cfg.db_url).get_backend_name()
        return backend, tuple(str(p) for p in cfg.addons_paths), addons, demo

    def restore(self, cfg, addons, demo):
        template = self.templates.get(self._key(cfg, addons, demo))
        if template is None or not _is_empty(cfg.db_url):
            return
        url = sa.engine.make_url(cfg.db_url)
        if url.get_backend_name() == "sqlite":
            import shutil
            shutil.copyfile(template, url.database)
            return
        with pg_admin() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')

    def remember(self, registry, cfg, addons, demo):
        key = self._key(cfg, addons, demo)
        if key in self.templates:
            return
        registry.engine.dispose()
        url = sa.engine.make_url(cfg.db_url)
        if url.get_backend_name() == "sqlite":
            import shutil
            target = self.folder / f"template_{len(self.templates)}.sqlite3"
            shutil.copyfile(url.database, target)
            self.templates[key] = target
            return
        name = f"kesher_tpl_{uuid.uuid4().hex[:12]}"
        with pg_admin() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
        self.pg_names.append(name)
        self.templates[key] = name

    def drop(self):
        if not self.pg_names:
            return
        with pg_admin() as conn:
            for name in self.pg_names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _is_empty(db_url):
    url = sa.engine.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return not url.database or not Path(url.database).exists() or Path(url.database).stat().st_size == 0
    from core.orm.database import normalize_url
    engine = sa.create_engine(normalize_url(db_url))
    try:
        with engine.connect() as conn:
            return not sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    templates = DatabaseTemplates(tmp_path_factory.mktemp("db_templates"))
    yield templates
    templates.drop()


@pytest.fixture
def registry(make_registry):
    """A database with the test_orders addon (and base) installed."""
    return make_registry(["test_orders"])


@pytest.fixture
def env(registry):
    """A superuser environment; rolled back and closed after the test."""
    yield from env_of(registry)


@pytest.fixture
def forget_modules():
    """``forget_modules("kesher_addons.name")`` drops an addon's modules from sys.modules, now
    and after the test: an addon loaded from a temporary folder (a new process would not have it)."""
    names = []

    def forget(*prefixes):
        names.extend(prefixes)
        for key in [k for k in sys.modules if any(k == p or k.startswith(p + ".") for p in prefixes)]:
            del sys.modules[key]
        importlib.invalidate_caches()

    yield forget
    forget(*names)


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
