"""An addon's manifest: what it is and what it needs, read without importing the addon.

The manifest is validated strictly when read, so a typo in ``manifest.toml`` fails at
discovery with a message naming the file and the key, not later during an install.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from core.exceptions import AddonError

MANIFEST_FILE = "manifest.toml"
DEFAULT_LICENSE = "LGPL-3.0-or-later"

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEPEND_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(.*?)\s*")

# key -> (expected python type, description used in error messages)
_KEYS = {
    "name": (str, "a string"),
    "version": (str, "a string"),
    "summary": (str, "a string"),
    "depends": (list, "a list of strings"),
    "data": (list, "a list of strings"),
    "demo": (list, "a list of strings"),
    "auto_install": (bool, "true or false"),
    "license": (str, "a string"),
}
_REQUIRED = ("name", "version")


def split_depend(entry):
    """Split ``"sales>=1.0,<2"`` into ``("sales", ">=1.0,<2")``; ValueError if malformed.

    The constraint part is returned as written (may be empty); it is checked to be a
    valid PEP 440 specifier set so a bad constraint fails when the manifest is read.
    """
    match = _DEPEND_RE.fullmatch(entry)
    if not match:
        raise ValueError(f"'{entry}' is not an addon name with an optional version constraint")
    name, constraint = match.groups()
    if constraint:
        try:
            SpecifierSet(constraint)
        except InvalidSpecifier:
            raise ValueError(
                f"'{entry}' has an invalid version constraint '{constraint}'") from None
    return name, constraint


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """The validated content of one addon's ``manifest.toml`` plus where it was found."""

    name: str
    version: str
    path: Path
    module_name: str
    summary: str = ""
    depends: tuple = ()
    data: tuple = ()
    demo: tuple = ()
    auto_install: bool = False
    license: str = DEFAULT_LICENSE

    @property
    def depend_names(self):
        """The names of the addons this one depends on, without version constraints."""
        return tuple(split_depend(entry)[0] for entry in self.depends)

    @classmethod
    def from_file(cls, manifest_path, module_name):
        """Read and validate ``manifest_path``; every problem is an AddonError naming the file."""
        manifest_path = Path(manifest_path)
        try:
            with manifest_path.open("rb") as handle:
                raw = tomllib.load(handle)
        except FileNotFoundError:
            raise AddonError(f"{manifest_path}: manifest file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise AddonError(f"{manifest_path}: invalid TOML: {exc}") from None
        values = _validate(manifest_path, raw)
        return cls(path=manifest_path.parent, module_name=module_name, **values)


def _validate(manifest_path, raw):
    """Check keys, types and referenced files; return the keyword arguments of Manifest."""
    def fail(key, problem):
        raise AddonError(f"{manifest_path}: key '{key}' {problem}")

    for key in raw:
        if key not in _KEYS:
            fail(key, f"is unknown (known keys: {', '.join(_KEYS)})")
    for key in _REQUIRED:
        if key not in raw:
            fail(key, "is required")
    values = {}
    for key, value in raw.items():
        expected, described = _KEYS[key]
        if not isinstance(value, expected) or (
                expected is list and not all(isinstance(item, str) for item in value)):
            fail(key, f"must be {described}, got {value!r}")
        values[key] = tuple(value) if expected is list else value

    if not _NAME_RE.fullmatch(values["name"]):
        fail("name", f"must be a valid Python identifier, got '{values['name']}'")
    try:
        Version(values["version"])
    except InvalidVersion:
        fail("version", f"must be a version like '1.0.2', got '{values['version']}'")
    seen = set()
    for entry in values.get("depends", ()):
        try:
            dep_name, _ = split_depend(entry)
        except ValueError as exc:
            fail("depends", f"entry {exc}")
        if dep_name in seen:
            fail("depends", f"lists '{dep_name}' twice")
        seen.add(dep_name)
    for key in ("data", "demo"):
        for relative in values.get(key, ()):
            _check_data_file(manifest_path, key, relative, fail)
    return values


def _check_data_file(manifest_path, key, relative, fail):
    """A data/demo entry must be a relative path to an existing file inside the addon."""
    folder = manifest_path.parent
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        fail(key, f"entry '{relative}' must be a path relative to the addon folder")
    if not (folder / candidate).is_file():
        fail(key, f"entry '{relative}' does not exist in {folder}")
