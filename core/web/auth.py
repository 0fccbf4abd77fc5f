"""Login and logout pages."""
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
    # in the request's own transaction: a failed attempt is committed with the error page
    uid, reason = ctx.system["res.users"]._login(login_name, password, ctx.request.remote_addr)
    if uid is None:
        return ctx.render("login.html", status=401, target=target, error=reason, login=login_name)
    ctx.start_session(uid)
    return ctx.redirect(target)


def logout(ctx):
    ctx.check_csrf()
    ctx.end_session()
    return ctx.redirect("/web/login")
