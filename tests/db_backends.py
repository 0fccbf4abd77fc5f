"""The databases the suite runs on, a new one, an environment on one: importable by any test
module as ``db_backends``.

Test modules import these from here, not from ``conftest``: a test folder may have a
conftest of its own, and under pytest's default import mode the last one imported is
the module named ``conftest``.
"""
import contextlib
import os
import uuid
from pathlib import Path

import sqlalchemy as sa

TEST_ADDONS = Path(__file__).parent / "addons"
PG_URL = os.environ.get("KESHER_TEST_PG_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pg_admin_url():
    from core.orm.database import normalize_url
    return normalize_url(PG_URL)


@contextlib.contextmanager
def pg_admin():
    """An AUTOCOMMIT connection to the test server, for ``CREATE`` and ``DROP DATABASE``."""
    engine = sa.create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


@contextlib.contextmanager
def new_database(backend, folder):
    """The URL of a new, empty database: a SQLite file in ``folder``, or a PostgreSQL
    database on the test server, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'test.sqlite3'}"
        return
    name = f"kesher_t_{uuid.uuid4().hex[:12]}"
    with pg_admin() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_admin() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_of(registry):
    """A superuser environment on ``registry`` for one test, rolled back and closed afterwards
    (``yield from env_of(registry)`` in a fixture)."""
    env = registry.env()
    yield env
    env.rollback()
    env.close()
