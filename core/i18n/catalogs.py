"""Message catalogs of addons: extract ``.pot`` templates, merge them into ``.po`` files, check them.

Where the files live (one gettext domain per addon, named after it):
- base and the repository's addons: ``i18n/<addon>.pot`` and
  ``i18n/<lang>/LC_MESSAGES/<addon>.po`` at the repository root;
- any other addon: the same layout inside its own folder (``<addon>/i18n/...``).

Base's sources are the whole ``core/`` package (the framework's own strings belong to
domain "base"); an addon's sources are its folder. Tests folders are never read.
"""
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from .extract import extract_jinja, extract_python, extract_xml
from .translate import CORE_DIR, REPO_DIR, REPO_I18N, clear_cache

PROJECT = "Kesher"
SKIPPED_FOLDERS = {"tests", "__pycache__", "static", "node_modules"}
TEMPLATE_SUFFIXES = (".html", ".jinja", ".j2")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]\w*\)[sdfr]|\$[A-Za-z_][\w.]*")


@dataclass
class CatalogReport:
    """What ``check_po`` found in one ``.po`` file."""

    addon: str
    lang: str
    path: Path
    total: int = 0
    untranslated: list = field(default_factory=list)
    fuzzy: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def translated(self):
        return self.total - len(self.untranslated) - len(self.fuzzy)


def in_repository(manifest):
    """True for base and the addons of the repository's ``addons/`` folder."""
    path = Path(manifest.path).resolve()
    return manifest.name == "base" or path.parent == (REPO_DIR / "addons").resolve()


def i18n_folder(manifest):
    return REPO_I18N if in_repository(manifest) else Path(manifest.path) / "i18n"


def template_path(manifest):
    return i18n_folder(manifest) / f"{manifest.name}.pot"


def po_path(manifest, lang):
    return i18n_folder(manifest) / lang / "LC_MESSAGES" / f"{manifest.name}.po"


def source_folder(manifest):
    return CORE_DIR if manifest.name == "base" else Path(manifest.path)


def source_files(folder):
    """The files an addon's strings are extracted from, in a stable order."""
    found = []
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and _method(path) is not None:
            found.append(path)
    return found


def _method(path):
    if path.suffix == ".py":
        return extract_python
    if path.suffix == ".xml":
        return extract_xml
    if path.suffix in TEMPLATE_SUFFIXES and "templates" in path.parts:
        return extract_jinja
    return None


def extract_catalog(manifest):
    """A template ``Catalog`` of every user-visible string of the addon's sources."""
    folder = source_folder(manifest)
    anchor = REPO_DIR if in_repository(manifest) else Path(manifest.path).parent
    catalog = Catalog(domain=manifest.name, project=PROJECT, version=manifest.version, fuzzy=False,
                      header_comment=f"# Translations template of the Kesher addon '{manifest.name}'.\n#")
    for path in source_files(folder):
        location = path.relative_to(anchor).as_posix()
        with open(path, "rb") as handle:
            try:
                messages = list(extract(_method(path), handle, comment_tags=(), options={}))
            except Exception as exc:
                raise ValueError(f"{location}: cannot extract messages: {exc}") from exc
        for lineno, message, comments, context in messages:
            catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(manifest):
    """Write ``<addon>.pot``; return ``(path, number of messages, changed?)``.

    The file is left untouched when its messages and locations did not change, so the
    creation date does not make a diff of its own.
    """
    catalog = extract_catalog(manifest)
    path = template_path(manifest)
    if path.is_file():
        with open(path, "rb") as handle:
            old = read_po(handle, domain=manifest.name)
        if _signature(old) == _signature(catalog):
            return path, len(catalog), False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, catalog)
    return path, len(catalog), True


def update_po(template, path, lang, domain, fuzzy_matching=False):
    """Merge ``template`` into the ``.po`` at ``path`` (created if missing), keeping translations.

    Messages gone from the template are dropped. With ``fuzzy_matching`` a new message
    similar to a known one gets its translation marked fuzzy, for a translator to confirm
    (off by default: with short UI labels the guesses are mostly wrong).
    """
    path = Path(path)
    if path.is_file():
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang, domain=domain)
    else:
        language = Locale.parse(lang).english_name
        catalog = Catalog(locale=lang, domain=domain, project=PROJECT, version=template.version, fuzzy=False,
                          header_comment=f"# {language} translations of the Kesher addon '{domain}'.\n#",
                          language_team=f"{language} <{lang}@kesher>", last_translator="Kesher translators")
    catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_header_comment=False)
    catalog.version = template.version
    catalog.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, catalog, ignore_obsolete=True)
    clear_cache()
    return check_po(path, domain, lang)


def update_catalog(manifest, lang, fuzzy_matching=False):
    """Merge the addon's ``.pot`` (extracted first if missing) into its ``.po`` for ``lang``."""
    pot = template_path(manifest)
    if not pot.is_file():
        write_template(manifest)
    with open(pot, "rb") as handle:
        template = read_po(handle, domain=manifest.name)
    return update_po(template, po_path(manifest, lang), lang, manifest.name, fuzzy_matching)


def check_po(path, addon=None, lang=None):
    """Parse one ``.po`` and list its untranslated and fuzzy entries and its errors."""
    path = Path(path)
    addon = addon or path.stem
    lang = lang or path.parent.parent.name
    report = CatalogReport(addon, lang, path)
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang, domain=addon, abort_invalid=True)
    except Exception as exc:
        report.errors.append(f"cannot be read: {exc}")
        return report
    for message in catalog:
        if not message.id:
            continue
        report.total += 1
        text = message.string if isinstance(message.string, str) else "".join(message.string or ())
        if not text.strip():
            report.untranslated.append(message.id)
        elif message.fuzzy:
            report.fuzzy.append(message.id)
        else:
            report.errors.extend(_placeholder_errors(message.id, text, message.lineno))
    for message, errors in catalog.check():
        report.errors.extend(f"line {message.lineno}: {error}" for error in errors)
    return report


def catalog_files(manifest):
    """``{lang: path}`` of the addon's existing ``.po`` files."""
    folder = i18n_folder(manifest)
    return {path.parent.parent.name: path
            for path in sorted(folder.glob(f"*/LC_MESSAGES/{manifest.name}.po"))}


def _placeholder_errors(msgid, msgstr, lineno):
    wanted, given = sorted(_PLACEHOLDER.findall(msgid)), sorted(_PLACEHOLDER.findall(msgstr))
    if wanted == given:
        return []
    return [f"line {lineno}: placeholders {wanted} of {msgid!r} became {given}"]


def _signature(catalog):
    return [(m.id, m.context, tuple(m.locations), tuple(m.auto_comments)) for m in catalog if m.id]


def _write(path, catalog, ignore_obsolete=False):
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=ignore_obsolete)
    Path(path).write_bytes(buffer.getvalue())
