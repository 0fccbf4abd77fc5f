"""Manifests, discovery, import and dependency resolution of addons."""

import importlib
import json
import sys
from pathlib import Path

import pytest

from core.addons import discovery
from core.addons.discovery import discover, import_addon
from core.addons.graph import dependents, resolve
from core.addons.manifest import Manifest
from core.exceptions import AddonError


def toml_value(value):
    """TOML for the few value types manifests use (JSON strings/arrays are valid TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def write_addon(root, folder, init="", **keys):
    """Create ``root/folder`` with a manifest of ``keys`` and an ``__init__.py``."""
    path = Path(root) / folder
    path.mkdir(parents=True, exist_ok=True)
    keys.setdefault("name", folder)
    keys.setdefault("version", "1.0")
    lines = [f"{key} = {toml_value(value)}" for key, value in keys.items() if value is not None]
    (path / "manifest.toml").write_text("\n".join(lines) + "\n")
    (path / "__init__.py").write_text(init)
    return path


def make(name, *depends, version="1.0", auto_install=False):
    """A manifest built in memory, for graph tests."""
    return Manifest(name=name, version=version, depends=tuple(depends),
                    auto_install=auto_install, path=Path("/addons") / name,
                    module_name=f"addons.{name}")


def graph(*manifests):
    return {m.name: m for m in (make("base"), *manifests)}


def names(plan):
    return [m.name for m in plan]


@pytest.fixture
def layout(tmp_path, monkeypatch):
    """An isolated base addon and repo addons folder; sys.modules restored afterwards."""
    base = write_addon(tmp_path / "core", "base")
    repo = tmp_path / "repo_addons"
    repo.mkdir()
    monkeypatch.setattr(discovery, "BASE_PATH", base)
    monkeypatch.setattr(discovery, "REPO_ADDONS_PATH", repo)
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("kesher_"):
            del sys.modules[name]


# --- manifest ---------------------------------------------------------------------------

def test_manifest_reads_every_key(tmp_path):
    path = write_addon(tmp_path, "sales", summary="Sales", depends=["stock>=1.0", "bpm"],
                       data=["data/stages.xml"], demo=[], auto_install=True, license="MIT")
    (path / "data").mkdir()
    (path / "data/stages.xml").write_text("<data/>")
    manifest = Manifest.from_file(path / "manifest.toml", "addons.sales")
    assert manifest.name == "sales" and manifest.version == "1.0"
    assert manifest.summary == "Sales" and manifest.license == "MIT"
    assert manifest.depends == ("stock>=1.0", "bpm")
    assert manifest.depend_names == ("stock", "bpm")
    assert manifest.data == ("data/stages.xml",) and manifest.demo == ()
    assert manifest.auto_install is True
    assert manifest.path == path and manifest.module_name == "addons.sales"


def test_manifest_defaults(tmp_path):
    path = write_addon(tmp_path, "crm")
    manifest = Manifest.from_file(path / "manifest.toml", "addons.crm")
    assert (manifest.summary, manifest.depends, manifest.data, manifest.demo) == ("", (), (), ())
    assert manifest.auto_install is False and manifest.license == "LGPL-3.0-or-later"


@pytest.mark.parametrize("keys, message", [
    ({"name": None}, "key 'name' is required"),
    ({"version": None}, "key 'version' is required"),
    ({"colour": "red"}, "key 'colour' is unknown"),
    ({"version": 1}, "key 'version' must be a string, got 1"),
    ({"summary": ["x"]}, "key 'summary' must be a string"),
    ({"depends": "sales"}, "key 'depends' must be a list of strings"),
    ({"depends": [1]}, "key 'depends' must be a list of strings"),
    ({"auto_install": 1}, "key 'auto_install' must be true or false"),
    ({"license": False}, "key 'license' must be a string"),
    ({"data": ["data/missing.xml"]}, "key 'data' entry 'data/missing.xml' does not exist"),
    ({"demo": ["demo/missing.xml"]}, "key 'demo' entry 'demo/missing.xml' does not exist"),
    ({"data": ["../x.xml"]}, "key 'data' entry '../x.xml' must be a path relative"),
    ({"data": ["/etc/passwd"]}, "key 'data' entry '/etc/passwd' must be a path relative"),
    ({"version": "one"}, "key 'version' must be a version like '1.0.2', got 'one'"),
    ({"name": "my-addon"}, "key 'name' must be a valid Python identifier"),
    ({"depends": ["sales>>1"]}, "key 'depends' entry 'sales>>1' has an invalid version"),
    ({"depends": ["!!"]}, "key 'depends' entry '!!' is not an addon name"),
    ({"depends": ["sales", "sales>=1"]}, "key 'depends' lists 'sales' twice"),
])
def test_manifest_errors_name_file_and_key(tmp_path, keys, message):
    path = write_addon(tmp_path, "x", **keys)
    with pytest.raises(AddonError) as error:
        Manifest.from_file(path / "manifest.toml", "addons.x")
    assert message in str(error.value)
    assert str(path / "manifest.toml") in str(error.value)


def test_manifest_invalid_toml_and_missing_file(tmp_path):
    (tmp_path / "manifest.toml").write_text("name = \n")
    with pytest.raises(AddonError, match="invalid TOML"):
        Manifest.from_file(tmp_path / "manifest.toml", "x")
    with pytest.raises(AddonError, match="manifest file not found"):
        Manifest.from_file(tmp_path / "nope" / "manifest.toml", "x")


# --- discovery --------------------------------------------------------------------------

def test_discover_base_repo_and_paths(layout):
    write_addon(layout / "repo_addons", "sales")
    (layout / "repo_addons" / "not_an_addon").mkdir()
    write_addon(layout / "extra", "custom")
    found = discover([layout / "extra"], use_entry_points=False)
    assert sorted(found) == ["base", "custom", "sales"]
    assert found["base"].module_name == "core.base"
    assert found["sales"].module_name == "addons.sales"
    assert found["custom"].module_name == "kesher_addons.custom"
    assert found["custom"].path == layout / "extra" / "custom"


def test_discover_real_base_is_core_base():
    assert discovery.BASE_PATH == Path(discovery.__file__).resolve().parent.parent / "base"


def test_discover_without_base_fails(layout, monkeypatch):
    monkeypatch.setattr(discovery, "BASE_PATH", layout / "nowhere")
    with pytest.raises(AddonError, match="the base addon is missing"):
        discover([], use_entry_points=False)


def test_discover_duplicate_names_both_paths(layout):
    write_addon(layout / "one", "sales")
    write_addon(layout / "two", "sales")
    with pytest.raises(AddonError) as error:
        discover([layout / "one", layout / "two"], use_entry_points=False)
    message = str(error.value)
    assert "addon 'sales' is found twice" in message
    assert str(layout / "one" / "sales") in message and str(layout / "two" / "sales") in message


def test_discover_same_folder_twice_counts_once(layout):
    write_addon(layout / "one", "sales")
    found = discover([layout / "one", layout / "one"], use_entry_points=False)
    assert sorted(found) == ["base", "sales"]


def test_discover_folder_must_match_name(layout):
    write_addon(layout / "one", "sales", name="selling")
    with pytest.raises(AddonError, match="'selling' but the folder is named 'sales'"):
        discover([layout / "one"], use_entry_points=False)


def test_discover_path_must_be_folder(layout):
    with pytest.raises(AddonError, match="is not a folder"):
        discover([layout / "missing"], use_entry_points=False)


def make_distribution(site, entry_points, package=None):
    """A fake installed distribution in ``site`` declaring ``kesher.addons`` entry points."""
    info = site / "kesher_fake_dist-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kesher-fake-dist\nVersion: 1.0\n")
    lines = "\n".join(f"{name} = {module}" for name, module in entry_points.items())
    (info / "entry_points.txt").write_text(f"[kesher.addons]\n{lines}\n")


def test_discover_entry_points(layout, monkeypatch):
    site = layout / "site"
    write_addon(site, "kesher_ep_pkg", name="ep_pricing", init="LOADED = True\n")
    make_distribution(site, {"ep_pricing": "kesher_ep_pkg"})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    found = discover([], use_entry_points=True)
    manifest = found["ep_pricing"]
    assert manifest.module_name == "kesher_ep_pkg"
    assert manifest.path == site / "kesher_ep_pkg"
    assert "kesher_ep_pkg" not in sys.modules  # discovery reads, never imports
    assert import_addon(manifest).LOADED is True
    assert "ep_pricing" not in discover([], use_entry_points=False)


def test_discover_entry_point_name_must_match_manifest(layout, monkeypatch):
    site = layout / "site"
    write_addon(site, "kesher_ep_pkg2", name="something_else")
    make_distribution(site, {"ep_other": "kesher_ep_pkg2"})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    with pytest.raises(AddonError, match="named 'ep_other' but .* declares name 'something_else'"):
        discover([])


@pytest.mark.parametrize("module, message", [
    ("kesher_ep_nowhere", "module 'kesher_ep_nowhere' not found"),
    ("kesher_ep_bare", "no manifest.toml in"),
])
def test_discover_entry_point_errors(layout, monkeypatch, module, message):
    site = layout / "site"
    (site / "kesher_ep_bare").mkdir(parents=True)
    (site / "kesher_ep_bare" / "__init__.py").write_text("")
    make_distribution(site, {"ep_bad": module})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    with pytest.raises(AddonError) as error:
        discover([])
    assert "entry point 'ep_bad" in str(error.value) and message in str(error.value)


def test_entry_point_clashing_with_path_addon(layout, monkeypatch):
    site = layout / "site"
    write_addon(site, "kesher_ep_pkg3", name="sales")
    make_distribution(site, {"sales": "kesher_ep_pkg3"})
    write_addon(layout / "repo_addons", "sales")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    with pytest.raises(AddonError, match="addon 'sales' is found twice"):
        discover([])


# --- import -----------------------------------------------------------------------------

def test_import_addon_from_path_with_relative_import(layout):
    path = write_addon(layout / "extra", "rel_addon", init="from .models import VALUE\n")
    (path / "models.py").write_text("VALUE = 42\n")
    manifest = discover([layout / "extra"], use_entry_points=False)["rel_addon"]
    module = import_addon(manifest)
    assert module.VALUE == 42
    assert module.__name__ == "kesher_addons.rel_addon"
    assert sys.modules["kesher_addons"].rel_addon is module
    assert sys.modules["kesher_addons.rel_addon.models"].VALUE == 42
    assert import_addon(manifest) is module
    assert importlib.import_module("kesher_addons.rel_addon") is module


def test_import_addon_same_name_other_folder(layout):
    write_addon(layout / "one", "twin", init="WHERE = 1\n")
    write_addon(layout / "two", "twin", init="WHERE = 2\n")
    import_addon(discover([layout / "one"], use_entry_points=False)["twin"])
    with pytest.raises(AddonError, match="already loaded from"):
        import_addon(discover([layout / "two"], use_entry_points=False)["twin"])


def test_import_addon_failure_is_addon_error_and_not_cached(layout):
    path = write_addon(layout / "extra", "broken", init="import kesher_no_such_module\n")
    manifest = discover([layout / "extra"], use_entry_points=False)["broken"]
    with pytest.raises(AddonError, match="addon 'broken' cannot be imported .*ModuleNotFoundError"):
        import_addon(manifest)
    assert "kesher_addons.broken" not in sys.modules
    (path / "__init__.py").write_text("FIXED = True\n")
    assert import_addon(manifest).FIXED is True


def test_import_addon_without_init(layout):
    path = write_addon(layout / "extra", "noinit")
    (path / "__init__.py").unlink()
    manifest = discover([layout / "extra"], use_entry_points=False)["noinit"]
    with pytest.raises(AddonError, match="has no __init__.py"):
        import_addon(manifest)


def test_import_addon_regular_module(layout, monkeypatch):
    site = layout / "site"
    write_addon(site, "kesher_plain_pkg", init="from . import sub\n")
    (site / "kesher_plain_pkg" / "sub.py").write_text("X = 'x'\n")
    monkeypatch.syspath_prepend(str(site))
    manifest = Manifest.from_file(site / "kesher_plain_pkg" / "manifest.toml", "kesher_plain_pkg")
    assert import_addon(manifest).sub.X == "x"


# --- resolve ----------------------------------------------------------------------------

def test_resolve_closure_in_dependency_order():
    manifests = graph(make("bpm"), make("stock", "bpm"), make("sales", "stock"),
                      make("hr", "bpm"), make("crm", "hr"), make("pricelist", "sales"))
    assert names(resolve(manifests, ["sales"])) == ["base", "bpm", "stock", "sales"]
    assert names(resolve(manifests, ["crm", "pricelist"])) == [
        "base", "bpm", "hr", "crm", "stock", "sales", "pricelist"]


def test_resolve_base_always_first_and_included():
    manifests = graph(make("aardvark"))
    assert names(resolve(manifests, [])) == ["base"]
    assert names(resolve(manifests, "aardvark")) == ["base", "aardvark"]


def test_resolve_is_deterministic_by_name():
    manifests = graph(make("zeta"), make("alpha"), make("mid", "zeta", "alpha"))
    assert names(resolve(manifests, ["mid"])) == ["base", "alpha", "zeta", "mid"]


def test_resolve_auto_install_fixpoint():
    manifests = graph(make("sales"), make("crm"),
                      make("sale_crm", "sales", "crm", auto_install=True),
                      make("sale_crm_report", "sale_crm", auto_install=True),
                      make("sale_hr", "sales", "hr", auto_install=True), make("hr"),
                      make("always", auto_install=True))
    assert names(resolve(manifests, ["sales"])) == ["base", "always", "sales"]
    assert names(resolve(manifests, ["sales", "crm"])) == [
        "base", "always", "crm", "sales", "sale_crm", "sale_crm_report"]


def test_resolve_unknown_addon():
    with pytest.raises(AddonError, match="unknown addon 'nope': it is not found in the addons"):
        resolve(graph(), ["nope"])


def test_resolve_without_base():
    with pytest.raises(AddonError, match="base addon is not found"):
        resolve({"x": make("x")}, ["x"])


def test_resolve_missing_dependency():
    manifests = graph(make("sales", "stock"))
    with pytest.raises(AddonError) as error:
        resolve(manifests, ["sales"])
    assert str(error.value) == (
        "addon 'sales' depends on 'stock', which is not found in the addons path")


def test_resolve_cycle():
    manifests = graph(make("a", "b"), make("b", "c"), make("c", "b"), make("top", "a"))
    with pytest.raises(AddonError) as error:
        resolve(manifests, ["top"])
    assert str(error.value) == "addon dependency cycle: b -> c -> b"


def test_resolve_self_cycle():
    with pytest.raises(AddonError, match="cycle: a -> a"):
        resolve(graph(make("a", "a")), ["a"])


@pytest.mark.parametrize("constraint, version, ok", [
    (">=1.2", "1.2", True), (">=1.2", "1.10", True), (">=1.2", "1.1.9", False),
    ("==1.0", "1.0", True), ("==1.0", "1.0.0", True), ("==1.0", "1.0.1", False),
    ("<2", "1.99", True), ("<2", "2.0", False), (">=1.0,<2", "1.5", True),
    (">=1.0, <2", "2.1", False), ("!=1.3", "1.3", False), (">=1.0", "2.0rc1", True),
])
def test_resolve_version_constraints(constraint, version, ok):
    manifests = graph(make("sales", version=version), make("pricelist", f"sales{constraint}"))
    if ok:
        assert names(resolve(manifests, ["pricelist"])) == ["base", "sales", "pricelist"]
    else:
        with pytest.raises(AddonError) as error:
            resolve(manifests, ["pricelist"])
        assert str(error.value).startswith(
            f"addon 'pricelist' requires 'sales{constraint}', but version {version} of 'sales'")


def test_resolve_checks_auto_install_constraints():
    manifests = graph(make("sales"), make("glue", "sales>=2", auto_install=True))
    with pytest.raises(AddonError, match="addon 'glue' requires 'sales>=2'"):
        resolve(manifests, ["sales"])


def test_dependents_transitive():
    manifests = graph(make("bpm"), make("stock", "bpm"), make("sales", "stock>=1"),
                      make("hr", "bpm"), make("pricelist", "sales"), make("other"))
    assert dependents(manifests, {"stock"}) == {"sales", "pricelist"}
    assert dependents(manifests, ["bpm"]) == {"stock", "sales", "pricelist", "hr"}
    assert dependents(manifests, {"stock", "sales"}) == {"pricelist"}
    assert dependents(manifests, {"pricelist"}) == set()
    assert dependents(manifests, {"base"}) == set(manifests) - {"base"}
