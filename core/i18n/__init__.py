"""Internationalisation helpers (locale-aware formatting, translations)."""
from .format import (babel_locale, for_export, format_amount, format_date, format_datetime,  # noqa: F401
                     format_decimal, strip_bidi)
from .translate import (LazyString, _, _lt, clear_cache, current_lang, dgettext, get_lang,  # noqa: F401
                        gettext, translate_label, translations, use_lang)
