"""Kesher's configuration: defaults, then a user TOML file, then environment variables.

``config/kesher.toml`` is both the defaults and the schema: a user file may only set the
sections and keys it lists, with values of the same type, so a typo is an error at start
rather than a setting silently ignored.
"""

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import core
from core.exceptions import ConfigError

DEFAULTS_PATH = Path(core.__file__).resolve().parent.parent / "config" / "kesher.toml"
ENV_PREFIX = "KESHER_"
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


@dataclass(frozen=True)
class Config:
    """Validated settings by section and key; immutable, lists are stored as tuples."""

    sections: MappingProxyType = field(repr=False)
    cwd: Path
    sources: tuple = ()

    def get(self, section, key):
        """The value of ``[section] key``; asking for an unknown key is a ConfigError."""
        try:
            return self.sections[section][key]
        except KeyError:
            raise ConfigError(f"unknown configuration key [{section}] {key}") from None

    def section(self, name):
        """A copy of one section as a dict."""
        if name not in self.sections:
            raise ConfigError(f"unknown configuration section [{name}]")
        return dict(self.sections[name])

    @property
    def db_url(self):
        """The database URL; empty means an SQLite file under ``<cwd>/var/``."""
        return self.get("database", "url") or f"sqlite:///{self.cwd / 'var' / 'kesher.sqlite3'}"

    @property
    def addons_paths(self):
        """The extra addons folders, absolute."""
        return [self.cwd / Path(entry).expanduser() for entry in self.get("addons", "path")]

    def with_overrides(self, db_url=None, addons_paths=None):
        """A new Config with command-line values replacing the configured ones (None: keep)."""
        sections = {name: dict(values) for name, values in self.sections.items()}
        if db_url is not None:
            sections["database"]["url"] = db_url
        if addons_paths is not None:
            sections["addons"]["path"] = tuple(
                str(self.cwd / Path(entry).expanduser()) for entry in addons_paths)
        return replace(self, sections=_freeze(sections))


def load_config(path=None, environ=os.environ):
    """Build the Config: defaults ← ``path`` (or ``$KESHER_CONFIG``) ← ``KESHER_*`` variables."""
    cwd = Path.cwd()
    sections = {name: dict(values) for name, values in _read_toml(DEFAULTS_PATH).items()}
    sources = [str(DEFAULTS_PATH)]
    path = path or environ.get(ENV_PREFIX + "CONFIG")
    if path:
        path = Path(path).expanduser()
        _merge_file(sections, path)
        sources.append(str(path))
    if environ.get(ENV_PREFIX + "DB"):
        sections["database"]["url"] = environ[ENV_PREFIX + "DB"]
    for section, values in sections.items():
        for key, default in values.items():
            variable = f"{ENV_PREFIX}{section.upper()}_{key.upper()}"
            if variable in environ:
                values[key] = _parse_env(variable, environ[variable], default)
    return Config(sections=_freeze(sections), cwd=cwd, sources=tuple(sources))


def _read_toml(path):
    """Parse a TOML file; a missing or malformed file is a ConfigError naming it."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None


def _merge_file(sections, path):
    """Overlay the user file on ``sections``, checking every section, key and type."""
    for section, values in _read_toml(path).items():
        if section not in sections:
            raise ConfigError(
                f"{path}: unknown section [{section}] (known: {', '.join(sections)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: [{section}] must be a table of keys")
        for key, value in values.items():
            if key not in sections[section]:
                raise ConfigError(f"{path}: unknown key '{key}' in section [{section}]")
            default = sections[section][key]
            if not _same_type(value, default):
                raise ConfigError(
                    f"{path}: [{section}] {key} must be {_describe(default)}, got {value!r}")
            if (section, key) == ("addons", "path"):
                value = [str(path.parent / Path(entry).expanduser()) for entry in value]
            sections[section][key] = value


def _same_type(value, default):
    """TOML value matches the default's type (bool and int are kept apart)."""
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return type(value) is type(default)


def _describe(default):
    """How an error message names the type a key expects."""
    if isinstance(default, list):
        return "a list of strings"
    return {bool: "true or false", int: "an integer", str: "a string"}[type(default)]


def _parse_env(variable, text, default):
    """Convert an environment variable to the type of the default it overrides."""
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        raise ConfigError(f"environment variable {variable} must be one of "
                          f"1/0/true/false/yes/no, got {text!r}")
    if isinstance(default, int):
        try:
            return int(text.strip())
        except ValueError:
            raise ConfigError(
                f"environment variable {variable} must be an integer, got {text!r}") from None
    if isinstance(default, list):
        return [item.strip() for item in text.split(",") if item.strip()]
    return text


def _freeze(sections):
    """Read-only mappings all the way down, lists turned into tuples."""
    return MappingProxyType({
        name: MappingProxyType({
            key: tuple(value) if isinstance(value, list) else value
            for key, value in values.items()})
        for name, values in sections.items()})
