"""``kesher i18n``: extract translation templates, merge them into catalogs, check catalogs.

The usual round: ``kesher i18n extract`` (writes ``i18n/<addon>.pot``), ``kesher i18n
update --lang he`` (merges into ``i18n/he/LC_MESSAGES/<addon>.po``, keeping what is
translated), translate the empty entries, then ``kesher i18n compile --strict``.
"""
import click

from ..exceptions import KesherError

SOURCE_LANG = "en"


def _manifests(obj, names):
    """The manifests of the named addons; none named: base and the repository's addons."""
    from ..addons.manager import available
    from ..i18n.catalogs import in_repository
    manifests = available(obj.config)
    unknown = sorted(set(names) - set(manifests))
    if unknown:
        raise click.UsageError(f"unknown addon(s): {', '.join(unknown)} (see `kesher addons`)")
    if names:
        return [manifests[name] for name in names]
    return [m for m in sorted(manifests.values(), key=lambda m: (m.name != "base", m.name)) if in_repository(m)]


@click.group()
def i18n():
    """Translation catalogs: extract, update, compile (check)."""


@i18n.command()
@click.argument("addons", nargs=-1)
@click.pass_obj
def extract(obj, addons):
    """Write the template (.pot) of each addon (default: base and the repository's addons)."""
    from ..i18n.catalogs import write_template
    for manifest in _manifests(obj, addons):
        try:
            path, count, changed = write_template(manifest)
        except ValueError as exc:
            raise KesherError(f"{manifest.name}: {exc}") from None
        click.echo(f"{manifest.name}: {count} message(s) in {path}{'' if changed else ' (unchanged)'}")


@i18n.command()
@click.option("--lang", "langs", multiple=True, default=("he",), show_default=True,
              help="Language to update (repeat for several).")
@click.option("--fuzzy", is_flag=True, help="Pre-fill new entries from similar known ones (marked fuzzy).")
@click.argument("addons", nargs=-1)
@click.pass_obj
def update(obj, langs, fuzzy, addons):
    """Merge each addon's template into its catalog per language, keeping existing translations."""
    from ..i18n.catalogs import update_catalog
    for manifest in _manifests(obj, addons):
        for lang in langs:
            report = update_catalog(manifest, lang, fuzzy_matching=fuzzy)
            click.echo(f"{manifest.name} [{lang}]: {report.total} message(s), {len(report.untranslated)} "
                       f"untranslated, {len(report.fuzzy)} fuzzy ({report.path})")


@i18n.command("compile")
@click.option("--strict", is_flag=True, help="Fail when a Hebrew entry is untranslated or fuzzy.")
@click.option("--lang", "langs", multiple=True, help="Only these languages (default: every catalog found).")
@click.option("--verbose", "-v", is_flag=True, help="List the untranslated and fuzzy entries.")
@click.argument("addons", nargs=-1)
@click.pass_obj
def compile_(obj, strict, langs, verbose, addons):
    """Check that every catalog parses and keeps its placeholders; count what is left to translate."""
    from ..i18n.catalogs import catalog_files, check_po
    failed = False
    for manifest in _manifests(obj, addons):
        for lang, path in catalog_files(manifest).items():
            if langs and lang not in langs:
                continue
            report = check_po(path, manifest.name, lang)
            click.echo(f"{manifest.name} [{lang}]: {report.translated}/{report.total} translated, "
                       f"{len(report.untranslated)} untranslated, {len(report.fuzzy)} fuzzy, "
                       f"{len(report.errors)} error(s)")
            for error in report.errors:
                click.echo(f"  error: {error}", err=True)
            if verbose:
                for msgid in report.untranslated:
                    click.echo(f"  untranslated: {msgid}")
                for msgid in report.fuzzy:
                    click.echo(f"  fuzzy: {msgid}")
            missing = report.untranslated or report.fuzzy
            failed = failed or bool(report.errors) or (strict and lang == "he" and bool(missing))
    if failed:
        raise click.exceptions.Exit(1)
