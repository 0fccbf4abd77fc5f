"""The addon dependency graph: which addons to load, and in which order.

Everything is checked before anything is returned (missing addons, cycles, version
constraints), so an install either has a complete, consistent plan or does not start.
"""

import heapq

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from core.addons.manifest import split_depend
from core.exceptions import AddonError

BASE = "base"


def resolve(manifests, wanted):
    """Return the manifests to load for ``wanted`` (names), dependencies first.

    The set is the dependency closure of ``wanted`` and base, plus every auto_install
    addon whose dependencies are all in it (to a fixpoint). Among addons whose
    dependencies are loaded, the order is by name, so the plan is deterministic.
    """
    if isinstance(wanted, str):
        wanted = [wanted]
    if BASE not in manifests:
        raise AddonError("the base addon is not found in the addons path")
    for name in sorted(wanted):
        if name not in manifests:
            raise AddonError(f"unknown addon '{name}': it is not found in the addons path")
    selected = _closure(manifests, [BASE, *wanted])
    _add_auto_installs(manifests, selected)
    for name in sorted(selected):
        _check_versions(manifests, manifests[name])
    return [manifests[name] for name in _topological_order(manifests, selected)]


def dependents(manifests, names):
    """Names of the addons depending, directly or not, on any of ``names`` (excluded)."""
    reverse = {}
    for manifest in manifests.values():
        for dep in _deps(manifest):
            reverse.setdefault(dep, set()).add(manifest.name)
    result, todo = set(), list(names)
    while todo:
        for child in reverse.get(todo.pop(), ()):
            if child not in result:
                result.add(child)
                todo.append(child)
    return result - set(names)


def _deps(manifest):
    """Declared dependencies plus the implicit one on base, which every addon stands on."""
    names = list(manifest.depend_names)
    if manifest.name != BASE and BASE not in names:
        names.append(BASE)
    return names


def _closure(manifests, roots):
    """All addons reachable from ``roots``; a dependency not in ``manifests`` is an error."""
    selected, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in selected:
            continue
        selected.add(name)
        for dep in _deps(manifests[name]):
            if dep not in manifests:
                raise AddonError(
                    f"addon '{name}' depends on '{dep}', which is not found in the addons path")
            todo.append(dep)
    return selected


def _add_auto_installs(manifests, selected):
    """Add auto_install addons whose dependencies are all selected, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for name in sorted(manifests):
            manifest = manifests[name]
            if (manifest.auto_install and name not in selected
                    and all(dep in selected for dep in _deps(manifest))):
                selected.add(name)
                changed = True


def _check_versions(manifests, manifest):
    """Every version constraint of ``manifest`` must accept the version found."""
    for entry in manifest.depends:
        dep_name, constraint = split_depend(entry)
        if not constraint:
            continue
        found = manifests[dep_name]
        if not SpecifierSet(constraint).contains(Version(found.version), prereleases=True):
            raise AddonError(
                f"addon '{manifest.name}' requires '{dep_name}{constraint}', but version "
                f"{found.version} of '{dep_name}' is found in {found.path}")


def _topological_order(manifests, selected):
    """Kahn's algorithm over ``selected``, the smallest ready name first; a cycle is an error."""
    waiting = {name: set(_deps(manifests[name])) for name in selected}
    ready = [name for name, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        del waiting[name]
        for other, deps in waiting.items():
            if name in deps:
                deps.discard(name)
                if not deps:
                    heapq.heappush(ready, other)
    if waiting:
        raise AddonError(f"addon dependency cycle: {_find_cycle(waiting)}")
    return order


def _find_cycle(waiting):
    """Name one cycle among addons left waiting, as ``"a -> b -> a"``."""
    start = min(waiting)
    path, seen = [start], {start: 0}
    while True:
        following = min(dep for dep in waiting[path[-1]] if dep in waiting)
        if following in seen:
            cycle = path[seen[following]:] + [following]
            return " -> ".join(cycle)
        seen[following] = len(path)
        path.append(following)
