"""Messages in the language of the user at hand (``env.lang``), not of the process."""
from core.i18n import gettext, translate_label


def tr(env, text, **values):
    """``text`` translated to the user's language, then formatted with ``values``.

    Extracted like ``gettext(lang, text)``: the English text is the msgid.
    """
    message = gettext(env.lang, text)
    return message.format(**values) if values else message


def label(env, text):
    """A model description or selection label in the user's language."""
    return translate_label(env.lang, text)
