"""Translations: one gettext domain per addon, merged per language for the installed addons.

Catalogs are ``.po`` files, read and compiled in memory when first needed (no ``.mo``
build step): ``i18n/<lang>/LC_MESSAGES/<addon>.po`` at the repository root (base and the
repository's addons) and ``<addon folder>/i18n/<lang>/LC_MESSAGES/<addon>.po`` (addons
shipped elsewhere). When both exist the repository's entries win. English is the source
language: a msgid is the English text, so a missing translation shows the English.

The current language is a context variable: the web layer sets it per request, other
code uses ``with use_lang(env.lang): ...``. ``_lt("...")`` builds a lazy string that
translates itself each time it is turned into text, in the language current then.
"""
import contextlib
import io
import threading
from contextvars import ContextVar
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

import core

CORE_DIR = Path(core.__file__).resolve().parent
REPO_DIR = CORE_DIR.parent
REPO_I18N = REPO_DIR / "i18n"
SOURCE_LANG = "en"

current_lang = ContextVar("kesher_current_lang", default=SOURCE_LANG)
current_addons = ContextVar("kesher_current_addons", default=None)

_folders = {"base": CORE_DIR / "base"}  # addon name -> its folder (for <folder>/i18n)
_cache = {}
_lock = threading.Lock()


@contextlib.contextmanager
def use_lang(lang, addons=None):
    """Within the block, ``_()``/``_lt`` translate to ``lang`` (with ``addons``' catalogs if given)."""
    lang_token = current_lang.set(lang or SOURCE_LANG)
    addons_token = current_addons.set(_names(addons)) if addons is not None else None
    try:
        yield
    finally:
        if addons_token is not None:
            current_addons.reset(addons_token)
        current_lang.reset(lang_token)


def get_lang():
    return current_lang.get()


def register_addon_folder(name, folder):
    """Remember where addon ``name`` lives, so its own ``i18n/`` folder is read too."""
    folder = Path(folder)
    if _folders.get(name) != folder:
        _folders[name] = folder
        clear_cache()


def addon_folder(name):
    """The folder of addon ``name`` as far as this module knows (None if unknown)."""
    if name in _folders:
        return _folders[name]
    candidate = REPO_DIR / "addons" / name
    return candidate if candidate.is_dir() else None


def catalog_paths(lang, name):
    """Existing ``.po`` files of addon ``name`` for ``lang``, the one read last winning.

    The addon's own folder comes before the repository's, ``he`` before ``he_IL``.
    """
    folder = addon_folder(name)
    roots = ([folder / "i18n"] if folder is not None else []) + [REPO_I18N]
    found = []
    for root in roots:
        for code in reversed(_lang_candidates(lang)):
            path = root / code / "LC_MESSAGES" / f"{name}.po"
            if path.is_file() and path not in found:
                found.append(path)
    return found


def available_addons(lang):
    """Names of the addons that have a catalog for ``lang`` (root folder and known addon folders)."""
    names = set()
    for code in _lang_candidates(lang):
        directory = REPO_I18N / code / "LC_MESSAGES"
        if directory.is_dir():
            names.update(path.stem for path in directory.glob("*.po"))
    names.update(name for name in _folders if catalog_paths(lang, name))
    return sorted(names, key=lambda name: (name != "base", name))


def translations(lang, addons=None):
    """The merged ``Translations`` of ``addons`` (in dependency order) for ``lang``, cached.

    ``addons`` are names, manifests or ``registry.addons``; a manifest also makes its
    folder's own ``i18n/`` known. Each addon is also reachable as its own domain
    (``dgettext(addon, text)``); in the merged catalog an addon later in the list
    overrides an earlier one. ``addons=None``: every addon with a catalog for ``lang``.
    """
    lang = lang or SOURCE_LANG
    key = (lang, None if addons is None else _names(addons))
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                names = tuple(available_addons(lang)) if addons is None else key[1]
                found = _cache[key] = _build(lang, names)
    return found


def clear_cache():
    """Forget every loaded catalog (after ``kesher i18n update`` or a test writing a .po)."""
    _cache.clear()


def gettext(lang, text, addons=None):
    """``text`` (an English msgid) translated to ``lang``; ``text`` itself when untranslated.

    ``addons=None``: the addons of the current ``use_lang`` block (a web request's are its
    database's installed addons), else every addon with a catalog.
    """
    if not text:
        return text
    if isinstance(text, LazyString):
        text = text.source
    return translations(lang, addons if addons is not None else current_addons.get()).gettext(text)


def dgettext(lang, domain, text):
    """``text`` translated with the catalog of one addon (``domain``) only, else the merged one."""
    if not text:
        return text
    return translations(lang).dgettext(domain, text)


def translate_label(lang, text, addons=None):
    """A field label, help, selection label or model description, translated to ``lang``.

    ``None``/empty stay as they are so callers can pass optional help texts directly.
    """
    if text is None or text == "":
        return text
    return gettext(lang, str(text) if not isinstance(text, (str, LazyString)) else text, addons)


def _(text):
    """``text`` translated to the current language (``use_lang`` or the web request's)."""
    return gettext(current_lang.get(), text, current_addons.get())


def _lt(text):
    """A lazy ``text``: translated when rendered, in the language current at that moment."""
    return LazyString(text)


class LazyString:
    """An English text that becomes the current language's translation whenever it is used as text.

    Define labels at import time (``MESSAGE = _lt("Order confirmed")``) and render them
    later per request. Equality and hashing use the rendered text, like Babel's LazyProxy.
    """

    __slots__ = ("source",)

    def __init__(self, source):
        self.source = source

    def __str__(self):
        return _(self.source)

    def __repr__(self):
        return f"_lt({self.source!r})"

    def __html__(self):
        from markupsafe import escape
        return str(escape(str(self)))

    def __format__(self, spec):
        return format(str(self), spec)

    def __add__(self, other):
        return str(self) + str(other)

    def __radd__(self, other):
        return str(other) + str(self)

    def __mod__(self, values):
        return str(self) % values

    def __mul__(self, count):
        return str(self) * count

    def __eq__(self, other):
        return str(self) == (str(other) if isinstance(other, LazyString) else other)

    def __lt__(self, other):
        return str(self) < str(other)

    def __hash__(self):
        return hash(str(self))

    def __len__(self):
        return len(str(self))

    def __bool__(self):
        return bool(self.source)

    def __contains__(self, item):
        return item in str(self)

    def __iter__(self):
        return iter(str(self))

    def __getitem__(self, index):
        return str(self)[index]

    def __getattr__(self, name):  # str methods: upper(), format(), split(), ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)


def _names(addons):
    """Names of ``addons``: names, manifests, or a registry's ``{name: manifest}``."""
    return tuple(_remember(item) for item in (addons.values() if isinstance(addons, dict) else addons))


def _remember(item):
    """An addon name; a manifest-like object (``name`` + ``path``) also registers its folder."""
    if isinstance(item, str):
        return item
    name, path = getattr(item, "name"), getattr(item, "path", None)
    if path is not None:
        register_addon_folder(name, path)
    return name


def _lang_candidates(lang):
    lang = (lang or SOURCE_LANG).replace("-", "_")
    short = lang.split("_")[0]
    return [lang] if short == lang else [lang, short]


def _build(lang, names):
    merged = _compile(Catalog(locale=None, domain="kesher"), "kesher")
    for name in names:
        domain = None
        for path in catalog_paths(lang, name):
            loaded = load_po(path, name)
            merged.merge(loaded)
            if domain is None:
                domain = loaded
            else:
                domain.merge(loaded)
        if domain is not None:
            merged.add(domain)
    return merged


def load_po(path, domain):
    """A ``Translations`` of one ``.po`` file compiled in memory; fuzzy entries are left out."""
    with open(path, "rb") as handle:
        catalog = read_po(handle, domain=domain)
    return _compile(catalog, domain)


def _compile(catalog, domain):
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=domain)
