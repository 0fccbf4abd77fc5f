"""Finding addons (base, the repository's addons, the addons path, entry points) and importing them.

Discovery reads manifests only; nothing of an addon is imported until ``import_addon``.
Addons from the addons path live under the ``kesher_addons`` namespace so their names
cannot shadow installed Python packages.
"""

import importlib
import importlib.util
import sys
import types
from importlib.metadata import entry_points
from pathlib import Path

import core
from core.addons.manifest import MANIFEST_FILE, Manifest
from core.exceptions import AddonError

ENTRY_POINT_GROUP = "kesher.addons"
NAMESPACE = "kesher_addons"
CORE_DIR = Path(core.__file__).resolve().parent
BASE_PATH = CORE_DIR / "base"
REPO_ADDONS_PATH = CORE_DIR.parent / "addons"


def discover(paths=(), use_entry_points=True):
    """Return ``{name: Manifest}`` of every addon Kesher can see.

    The same addon name in two different folders is an error naming both: silently
    picking one would make the installed code depend on the order of the addons path.
    """
    found = {}
    base_manifest = BASE_PATH / MANIFEST_FILE
    if not base_manifest.is_file():
        raise AddonError(f"the base addon is missing: {base_manifest} not found")
    _add(found, Manifest.from_file(base_manifest, "core.base"))
    if REPO_ADDONS_PATH.is_dir():
        _scan(found, REPO_ADDONS_PATH, "addons")
    for folder in paths:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise AddonError(f"addons path entry {folder} is not a folder")
        _scan(found, folder, NAMESPACE)
    if use_entry_points:
        for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            _add(found, _from_entry_point(entry_point))
    return found


def _scan(found, folder, package):
    """Add every direct subfolder of ``folder`` holding a manifest, as ``<package>.<name>``."""
    for sub in sorted(folder.iterdir()):
        manifest_path = sub / MANIFEST_FILE
        if not manifest_path.is_file():
            continue
        manifest = Manifest.from_file(manifest_path, f"{package}.{sub.name}")
        if manifest.name != sub.name:
            raise AddonError(
                f"{manifest_path}: key 'name' is '{manifest.name}' but the folder is named "
                f"'{sub.name}'; they must be equal")
        _add(found, manifest)


def _from_entry_point(entry_point):
    """Read the manifest beside the module an entry point names, without importing the module."""
    where = f"entry point '{entry_point.name} = {entry_point.value}' (group {ENTRY_POINT_GROUP})"
    try:
        spec = importlib.util.find_spec(entry_point.module)
    except (ImportError, ValueError) as exc:
        raise AddonError(f"{where}: cannot locate module '{entry_point.module}': {exc}") from None
    if spec is None or not (spec.submodule_search_locations or spec.origin):
        raise AddonError(f"{where}: module '{entry_point.module}' not found")
    if spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
    else:
        folder = Path(spec.origin).parent
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise AddonError(f"{where}: no {MANIFEST_FILE} in {folder}")
    manifest = Manifest.from_file(manifest_path, entry_point.module)
    if manifest.name != entry_point.name:
        raise AddonError(
            f"{where}: the entry point is named '{entry_point.name}' but {manifest_path} "
            f"declares name '{manifest.name}'; they must be equal")
    return manifest


def _add(found, manifest):
    """Record ``manifest``; the same folder seen twice (e.g. repo + entry point) counts once."""
    other = found.get(manifest.name)
    if other is None:
        found[manifest.name] = manifest
    elif other.path.resolve() != manifest.path.resolve():
        raise AddonError(
            f"addon '{manifest.name}' is found twice: in {other.path} and in {manifest.path}")


def import_addon(manifest):
    """Import the addon's package and return it; importing twice returns the same module."""
    name = manifest.module_name
    module = sys.modules.get(name)
    if module is not None:
        _check_same_folder(module, manifest)
        return module
    try:
        if name.startswith(NAMESPACE + "."):
            return _import_from_path(manifest)
        if name.startswith("addons.") and "addons" not in sys.modules:
            register_repo_addons()
        return importlib.import_module(name)
    except AddonError:
        raise
    except Exception as exc:
        raise AddonError(
            f"addon '{manifest.name}' cannot be imported from {manifest.path}: "
            f"{type(exc).__name__}: {exc}") from exc


def register_repo_addons():
    """``addons.<name>`` imports from the repository's addons/ folder whatever the current
    directory (the ``kesher`` command does not run from the repository)."""
    package = types.ModuleType("addons", "The addons shipped in the repository's addons/ folder.")
    package.__path__ = [str(REPO_ADDONS_PATH)]
    sys.modules["addons"] = package


def _import_from_path(manifest):
    """Load ``kesher_addons.<name>`` from its folder, as a package so relative imports work."""
    namespace = sys.modules.get(NAMESPACE)
    if namespace is None:
        namespace = types.ModuleType(NAMESPACE, "Addons loaded from the addons path.")
        namespace.__path__ = []
        sys.modules[NAMESPACE] = namespace
    init = manifest.path / "__init__.py"
    if not init.is_file():
        raise AddonError(f"addon '{manifest.name}' has no __init__.py in {manifest.path}")
    spec = importlib.util.spec_from_file_location(
        manifest.module_name, init, submodule_search_locations=[str(manifest.path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[manifest.module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(manifest.module_name, None)
        raise
    setattr(namespace, manifest.module_name.rpartition(".")[2], module)
    return module


def _check_same_folder(module, manifest):
    """Refuse to reuse a module of the same name that was loaded from another folder."""
    module_file = getattr(module, "__file__", None)
    if module_file and Path(module_file).resolve().parent != manifest.path.resolve():
        raise AddonError(
            f"addon '{manifest.name}': module '{manifest.module_name}' is already loaded "
            f"from {Path(module_file).parent}, not from {manifest.path}")
