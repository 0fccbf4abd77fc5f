"""Authentication: hashed passwords with a length policy, login throttling, disabled users,
and API tokens (hashed at rest, revocable, expiring), including ``kesher user token``.

Throttling is tested with an injected ``now``: after ``login_max_failures`` failures
within ``login_window_seconds``, a login is refused (even with the right password) until
``login_lockout_seconds`` after the last failure.
"""
import datetime as dt
import hashlib
import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from db_backends import TEST_ADDONS
from core.config import load_config
from core.exceptions import AccessError, ValidationError
from core.security.auth import authenticate, authenticate_token
from core.web.app import KesherApp
from security_helpers import DOC, PASSWORD, build_world

T0 = dt.datetime(2031, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(make_registry):
    registry = make_registry(["test_secure"])
    with registry.env() as env:
        ids = build_world(env, passwords=("alice", "bob"))
    return SimpleNamespace(registry=registry, settings=registry.config.section("security"), **ids)


def login(world, name, password=PASSWORD, seconds=0):
    """The user id, or the refusal's message."""
    try:
        return authenticate(world.registry, name, password, remote_addr="10.1.1.1",
                            now=T0 + dt.timedelta(seconds=seconds))
    except AccessError as exc:
        return str(exc)


def raw_rows(registry, table):
    with registry.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]


# -- passwords ------------------------------------------------------------------------------
def test_password_is_stored_hashed_and_checked(world):
    assert login(world, "alice") == world.users["alice"]
    assert login(world, "alice", "not-the-password") == "Wrong login or password"
    with world.registry.env(readonly=True) as env:
        stored = env["res.users"].browse(world.users["alice"]).password_hash
    assert stored.startswith(("scrypt:", "pbkdf2:")) and PASSWORD not in stored
    everything = repr(raw_rows(world.registry, "res_users")) + repr(raw_rows(world.registry, "mail_message"))
    assert PASSWORD not in everything
    with world.registry.env(readonly=True) as env:  # two users with one password: two different hashes
        other = env["res.users"].browse(world.users["bob"]).password_hash
    assert other != stored


def test_password_hash_is_hidden_from_users(world):
    with world.registry.env(user=world.users["alice"], readonly=True) as env:
        me = env["res.users"].browse(world.users["alice"])
        assert "password_hash" not in me.read()[0]
        with pytest.raises(AccessError, match="res.users.password_hash"):
            me.read(["password_hash"])
    with pytest.raises(AccessError):
        with world.registry.env(user=world.users["alice"]) as env:
            env["res.users"].search([("password_hash", "!=", False)])


@pytest.mark.parametrize("password", ["", "short", "7-chars", None, 12345678])
def test_password_policy_refuses_short_passwords(world, password):
    with pytest.raises(ValidationError) as info:
        with world.registry.env() as env:
            env["res.users"].browse(world.users["alice"]).set_password(password)
    assert str(info.value) == "A password must have at least 8 characters"
    assert login(world, "alice") == world.users["alice"]  # the old password still works


def test_password_policy_length_is_configurable(make_registry, db_url):
    config = load_config(environ={"KESHER_SECURITY_PASSWORD_MIN_LENGTH": "12"}).with_overrides(
        db_url=db_url, addons_paths=[str(TEST_ADDONS)])
    registry = make_registry([], cfg=config)
    with registry.env() as env:
        user = env["res.users"].create({"login": "carol", "name": "Carol"})
        with pytest.raises(ValidationError, match="at least 12 characters"):
            user.set_password("eleven-char")
        user.set_password("twelve-chars")
    assert authenticate(registry, "carol", "twelve-chars") == user.id


def test_passwords_are_never_logged(world, caplog):
    caplog.set_level(logging.DEBUG)
    login(world, "alice", "typo-password-77")
    login(world, "alice")
    with world.registry.env() as env:
        env["res.users"].browse(world.users["bob"]).set_password("fresh-password-88")
    assert "typo-password-77" not in caplog.text and PASSWORD not in caplog.text
    assert "fresh-password-88" not in caplog.text
    with world.registry.env(readonly=True) as env:
        messages = env["mail.message"].search([])
        text = repr([(m.subject, m.body, m.tracking) for m in messages])
    assert "typo-password-77" not in text and "fresh-password-88" not in text and PASSWORD not in text


# -- throttling ----------------------------------------------------------------------------------
def test_login_is_throttled_after_failures_then_released(world):
    limit, lockout = world.settings["login_max_failures"], world.settings["login_lockout_seconds"]
    for second in range(limit):
        assert login(world, "alice", "guess-%d" % second, seconds=second) == "Wrong login or password"
    last_failure = limit - 1
    refused = login(world, "alice", seconds=last_failure + 10)  # the right password, but locked
    assert "Too many failed attempts" in refused
    assert login(world, "bob", seconds=last_failure + 10) == world.users["bob"]  # per login
    assert login(world, "alice", seconds=last_failure + lockout - 1).startswith("Too many")
    assert login(world, "alice", seconds=last_failure + lockout + 1) == world.users["alice"]
    with world.registry.env(readonly=True) as env:
        audits = env["mail.message"].search([("message_type", "=", "audit"), ("body", "ilike", "alice")], order="id")
        subjects = [m.subject for m in audits]
    assert subjects == ["Login failed"] * limit + ["Login refused: too many failed attempts"] * 2 + ["Logged in"]


def test_failures_outside_the_window_do_not_count(world):
    limit, window = world.settings["login_max_failures"], world.settings["login_window_seconds"]
    for index in range(limit - 1):
        login(world, "alice", "wrong-password", seconds=index)
    late = window + 60  # the first failures are out of the window by now
    for index in range(limit - 1):
        login(world, "alice", "wrong-password", seconds=late + index)
    assert login(world, "alice", seconds=late + limit) == world.users["alice"]


def test_unknown_login_is_throttled_and_answered_like_a_wrong_password(world):
    limit = world.settings["login_max_failures"]
    answers = {login(world, "mallory", "whatever-pass", seconds=s) for s in range(limit)}
    assert answers == {"Wrong login or password"}
    assert login(world, "mallory", "whatever-pass", seconds=limit).startswith("Too many failed attempts")


def test_disabled_user_cannot_log_in_nor_use_tokens(world):
    with world.registry.env() as env:
        token = env["res.users"].browse(world.users["alice"]).create_api_token()
    assert authenticate_token(world.registry, token) == world.users["alice"]
    with world.registry.env() as env:
        env["res.users"].browse(world.users["alice"]).write({"active": False})
    assert login(world, "alice") == "Wrong login or password"
    with pytest.raises(AccessError, match="disabled"):
        authenticate_token(world.registry, token)
    response = Client(KesherApp(world.registry)).get(f"/api/v1/{DOC}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    with world.registry.env() as env:
        env["res.users"].with_context(active_test=False).browse(world.users["alice"]).write({"active": True})
    assert login(world, "alice") == world.users["alice"]


# -- API tokens --------------------------------------------------------------------------------
def test_tokens_are_hashed_at_rest(world):
    with world.registry.env(user=world.users["alice"]) as env:
        token = env.user.create_api_token("laptop")
    assert token.startswith("ksr_") and len(token) > 40
    stored = raw_rows(world.registry, "res_users_apikey")
    assert len(stored) == 1 and token not in repr(stored)
    assert hashlib.sha256(token.encode()).hexdigest() in repr(stored)
    with world.registry.env(user=world.users["alice"], readonly=True) as env:
        key = env["res.users.apikey"].search([])
        assert key.name == "laptop" and token.startswith(key.prefix) and len(key.prefix) < 16
        assert "key_hash" not in key.read()[0]
        with pytest.raises(AccessError):
            key.key_hash
    assert authenticate_token(world.registry, token) == world.users["alice"]
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "ksr_" + "x" * 43, "", "Bearer " + token):
        with pytest.raises(AccessError, match="Invalid API token"):
            authenticate_token(world.registry, wrong)


def test_token_expiry(world):
    with world.registry.env() as env:
        alice = env["res.users"].browse(world.users["alice"])
        expiring = alice.create_api_token("one day", expires=T0 + dt.timedelta(days=1))
        lasting = alice.create_api_token("no expiry")
    assert authenticate_token(world.registry, expiring, now=T0) == world.users["alice"]
    assert authenticate_token(world.registry, expiring, now=T0 + dt.timedelta(hours=23)) == world.users["alice"]
    with pytest.raises(AccessError, match="expired"):
        authenticate_token(world.registry, expiring, now=T0 + dt.timedelta(days=1, seconds=1))
    assert authenticate_token(world.registry, lasting, now=T0 + dt.timedelta(days=3650)) == world.users["alice"]
    with world.registry.env() as env:
        yesterday = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
        expired = env["res.users"].browse(world.users["alice"]).create_api_token("old", expires=yesterday)
    response = Client(KesherApp(world.registry)).get(f"/api/v1/{DOC}", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.get_json()["error"]["message"]


def test_token_revocation(world):
    with world.registry.env() as env:
        alice = env["res.users"].browse(world.users["alice"])
        first, second = alice.create_api_token("first"), alice.create_api_token("second")
        bobs = env["res.users"].browse(world.users["bob"]).create_api_token("bob's")
    client = Client(KesherApp(world.registry))
    assert client.get(f"/api/v1/{DOC}", headers={"Authorization": f"Bearer {first}"}).status_code == 200
    with world.registry.env(user=world.users["alice"]) as env:
        keys = env["res.users.apikey"].search([])
        assert sorted(keys.mapped("name")) == ["first", "second"]  # her own only
        keys.filtered(lambda k: k.name == "first").revoke()
    with pytest.raises(AccessError, match="Invalid API token"):
        authenticate_token(world.registry, first)
    assert client.get(f"/api/v1/{DOC}", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert authenticate_token(world.registry, second) == world.users["alice"]
    with world.registry.env(readonly=True) as env:
        bob_key = env["res.users.apikey"].search([("user_id", "=", world.users["bob"])])
    with pytest.raises(AccessError) as info:  # nor can she revoke Bob's, even knowing its id
        with world.registry.env(user=world.users["alice"]) as env:
            env["res.users.apikey"].browse(bob_key.id).revoke()
    assert "res.users.apikey" in str(info.value)
    assert authenticate_token(world.registry, bobs) == world.users["bob"]


def test_tokens_are_made_for_oneself_only(world):
    with pytest.raises(AccessError) as info:
        with world.registry.env(user=world.users["alice"]) as env:
            env["res.users"].browse(world.users["bob"]).create_api_token("impersonation")
    assert "res.users.apikey" in str(info.value)
    with world.registry.env(readonly=True) as env:
        assert not env["res.users.apikey"].search([])
    with world.registry.env() as env:
        admin = env["res.users"].create({"login": "sysadmin", "name": "Sysadmin",
                                         "group_ids": [env.ref("base.group_system").id]}).id
    with world.registry.env(user=admin) as env:
        token = env["res.users"].browse(world.users["bob"]).create_api_token("issued by the administrator")
    assert authenticate_token(world.registry, token) == world.users["bob"]


def test_token_gives_the_users_rights_on_the_api(world):
    with world.registry.env() as env:
        token = env["res.users"].browse(world.users["bob"]).create_api_token()
    client = Client(KesherApp(world.registry))
    answer = client.get(f"/api/v1/{DOC}?fields=name", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [r["name"] for r in answer["records"]] == ["Bob contract"]
    assert client.get(f"/api/v1/{DOC}").status_code == 401
    assert client.get("/api/v1/res.users.apikey", headers={"Authorization": f"Bearer {token}"}).status_code == 404


# -- the command line -------------------------------------------------------------------------------
def kesher(db_url, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KESHER_", "PYTEST_"))}
    command = [sys.executable, "-m", "core.cli.main", "--db", db_url, "--addons-path", str(TEST_ADDONS), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_cli_prints_a_working_token(world):
    result = kesher(world.registry.db_url, "user", "token", "alice", "--name", "CI", "--expires-days", "2")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("ksr_") and "\n" not in token
    assert authenticate_token(world.registry, token) == world.users["alice"]
    with world.registry.env(readonly=True) as env:
        key = env["res.users.apikey"].search([])
        assert key.name == "CI" and key.user_id.id == world.users["alice"]
        remaining = key.expires - dt.datetime.now(dt.timezone.utc)
        assert dt.timedelta(days=1, hours=23) < remaining <= dt.timedelta(days=2)
    assert token not in repr(raw_rows(world.registry, "res_users_apikey"))
    result = kesher(world.registry.db_url, "user", "token", "nobody")
    assert result.returncode == 1 and "No active user with login 'nobody'" in result.stderr


def test_lockout_longer_than_the_window_is_kept(make_registry, db_url):
    """Failures that slide out of the window do not end a longer lockout before its time."""
    config = load_config(environ={"KESHER_SECURITY_LOGIN_WINDOW_SECONDS": "60",
                                  "KESHER_SECURITY_LOGIN_LOCKOUT_SECONDS": "900",
                                  "KESHER_SECURITY_LOGIN_MAX_FAILURES": "3"}).with_overrides(
        db_url=db_url, addons_paths=[str(TEST_ADDONS)])
    world = SimpleNamespace(registry=make_registry([], cfg=config))
    with world.registry.env() as env:
        user = env["res.users"].create({"login": "alice", "name": "Alice"})
        user.set_password(PASSWORD)
    for second in (0, 30, 50):
        login(world, "alice", "wrong-password", seconds=second)
    assert login(world, "alice", seconds=120).startswith("Too many")  # out of the window, still locked
    assert login(world, "alice", seconds=50 + 899).startswith("Too many")
    assert login(world, "alice", seconds=50 + 901) == user.id
    for second in (2000, 2070, 2140):  # three failures, but never three within 60 seconds
        login(world, "alice", "wrong-password", seconds=second)
    assert login(world, "alice", seconds=2141) == user.id
