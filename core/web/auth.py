"""Login and logout pages."""
from ..exceptions import AccessError
from ..security.auth import authenticate
from .context import safe_redirect_target


def login(ctx):
    target = safe_redirect_target(ctx.request.values.get("redirect"))
    if ctx.request.method == "GET":
        if ctx.env is not None:
            return ctx.redirect(target)
        return ctx.render("login.html", target=target, error=None, login="")
    ctx.check_csrf()
    login_name = ctx.request.form.get("login", "").strip()
    password = ctx.request.form.get("password", "")
    try:
        uid = authenticate(ctx.app.registry, login_name, password, ctx.request.remote_addr)
    except AccessError as exc:
        return ctx.render("login.html", status=401, target=target, error=str(exc), login=login_name)
    ctx.start_session(uid)
    return ctx.redirect(target)


def logout(ctx):
    ctx.check_csrf()
    ctx.end_session()
    return ctx.redirect("/web/login")
