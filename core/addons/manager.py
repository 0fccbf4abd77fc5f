"""Install, upgrade and uninstall addons on a database, and load its registry.

Every operation checks the dependency plan first (missing addon, cycle, version clash:
nothing written), then builds a new registry and does schema, data and addon states in
one transaction, so a failure leaves the database as it was.
"""
import importlib.util
import logging

from packaging.version import Version

from ..exceptions import AddonError
from ..orm.database import make_engine
from ..orm.registry import Registry
from ..orm.schema import sync_schema
from . import state
from .discovery import discover
from .graph import dependents, resolve
from .xmldata import DataLoader
from .xmlids import delete_xmlids, module_xmlids

_logger = logging.getLogger(__name__)


def _no_progress(label, items):
    return items


def available(config):
    return discover(config.addons_paths)


def load_registry(config, engine=None):
    """The registry of the addons installed on the configured database."""
    engine = engine or make_engine(config.db_url)
    with engine.connect() as connection:
        installed = state.installed(connection)
    manifests = available(config)
    missing = sorted(set(installed) - set(manifests))
    if missing:
        raise AddonError(f"Installed addon(s) {', '.join(missing)} not found in the addons path")
    plan = [m for m in resolve(manifests, list(installed)) if m.name in installed]
    return Registry(plan, config, engine=engine)


def init_database(config, addons=(), demo=False, lang=None, progress=_no_progress):
    """Create the system tables and install base plus ``addons`` (idempotent)."""
    progress = progress or _no_progress
    resolve(available(config), ["base", *addons])  # a bad plan must not leave a half-initialised database
    engine = make_engine(config.db_url)
    with engine.begin() as connection:
        state.create_system_tables(connection)
        already = state.installed(connection)
    if "base" in already and not set(addons) - set(already):
        return load_registry(config, engine)
    return install(config, list(addons), demo=demo, lang=lang, progress=progress, engine=engine)


def install(config, names, demo=None, lang=None, progress=_no_progress, engine=None):
    progress = progress or _no_progress
    engine = engine or make_engine(config.db_url)
    with engine.connect() as connection:
        installed = state.installed(connection)
    manifests = available(config)
    if demo is None:
        demo = bool(installed.get("base", {}).get("demo"))
    plan = resolve(manifests, sorted(set(installed) | set(names)))
    new = [m for m in plan if m.name not in installed]
    registry = Registry(plan, config, engine=engine)

    def work(env):
        sync_schema(registry, env.session.connection())
        for manifest in progress("Installing addons", new):
            _load_addon_data(env, manifest, demo=demo, mode="init")
            state.set_state(env.session.connection(), manifest.name, "installed", manifest.version, demo)
            env.hooks.kesher_addon_installed(env=env, addon=manifest.name)
        env.hooks.kesher_registry_ready(env=env)

    registry.run(work, context={"lang": lang} if lang else None, retries=0)
    return registry


def upgrade(config, names=None, progress=_no_progress):
    """Upgrade ``names`` (all installed addons when None): migrations, schema, data."""
    progress = progress or _no_progress
    engine = make_engine(config.db_url)
    with engine.connect() as connection:
        installed = state.installed(connection)
    manifests = available(config)
    unknown = sorted(set(names or ()) - set(installed))
    if unknown:
        raise AddonError(f"Cannot upgrade {', '.join(unknown)}: not installed")
    plan = resolve(manifests, sorted(installed))
    targets = {m.name for m in plan} if not names else set(names) | {m.name for m in plan if m.name not in installed}
    registry = Registry(plan, config, engine=engine)

    def work(env):
        connection = env.session.connection()
        state.create_system_tables(connection)
        for manifest in plan:
            if manifest.name in installed and manifest.name in targets:
                _run_migrations(manifest, installed[manifest.name]["version"], "pre", connection)
        sync_schema(registry, connection)
        demo = bool(installed.get("base", {}).get("demo"))
        for manifest in progress("Upgrading addons", [m for m in plan if m.name in targets]):
            is_new = manifest.name not in installed
            _load_addon_data(env, manifest, demo=demo and is_new, mode="init" if is_new else "update")
            if not is_new:
                _run_migrations(manifest, installed[manifest.name]["version"], "post", env)
            state.set_state(env.session.connection(), manifest.name, "installed", manifest.version,
                            installed.get(manifest.name, {}).get("demo", demo))
        env.hooks.kesher_registry_ready(env=env)

    registry.run(work, retries=0)
    return registry


def uninstall(config, names, cascade=False, purge=False):
    """Remove addons' data records and states; tables stay unless ``purge``."""
    engine = make_engine(config.db_url)
    current = load_registry(config, engine)
    installed = set(current.addons)
    if "base" in names:
        raise AddonError("The base addon cannot be uninstalled")
    unknown = sorted(set(names) - installed)
    if unknown:
        raise AddonError(f"Cannot uninstall {', '.join(unknown)}: not installed")
    needing = sorted(dependents(current.addons, names) & installed)
    if needing and not cascade:
        raise AddonError(f"Cannot uninstall {', '.join(sorted(names))}: installed addon(s) "
                         f"{', '.join(needing)} depend on it (use --cascade to uninstall them too)")
    removed = set(names) | set(needing)
    remaining = [m for m in current.manifests if m.name not in removed]

    def work(env):
        for manifest in reversed(current.manifests):
            if manifest.name not in removed:
                continue
            env.hooks.kesher_addon_uninstalling(env=env, addon=manifest.name)
            _remove_addon_records(env, manifest.name)
            state.set_state(env.session.connection(), manifest.name, "uninstalled", None)
        if purge:
            from ..orm.purge import purge_addons
            purge_addons(current, remaining, removed, env.session.connection())

    current.run(work, retries=0)
    current.dispose()
    return Registry(remaining, config, engine=make_engine(config.db_url))


def _load_addon_data(env, manifest, demo, mode):
    loader = DataLoader(env, manifest.name, mode=mode, handlers=_tag_handlers(env))
    for relative in manifest.data:
        loader.load_file(manifest.path / relative)
    for relative in (manifest.demo if demo else ()):
        loader.load_file(manifest.path / relative, noupdate=True)  # an upgrade keeps demo records as they are
    if mode == "update":
        stale = [row for row in module_xmlids(env, manifest.name)
                 if (manifest.name, row.name) not in loader.loaded and row.model in env.registry.models]
        _unlink_rows(env, stale, keep_noupdate=True)
    env.flush()


def _tag_handlers(env):
    """Extra data-file elements contributed by installed addons (views, menus, access rows)."""
    handlers = {}
    for answer in env.hooks.kesher_data_tags(env=env):
        handlers.update(answer or {})
    return handlers


def _remove_addon_records(env, module):
    _unlink_rows(env, module_xmlids(env, module), keep_noupdate=False)


def _unlink_rows(env, rows, keep_noupdate):
    import sqlalchemy as sa
    from .state import model_data
    done = []
    for row in rows:
        if keep_noupdate:
            flag = env.execute(sa.select(model_data.c.noupdate).where(model_data.c.id == row.id)).scalar()
            if flag:
                continue
        if row.model in env.registry.models:
            env[row.model].sudo().browse(row.res_id).exists().unlink()
        done.append(row.id)
    delete_xmlids(env, done)


def _run_migrations(manifest, installed_version, stage, target):
    """Run ``migrations/<version>/<stage>.py`` of versions newer than the installed one."""
    folder = manifest.path / "migrations"
    if not folder.is_dir() or not installed_version:
        return
    current, latest = Version(installed_version), Version(manifest.version)
    versions = sorted((Version(p.name), p) for p in folder.iterdir() if p.is_dir() and _is_version(p.name))
    for version, path in versions:
        script = path / f"{stage}.py"
        if current < version <= latest and script.exists():
            spec = importlib.util.spec_from_file_location(f"kesher_migration_{manifest.name}_{stage}", script)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            _logger.info("migrating %s to %s (%s)", manifest.name, version, stage)
            module.migrate(target, installed_version)


def _is_version(text):
    try:
        Version(text)
        return True
    except ValueError:
        return False
