"""The WSGI application: routing, one transaction per request, sessions, errors.

Every request runs in one unit of work (``registry.run``): committed when the handler
returns, rolled back on any error, re-run on a PostgreSQL serialization failure. Errors
become a page (or JSON under /api) with the right status, never a traceback.
"""
import logging
from pathlib import Path

from jinja2 import ChoiceLoader, Environment as JinjaEnvironment, FileSystemLoader, PrefixLoader, select_autoescape
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.routing import Map
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from ..exceptions import AccessError, ConcurrencyError, KesherError, MissingError, UserError
from ..i18n.translate import _, _lt, use_lang
from . import routes
from .context import RequestContext, _Redirect
from .i18n_web import api_lang, request_lang

_logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}

# the status of each error type (the first that matches); any other KesherError is a 400
ERROR_CODES = ((MissingError, 404), (AccessError, 403), (ConcurrencyError, 409))
# werkzeug's descriptions are English: ours, by status, when a handler gave none
HTTP_MESSAGES = {
    400: _lt("The request cannot be done: it is malformed or incomplete."),
    401: _lt("Log in to continue."),
    403: _lt("You are not allowed to do this."),
    404: _lt("This page does not exist."),
    405: _lt("This page cannot be used this way."),
    413: _lt("What you sent is too large."),
    500: _lt("The server cannot answer this request now: try again later."),
}


class KesherApp:
    """Serves the web UI under /web and the JSON API under /api/v1 for one registry."""

    def __init__(self, registry):
        self.registry = registry
        from ..i18n.translate import register_addon_folder
        for manifest in registry.addons.values():  # the pages also use the catalogs in an addon's own i18n/
            register_addon_folder(manifest.name, manifest.path)
        # a request translates with the installed addons' catalogs only, in dependency order
        self.addon_names = tuple(registry.addons)
        addon_templates = {manifest.name: FileSystemLoader(str(Path(manifest.path) / "templates"))
                           for manifest in registry.addons.values() if (Path(manifest.path) / "templates").is_dir()}
        loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")), PrefixLoader(addon_templates)])
        self.jinja = JinjaEnvironment(loader=loader,
                                      autoescape=select_autoescape(["html", "xml"]), trim_blocks=True,
                                      lstrip_blocks=True)
        from .templating import install_globals
        install_globals(self.jinja)
        self.url_map = Map(routes.rules() + self._addon_rules(), strict_slashes=False)
        self.wsgi = SharedDataMiddleware(self._dispatch, {"/web/static": str(HERE / "static")},
                                         cache_timeout=3600)

    def _addon_rules(self):
        """The routes installed addons add through the ``kesher_web_routes`` hook."""
        def collect(env):
            return [rule for answer in env.hooks.kesher_web_routes(env=env) for rule in answer or ()]
        return self.registry.run(collect, readonly=True)

    def __call__(self, environ, start_response):
        def start_with_security_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers) + [(name, value) for name, value in SECURITY_HEADERS.items()
                                       if name.lower() not in present]
            return start_response(status, headers, exc_info)

        # around the static files too: they need nosniff as much as the pages
        return self.wsgi(environ, start_with_security_headers)

    def _dispatch(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = 20 * 1024 * 1024
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request):
        adapter = self.url_map.bind_to_environ(request.environ)
        is_api = request.path.startswith("/api/")
        try:
            endpoint, args = adapter.match()
        except HTTPException as exc:
            if request.path in ("/", ""):
                return redirect("/web")
            return self.failure(request, exc, is_api, None)
        contexts = []  # the request's context once known: the error page speaks its language

        def work(env):
            ctx = RequestContext(self, request, env)
            contexts[:] = [ctx]
            with use_lang(ctx.lang, addons=self.addon_names):  # messages built during the request: the user's language
                return endpoint(ctx, **args)

        try:
            readonly = request.method in ("GET", "HEAD")  # SQLite: deferred BEGIN, upgraded if it writes
            return self.registry.run(work, retries=3, readonly=readonly)
        except _Redirect as exc:
            return redirect(exc.location, code=303)
        except HTTPException as exc:
            if exc.code in (301, 302, 303, 307, 308):
                return exc.get_response()
            return self.failure(request, exc, is_api, contexts[0].lang if contexts else None)
        except KesherError as exc:
            return self.failure(request, exc, is_api, contexts[0].lang if contexts else None)
        except Exception as exc:  # noqa: BLE001 - the user gets a page, the log gets the traceback
            _logger.exception("error while serving %s", request.path)
            return self.failure(request, exc, is_api, contexts[0].lang if contexts else None)

    def failure(self, request, exc, is_api, lang):
        """The error page (or JSON) of ``exc``, in ``lang`` (the request's; the browser's if unknown).

        A message given as ``_lt`` renders here, in that language; werkzeug's own English
        descriptions (an unknown URL, a body too large) are replaced by ours.
        """
        lang = lang or (api_lang(request) if is_api else request_lang(request, None))
        with use_lang(lang, addons=self.addon_names):
            details = None
            if isinstance(exc, HTTPException):
                code = exc.code
                own = vars(exc).get("description")  # given by our code, not werkzeug's default
                message = str(own) if own else str(HTTP_MESSAGES.get(code) or HTTP_MESSAGES[400 if code < 500 else 500])
            elif isinstance(exc, KesherError):
                code = next((code for kind, code in ERROR_CODES if isinstance(exc, kind)), 400)
                message = str(exc)
                details = getattr(exc, "field", None) if isinstance(exc, UserError) and code == 400 else None
            else:
                code, message = 500, _("An unexpected error happened. It has been logged.")
            return self.error_response(request, code, message, is_api, details=details, lang=lang)

    def error_response(self, request, code, message, is_api=False, details=None, lang=None):
        if is_api:
            from .api_json import json_error
            return json_error(code, message, details)
        lang = lang or request_lang(request, None)
        html = self.jinja.get_template("error.html").render(code=code, message=message, lang=lang,
                                                              user=None, menus=[], csrf_token="")
        return Response(html, status=code, mimetype="text/html")


def create_app(config):
    """The WSGI app for the configured database (used by ``kesher serve`` and gunicorn)."""
    from ..addons.manager import load_registry
    return KesherApp(load_registry(config))
