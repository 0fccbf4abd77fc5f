"""The language of a request: the user's, else the browser's Accept-Language."""
SUPPORTED = ("he", "en")


def request_lang(request, user_lang):
    if user_lang in SUPPORTED:
        return user_lang
    best = request.accept_languages.best_match(SUPPORTED) if request is not None else None
    return best or "he"


def api_lang(request, user_lang=None):
    """The language of an API answer: the token user's, else Accept-Language, else English
    (a program that does not say which language it reads is written by an integrator)."""
    if user_lang in SUPPORTED:
        return user_lang
    best = request.accept_languages.best_match(SUPPORTED) if request is not None else None
    return best or "en"


def direction(lang):
    return "rtl" if lang == "he" else "ltr"
