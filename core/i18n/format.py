"""Locale formatting helpers shared by templates, reports and exports."""

# Babel inserts these invisible direction marks (e.g. around "₪" in he_IL) so the
# text renders right in a browser; in a plain-text subject or body many mail
# clients show them as garbage or break copy/paste, so we remove them there.
BIDI_MARKS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
_BIDI_TABLE = str.maketrans("", "", BIDI_MARKS)


def strip_bidi(text):
    """Return ``text`` without invisible bidi marks (LRM, RLM, ALM and isolates)."""
    return text.translate(_BIDI_TABLE)
