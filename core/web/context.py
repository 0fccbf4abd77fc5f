"""What a request handler works with: the request, the user's env, the session, CSRF."""
import secrets
from urllib.parse import urlencode, urlparse

from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from ..i18n.translate import _, current_lang
from .i18n_web import api_lang, request_lang

COOKIE = "kesher_session"


class RequestContext:
    def __init__(self, app, request, system_env):
        self.app = app
        self.request = request
        self.system = system_env
        self.session = system_env["ir.session"].find(request.cookies.get(COOKIE))
        self.uid = self.session.user_id.id if self.session and self.session.user_id else None
        user = system_env["res.users"].browse(self.uid) if self.uid else None
        if user is not None and not user.active:
            self.uid, user = None, None
        self.user = user
        if request.path.startswith("/api/"):  # the token's user is known later: see ``speak``
            self.lang = api_lang(request)
        else:
            self.lang = request_lang(request, user.lang if user else None)
        self.env = system_env.with_user(self.uid).with_context(lang=self.lang) if self.uid else None
        self.cookie = None  # a new session id to set on the response

    def speak(self, lang):
        """Answer in ``lang`` from now on (the API learns its user from the token, late).

        Inside the request's ``use_lang`` block, which restores the language when it ends.
        """
        self.lang = lang
        current_lang.set(lang)

    # -- authentication --------------------------------------------------------------
    def require_user(self):
        if self.env is None:
            target = self.request.full_path.rstrip("?")
            raise _Redirect("/web/login?" + urlencode({"redirect": target}))
        return self.env

    def start_session(self, uid):
        """A fresh session id at login (the old one is dropped: no session fixation)."""
        if self.session:
            self.session.sudo().unlink()
        sid, self.session = self.system["ir.session"].open_session(uid, self.lang, self.request.remote_addr)
        self.cookie = sid
        self.uid = uid

    def end_session(self):
        if self.session:
            self.session.sudo().unlink()
        sid, self.session = self.system["ir.session"].open_session(None, self.lang, self.request.remote_addr)
        self.cookie = sid

    # -- CSRF -----------------------------------------------------------------------
    @property
    def csrf_token(self):
        if not self.session:
            sid, self.session = self.system["ir.session"].open_session(None, self.lang, self.request.remote_addr)
            self.cookie = sid
        return self.session.csrf_token

    def check_csrf(self):
        sent = self.request.form.get("csrf_token") or self.request.headers.get("X-CSRF-Token", "")
        if not self.session or not sent or not secrets.compare_digest(sent, self.session.csrf_token):
            raise Forbidden(_("The form has expired or did not come from this site: reload the page and try again."))

    # -- responses -------------------------------------------------------------------
    def render(self, template, status=200, **values):
        from .menus import menu_tree
        values.setdefault("menus", menu_tree(self) if self.env else [])
        html = self.app.jinja.get_template(template).render(
            lang=self.lang, user=self.user, csrf_token=self.csrf_token,
            request=self.request, ctx=self, **values)
        return self.finish(Response(html, status=status, mimetype="text/html"))

    def json(self, data, status=200):
        import json as jsonlib
        body = jsonlib.dumps(data, default=str, ensure_ascii=False)
        return self.finish(Response(body, status=status, mimetype="application/json"))

    def redirect(self, location):
        return self.finish(redirect(location, code=303))

    def finish(self, response):
        if self.cookie:
            secure = self.request.scheme == "https"
            response.set_cookie(COOKIE, self.cookie, httponly=True, samesite="Lax", secure=secure, path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def arg_int(self, name, default=0):
        try:
            return int(self.request.args.get(name, default))
        except (TypeError, ValueError):
            raise BadRequest(_("Parameter %(name)r must be a whole number") % {"name": name}) from None


def safe_redirect_target(target):
    """Only paths of this site: no scheme, no host, no protocol-relative ``//evil``.

    Whitespace and control characters are refused too: browsers drop tabs and newlines
    from a URL (``/\t/evil.com`` is ``//evil.com``), and a newline cannot be in a header.
    """
    if not target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return "/web"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/web"
    return target


class _Redirect(Exception):
    """Raised to leave a handler for the login page (nothing to commit)."""

    def __init__(self, location):
        super().__init__(location)
        self.location = location
