"""Build the plugin manager of one registry from its installed addons only."""
import importlib

import pluggy

from ..exceptions import RegistryError
from . import PROJECT, specs


def build_plugin_manager(manifests, modules):
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(specs)
    for manifest in manifests:
        if (manifest.path / "hookspecs.py").exists():
            manager.add_hookspecs(importlib.import_module(modules[manifest.name].__name__ + ".hookspecs"))
    for manifest in manifests:
        if (manifest.path / "hooks.py").exists():
            hooks_module = importlib.import_module(modules[manifest.name].__name__ + ".hooks")
            try:
                manager.register(hooks_module, name=manifest.name)
            except pluggy.PluginValidationError as exc:
                raise RegistryError(f"Addon {manifest.name!r}: bad hook implementation: {exc}") from None
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise RegistryError(f"A hook is implemented but no installed addon declares it: {exc}") from None
    return manager
