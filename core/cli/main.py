"""The ``kesher`` command: databases, addons, users, jobs, shell and server.

Errors are one readable line on stderr and exit status 1; ``--debug`` shows tracebacks.
"""
import os
import secrets
import sys
from pathlib import Path

import click

from ..exceptions import KesherError


class Context:
    """What the global options chose: config, database, addons path."""

    def __init__(self, db, config_file, addons_path, debug):
        from ..config import load_config
        self.debug = debug
        config = load_config(config_file)
        paths = None
        if addons_path:
            paths = list(config.get("addons", "path")) + [p for p in addons_path.split(",") if p]
        self.config = config.with_overrides(db_url=db, addons_paths=paths)

    def registry(self):
        from ..addons.manager import load_registry
        return load_registry(self.config)


def progress(label, items):
    """A progress bar on stderr for long work (installing addons, loading data)."""
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 2:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr,
                           item_show_func=lambda m: getattr(m, "name", None)) as bar:
        yield from bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="KESHER_DB", help="Database URL (default: an SQLite file under ./var/).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration file (TOML).")
@click.option("--addons-path", help="Extra folders of addons, separated by commas.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx, db, config_file, addons_path, debug):
    """Kesher: the marketing & sales ERP."""
    ctx.obj = Context(db, config_file, addons_path, debug)


@cli.command()
@click.option("--addons", default="", help="Addons to install besides base, separated by commas; "
                                           "'all' for every addon Kesher finds.")
@click.option("--demo", is_flag=True, help="Load demo data.")
@click.option("--lang", type=click.Choice(["he", "en"]), default=None, help="Language of the company and admin.")
@click.pass_obj
def init(obj, addons, demo, lang):
    """Create a database with base (and the given addons) installed."""
    from ..addons.manager import available, init_database
    names = [n.strip() for n in addons.split(",") if n.strip()]
    if names == ["all"]:
        names = sorted(name for name in available(obj.config) if name != "base")
    registry = init_database(obj.config, names, demo=demo, lang=lang, progress=progress)
    password = os.environ.get("KESHER_ADMIN_PASSWORD")
    with registry.env() as env:
        admin = env.ref("base.user_admin")
        if lang:
            admin.write({"lang": lang})
            env.ref("base.main_company").write({"lang": lang})
        if password or not admin.sudo().password_hash:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            admin.set_password(password)
            if generated:
                click.echo(f"Administrator login: admin  password: {password}  (shown once)")
    click.echo(f"Database ready: {len(registry.addons)} addon(s) installed on {_safe_url(obj.config.db_url)}")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--demo/--no-demo", default=None, help="Load demo data (default: as the database was created).")
@click.pass_obj
def install(obj, names, demo):
    """Install addons and what they depend on."""
    from ..addons.manager import install as do_install
    registry = do_install(obj.config, list(names), demo=demo, progress=progress)
    click.echo(f"Installed: {', '.join(names)} ({len(registry.addons)} addon(s) now installed)")


@cli.command()
@click.argument("names", nargs=-1)
@click.pass_obj
def upgrade(obj, names):
    """Upgrade addons (all installed ones when none is named)."""
    from ..addons.manager import upgrade as do_upgrade
    registry = do_upgrade(obj.config, list(names) or None, progress=progress)
    click.echo(f"Upgraded: {', '.join(names) if names else 'all'} ({len(registry.addons)} addon(s) installed)")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--cascade", is_flag=True, help="Also uninstall the addons that depend on these.")
@click.option("--purge", is_flag=True, help="Also drop the tables and columns of these addons (data is lost).")
@click.pass_obj
def uninstall(obj, names, cascade, purge):
    """Uninstall addons: their data records go, their tables stay unless --purge."""
    from ..addons.manager import uninstall as do_uninstall
    registry = do_uninstall(obj.config, list(names), cascade=cascade, purge=purge)
    click.echo(f"Uninstalled: {', '.join(names)} ({len(registry.addons)} addon(s) still installed)")


@cli.command()
@click.pass_obj
def addons(obj):
    """List the addons Kesher can see, with their state on this database."""
    from ..addons import state
    from ..addons.manager import available
    from ..orm.database import make_engine
    manifests = available(obj.config)
    engine = make_engine(obj.config.db_url)
    try:
        with engine.connect() as connection:
            states = state.all_states(connection)
    finally:
        engine.dispose()
    rows = [(m.name, states.get(m.name, ("not installed", None))[0], m.version, m.summary)
            for m in sorted(manifests.values(), key=lambda m: m.name)]
    widths = [max(len(str(r[i])) for r in rows + [("name", "state", "version", "")]) for i in range(3)]
    click.echo(f"{'name':{widths[0]}}  {'state':{widths[1]}}  {'version':{widths[2]}}  summary")
    for name, status, version, summary in rows:
        click.echo(f"{name:{widths[0]}}  {status:{widths[1]}}  {version:{widths[2]}}  {summary}")


@cli.command()
@click.option("-c", "--command", "command", help="Run this Python code with `env` and exit (commits).")
@click.pass_obj
def shell(obj, command):
    """A Python shell with `env` (superuser) ready; `env.commit()` to save."""
    registry = obj.registry()
    env = registry.env()
    namespace = {"env": env, "registry": registry}
    try:
        if command:
            exec(compile(command, "<kesher shell>", "exec"), namespace)  # noqa: S102 - the user's own code
            env.commit()
        else:
            import code
            code.interact(banner=f"Kesher shell: env = {len(registry.models)} models; env.commit() to save",
                          local=namespace)
    finally:
        env.close()


@cli.command()
@click.argument("name")
@click.option("--dest", type=click.Path(file_okay=False), default=None,
              help="Folder to create the addon in (default: the first addons path, else ./addons).")
@click.pass_obj
def scaffold(obj, name, dest):
    """Create a working addon skeleton (a model extension, a view-less data file, a test)."""
    from .scaffold import create_addon
    folder = Path(dest) if dest else (obj.config.addons_paths[0] if obj.config.addons_paths else Path("addons"))
    path = create_addon(name, folder)
    click.echo(f"Created addon {name!r} in {path}")


@cli.command()
@click.option("--once", is_flag=True, help="Run the due jobs once and exit.")
@click.option("--interval", default=60, show_default=True, help="Seconds between two rounds.")
@click.pass_obj
def cron(obj, once, interval):
    """Run scheduled jobs (once, or as a loop)."""
    from ..jobs.runner import run_due_jobs, run_forever
    registry = obj.registry()
    if once:
        for code, outcome in run_due_jobs(registry):
            click.echo(f"{code}: {outcome}")
    else:
        run_forever(registry, interval=interval)


@cli.command()
@click.option("--write", is_flag=True, help="Write docs/hooks.md and each addon's hooks.md.")
@click.pass_obj
def hooks(obj, write):
    """List every hook declared by the core and the addons, and when it fires."""
    from ..hooks.docs import hook_docs, hook_list
    if not write:
        click.echo(hook_list(obj.config))
        return
    for path, text in hook_docs(obj.config).items():
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")


from .i18n import i18n  # noqa: E402
from .serve import serve  # noqa: E402  (commands of their own files)
from .user import user  # noqa: E402

cli.add_command(user)
cli.add_command(serve)
cli.add_command(i18n)


def _safe_url(url):
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


def main(argv=None):
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="kesher", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KesherError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a database that cannot be reached, a broken file...
        if debug:
            raise
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        click.echo(f"Error: {type(exc).__name__}: {message} (run with --debug for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
