"""Jinja globals: translation, direction, Babel formatting of values by field type."""
from markupsafe import Markup, escape

from .i18n_web import direction


def _translate(lang, text):
    try:
        from ..i18n.translate import gettext
    except ImportError:  # pragma: no cover - the i18n layer is part of the core
        return text
    return gettext(lang, text)


def install_globals(jinja):
    jinja.globals.update(dir_of=direction, tr=_translate, ltr=ltr)
    jinja.filters["ltr"] = ltr


def ltr(value):
    """Isolate a left-to-right fragment (code, phone, email, amount) inside RTL text."""
    if value is None or value == "":
        return ""
    return Markup('<bdi dir="ltr">') + escape(value) + Markup("</bdi>")
