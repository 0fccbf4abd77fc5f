"""The ``kesher`` command, run for real in subprocesses from a fresh working folder.

Without ``--db`` the database is an SQLite file under ``./var/``; with the PostgreSQL case
of ``db_url`` every command gets ``--db``. Errors are one line on stderr and exit 1.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEST_ADDONS = Path(__file__).parent / "addons"
ADMIN_PASSWORD = "admin-secret-42"


def clean_environ():
    """The test process's environment without Kesher or pytest settings that would leak in."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("KESHER_", "PYTEST_"))}


def start(cwd, *args, db=None, stdin=None):
    """Start ``kesher [--db DB] ARGS`` in ``cwd``; ``finish`` waits for it."""
    env = {**clean_environ(), "KESHER_ADMIN_PASSWORD": ADMIN_PASSWORD}
    command = [sys.executable, "-m", "core.cli.main", *(["--db", db] if db else []), *args]
    process = subprocess.Popen(command, cwd=cwd, env=env, text=True, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return process, args, stdin


def finish(started, ok=True):
    process, args, stdin = started
    stdout, stderr = process.communicate(stdin, timeout=120)
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    if ok:
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{stdout}\n{stderr}"
    return result


def kesher(cwd, *args, db=None, stdin=None, ok=True):
    """Run ``kesher [--db DB] ARGS`` in ``cwd``; with ``ok`` it must exit 0."""
    return finish(start(cwd, *args, db=db, stdin=stdin), ok=ok)


def shell(cwd, code, *options, db=None):
    """Output lines of ``kesher shell -c CODE``."""
    return kesher(cwd, *options, "shell", "-c", code, db=db).stdout.split("\n")[:-1]


def one_line_error(result):
    """The error message of a failed command, checked to be one line and no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def addon_states(output):
    """``{name: state}`` from the table printed by ``kesher addons``."""
    lines = output.splitlines()
    assert lines[0].split() == ["name", "state", "version", "summary"]
    states = {}
    for line in lines[1:]:
        name, rest = line.split(None, 1)
        states[name] = "not installed" if rest.startswith("not installed") else rest.split()[0]
    return states


def server_db(db_url):
    """``--db`` for PostgreSQL; None for SQLite, so the default file under ./var/ is used."""
    return None if db_url.startswith("sqlite") else db_url


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A working folder with an initialised SQLite database (no --db: ./var/kesher.sqlite3)."""
    folder = tmp_path_factory.mktemp("project")
    kesher(folder, "init")
    return folder


def test_init_install_upgrade_uninstall(tmp_path, db_url):
    db = server_db(db_url)
    result = kesher(tmp_path, "init", "--demo", "--lang", "he", db=db)
    assert "Database ready" in result.stdout and ADMIN_PASSWORD not in result.stdout
    if db is None:
        assert (tmp_path / "var" / "kesher.sqlite3").is_file()

    paths = ("--addons-path", str(TEST_ADDONS))
    result = kesher(tmp_path, *paths, "install", "test_life_b", db=db)
    assert "Installed: test_life_b (3 addon(s) now installed)" in result.stdout
    states = addon_states(kesher(tmp_path, *paths, "addons", db=db).stdout)
    assert states["base"] == states["test_life_a"] == states["test_life_b"] == "installed"
    assert states["test_ext_a"] == "not installed"
    assert shell(tmp_path, f"""
admin = env.ref('base.user_admin')
print(admin.check_password({ADMIN_PASSWORD!r}), admin.check_password('wrong-password'))
print(admin.lang, env.ref('base.main_company').lang)
print(env.ref('base.partner_hq').name != '', env.ref('test_life_a.life_demo').name)
print(env.ref('test_life_b.note_one').text)
""", *paths, db=db) == ["True False", "he he", "True Demo life", "About one"]

    assert "Upgraded: all (3 addon(s) installed)" in kesher(tmp_path, *paths, "upgrade", db=db).stdout
    refused = one_line_error(kesher(tmp_path, *paths, "uninstall", "test_life_a", db=db, ok=False))
    assert "test_life_b" in refused and "--cascade" in refused
    result = kesher(tmp_path, *paths, "uninstall", "test_life_a", "--cascade", db=db)
    assert "Uninstalled: test_life_a (1 addon(s) still installed)" in result.stdout


def test_quick_start_database_has_every_shipped_addon_with_its_demo(tmp_path):
    """The README's first command: ``kesher init --demo --addons all`` installs base and
    every addon of the repository's addons/ folder, demo data included."""
    from core.addons.discovery import REPO_ADDONS_PATH
    shipped = sorted(p.name for p in REPO_ADDONS_PATH.iterdir() if (p / "manifest.toml").is_file()) \
        if REPO_ADDONS_PATH.is_dir() else []
    result = kesher(tmp_path, "init", "--demo", "--addons", "all")
    assert f"Database ready: {len(shipped) + 1} addon(s) installed" in result.stdout
    states = addon_states(kesher(tmp_path, "addons").stdout)
    assert all(states[name] == "installed" for name in ["base"] + shipped), states


def test_scaffolded_addon_installs_stores_its_field_and_passes_its_own_test(tmp_path):
    dest = tmp_path / "custom"
    result = kesher(tmp_path, "scaffold", "shop_notes", "--dest", str(dest))
    assert (dest / "shop_notes" / "manifest.toml").is_file() and "shop_notes" in result.stdout
    own_test = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 str(dest / "shop_notes" / "tests")], cwd=dest, env=clean_environ(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        paths = ("--addons-path", str(dest))
        kesher(tmp_path, "init")
        assert "Installed: shop_notes" in kesher(tmp_path, *paths, "install", "shop_notes").stdout
        shell(tmp_path, "env['res.partner'].create({'name': 'Noted', 'shop_notes_note': 'hello'})", *paths)
        assert shell(tmp_path, "print(env['res.partner'].search([('shop_notes_note', '=', 'hello')]).name)",
                     *paths) == ["Noted"]
    finally:
        output, _ = own_test.communicate(timeout=120)
    assert own_test.returncode == 0, output
    assert "1 passed" in output


def test_user_add_and_passwd_read_passwords_from_stdin(project):
    result = kesher(project, "user", "add", "dana", "--name", "Dana Levi", "--password-stdin",
                    stdin="dana-first-pass\n")
    assert "'dana' created" in result.stdout
    too_short = [start(project, "user", "passwd", "dana", "--password-stdin", stdin="short\n"),
                 start(project, "user", "add", "eli", "--name", "Eli", "--password-stdin", stdin="tiny\n")]
    for started in too_short:
        assert "at least 8 characters" in one_line_error(finish(started, ok=False))
    kesher(project, "user", "passwd", "dana", "--password-stdin", stdin="dana-second-pass\n")
    assert shell(project, """
dana = env['res.users'].search([('login', '=', 'dana')])
print(dana.name, dana.has_group('base.group_user'))
print(dana.check_password('dana-first-pass'), dana.check_password('dana-second-pass'))
print(env['res.users'].search_count([('login', '=', 'eli')]))
""") == ["Dana Levi True", "False True", "0"]


def test_errors_are_one_line_and_debug_shows_the_traceback(project, tmp_path):
    unknown = start(project, "install", "no_such_addon")
    debug = start(project, "--debug", "install", "no_such_addon")
    uninitialised = start(tmp_path, "shell", "-c", "print(1)")
    assert "no_such_addon" in one_line_error(finish(unknown, ok=False))
    debug = finish(debug, ok=False)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr and "AddonError" in debug.stderr
    message = one_line_error(finish(uninitialised, ok=False))
    assert "not initialised" in message and "kesher init" in message
