"""Shared by the bpm tests: the demo documents of the test addon, users, and a controlled clock."""
import datetime as dt

import pytest

from db_backends import env_of

DOC = "test.bpm.doc"
ADDON = "test_bpm_docs"
T0 = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.timezone.utc)


def make_user(env, login, groups=("base.group_user",), lang="en"):
    return env["res.users"].create({"login": login, "name": login.title(), "lang": lang,
                                    "email": f"{login}@example.com",
                                    "group_ids": [env.ref(g).id for g in groups]}).id


def ready_doc(env, name="D", **values):
    """A draft document with what the flow asks before submitting it."""
    partner = env["res.partner"].create({"name": f"Customer of {name}", "email": "customer@example.com"})
    vals = {"name": name, "partner_id": partner.id, "reference": f"REF-{name}", "amount": 100}
    vals.update(values)
    return env[DOC].create(vals)


class Clock:
    """The bpm clock, set by the test: ``clock.set(T0)``, ``clock.advance(hours=49)``."""

    def __init__(self, monkeypatch, start=T0):
        self.moment = start
        monkeypatch.setattr("core.orm.fields.now", lambda: self.moment)

    def set(self, moment):
        self.moment = moment

    def advance(self, **delta):
        self.moment += dt.timedelta(**delta)
        return self.moment


# -- fixtures (imported by the test modules that use them) ---------------------------------
@pytest.fixture
def bpm_registry(make_registry):
    return make_registry([ADDON])


@pytest.fixture
def benv(bpm_registry):
    """A superuser environment on the demo database; rolled back after the test."""
    yield from env_of(bpm_registry)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
