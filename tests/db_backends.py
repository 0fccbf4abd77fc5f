"""The databases the suite runs on, importable by any test module as ``db_backends``.

Test modules import these from here, not from ``conftest``: a test folder may have a
conftest of its own, and under pytest's default import mode the last one imported is
the module named ``conftest``.
"""
import os
from pathlib import Path

TEST_ADDONS = Path(__file__).parent / "addons"
PG_URL = os.environ.get("KESHER_TEST_PG_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pg_admin_url():
    from core.orm.database import normalize_url
    return normalize_url(PG_URL)
