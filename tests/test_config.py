"""Configuration: defaults, user file, environment variables, validation and overrides."""

from pathlib import Path

import pytest

import core
from core import config as config_module
from core.config import load_config
from core.exceptions import ConfigError

DEFAULTS = {
    "database": {"url": "", "echo": False},
    "addons": {"path": ()},
    "smtp": {"host": "localhost", "port": 25, "user": "", "password": "", "starttls": False,
             "ssl": False, "from": "kesher@localhost", "timeout": 30},
    "mail": {"max_retries": 5},
    "limits": {"page_size": 1000, "in_list": 10000, "domain_depth": 32},
    "security": {"password_min_length": 8, "login_max_failures": 5,
                 "login_window_seconds": 300, "login_lockout_seconds": 300},
    "web": {"host": "127.0.0.1", "port": 8069, "workers": 2, "secret_key": ""},
    "i18n": {"default_lang": "en"},
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(tmp_path, text, name="kesher.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_file_location():
    repo = Path(core.__file__).resolve().parent.parent
    assert config_module.DEFAULTS_PATH == repo / "config" / "kesher.toml"
    assert config_module.DEFAULTS_PATH.is_file()


def test_defaults(tmp_path):
    config = load_config(environ={})
    assert {name: dict(config.sections[name]) for name in config.sections} == DEFAULTS
    assert config.get("smtp", "port") == 25
    assert config.section("web") == DEFAULTS["web"]
    assert config.db_url == f"sqlite:///{tmp_path}/var/kesher.sqlite3"
    assert config.addons_paths == []


def test_section_is_a_copy():
    config = load_config(environ={})
    config.section("smtp")["port"] = 99
    assert config.get("smtp", "port") == 25
    with pytest.raises(TypeError):
        config.sections["smtp"]["port"] = 99


def test_unknown_key_or_section_asked():
    config = load_config(environ={})
    with pytest.raises(ConfigError, match=r"unknown configuration key \[smtp\] nope"):
        config.get("smtp", "nope")
    with pytest.raises(ConfigError, match=r"unknown configuration section \[nope\]"):
        config.section("nope")


def test_user_file_overrides_defaults(tmp_path):
    path = write(tmp_path, '[smtp]\nport = 587\nstarttls = true\n'
                           '[database]\nurl = "postgresql+psycopg://u@h/db"\n'
                           '[addons]\npath = ["extra", "/abs/addons"]\n')
    config = load_config(path, environ={})
    assert config.get("smtp", "port") == 587 and config.get("smtp", "starttls") is True
    assert config.get("smtp", "host") == "localhost"
    assert config.db_url == "postgresql+psycopg://u@h/db"
    assert config.addons_paths == [tmp_path / "extra", Path("/abs/addons")]
    assert config.sources[-1] == str(path)


def test_relative_addons_path_is_relative_to_the_file(tmp_path, monkeypatch):
    (tmp_path / "etc").mkdir()
    path = write(tmp_path / "etc", '[addons]\npath = ["../mine"]\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    config = load_config(path, environ={})
    assert [p.resolve() for p in config.addons_paths] == [tmp_path / "mine"]


def test_kesher_config_variable(tmp_path):
    path = write(tmp_path, "[web]\nport = 9000\n", name="other.toml")
    assert load_config(environ={"KESHER_CONFIG": str(path)}).get("web", "port") == 9000
    explicit = write(tmp_path, "[web]\nport = 9001\n", name="explicit.toml")
    config = load_config(explicit, environ={"KESHER_CONFIG": str(path)})
    assert config.get("web", "port") == 9001


@pytest.mark.parametrize("text, message", [
    ("[nope]\nx = 1\n", r"unknown section \[nope\]"),
    ("[smtp]\nportt = 1\n", r"unknown key 'portt' in section \[smtp\]"),
    ('[smtp]\nport = "25"\n', r"\[smtp\] port must be an integer, got '25'"),
    ("[smtp]\nport = true\n", r"\[smtp\] port must be an integer, got True"),
    ("[database]\necho = 1\n", r"\[database\] echo must be true or false, got 1"),
    ("[web]\nhost = 127\n", r"\[web\] host must be a string, got 127"),
    ('[addons]\npath = "x"\n', r"\[addons\] path must be a list of strings"),
    ("[addons]\npath = [1]\n", r"\[addons\] path must be a list of strings"),
    ("smtp = 1\n", r"\[smtp\] must be a table"),
    ("[smtp\n", r"is not valid TOML"),
])
def test_bad_user_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path, environ={})
    assert str(path) in str(error.value)


def test_missing_user_file(tmp_path):
    with pytest.raises(ConfigError, match="configuration file .*missing.toml not found"):
        load_config(tmp_path / "missing.toml", environ={})


def test_environment_overrides_file(tmp_path):
    path = write(tmp_path, "[smtp]\nport = 587\nhost = \"file\"\n")
    environ = {
        "KESHER_SMTP_PORT": "2525", "KESHER_SMTP_SSL": "yes", "KESHER_SMTP_STARTTLS": "0",
        "KESHER_DATABASE_ECHO": "TRUE", "KESHER_ADDONS_PATH": "a, /b ,,",
        "KESHER_WEB_SECRET_KEY": "s3cret", "KESHER_SMTP_FROM": "crm@example.com",
        "KESHER_UNRELATED": "ignored", "KESHER_ADMIN_PASSWORD": "ignored",
    }
    config = load_config(path, environ=environ)
    assert config.get("smtp", "port") == 2525 and config.get("smtp", "host") == "file"
    assert config.get("smtp", "ssl") is True and config.get("smtp", "starttls") is False
    assert config.get("database", "echo") is True
    assert config.get("addons", "path") == ("a", "/b")
    assert config.addons_paths == [tmp_path / "a", Path("/b")]
    assert config.get("web", "secret_key") == "s3cret"
    assert config.get("smtp", "from") == "crm@example.com"


@pytest.mark.parametrize("text, value", [
    ("1", True), ("true", True), ("Yes", True), ("0", False), ("false", False), ("NO", False)])
def test_environment_booleans(text, value):
    assert load_config(environ={"KESHER_SMTP_SSL": text}).get("smtp", "ssl") is value


@pytest.mark.parametrize("variable, text, message", [
    ("KESHER_SMTP_SSL", "maybe", "KESHER_SMTP_SSL must be one of 1/0/true/false/yes/no"),
    ("KESHER_WEB_PORT", "80a", "KESHER_WEB_PORT must be an integer, got '80a'"),
])
def test_environment_bad_values(variable, text, message):
    with pytest.raises(ConfigError) as error:
        load_config(environ={variable: text})
    assert message in str(error.value)


def test_kesher_db_shortcut():
    assert load_config(environ={"KESHER_DB": "sqlite:///x.db"}).db_url == "sqlite:///x.db"
    both = {"KESHER_DB": "sqlite:///short.db", "KESHER_DATABASE_URL": "sqlite:///long.db"}
    assert load_config(environ=both).db_url == "sqlite:///long.db"


def test_empty_url_is_sqlite_under_load_time_cwd(tmp_path, monkeypatch):
    config = load_config(environ={})
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert config.db_url == f"sqlite:///{tmp_path}/var/kesher.sqlite3"


def test_with_overrides(tmp_path):
    config = load_config(environ={"KESHER_ADDONS_PATH": "a"})
    changed = config.with_overrides(db_url="sqlite:///cli.db", addons_paths=["x", "/y"])
    assert changed.db_url == "sqlite:///cli.db"
    assert changed.addons_paths == [tmp_path / "x", Path("/y")]
    assert config.db_url.endswith("var/kesher.sqlite3")
    assert config.addons_paths == [tmp_path / "a"]
    assert config.with_overrides().addons_paths == [tmp_path / "a"]
    assert changed.get("smtp", "port") == 25


def test_config_is_frozen_and_hides_secrets():
    config = load_config(environ={"KESHER_SMTP_PASSWORD": "hunter2"})
    with pytest.raises(AttributeError):
        config.cwd = Path("/")
    assert "hunter2" not in repr(config)
