"""The home page (menus of the installed addons) and window actions."""
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.utils import redirect

from ..i18n.translate import _


def home(ctx):
    ctx.require_user()
    return ctx.render("home.html", title=None)


def index(ctx):
    return redirect("/web", code=302)


def action(ctx, action_id):
    """A menu's window action opens the list of its model with its first view type, or the
    page of an addon it names (``url``)."""
    env = ctx.require_user()
    record = env["ir.actions.window"].sudo().browse(action_id).exists()
    if not record:
        raise NotFound(_("This menu entry no longer exists"))
    if record.url:
        return ctx.redirect(record.url)
    first = (record.view_types or "list").split(",")[0].strip()
    suffix = f"?action={record.id}" + ("" if first == "list" else f"&view={first}")
    return ctx.redirect(f"/web/m/{record.model}{suffix}")


def preferences(ctx):
    """The user's language, and his API tokens (created here, shown once)."""
    env = ctx.require_user()
    user = env.user
    token = None
    if ctx.request.method == "POST":
        ctx.check_csrf()
        form = ctx.request.form
        if form.get("lang") in ("he", "en"):
            user.sudo().write({"lang": form["lang"]})
            ctx.speak(form["lang"])  # this answer already in the chosen language
        if form.get("new_token"):
            token = user.sudo().create_api_token(form.get("token_name") or "API token")
        if form.get("revoke"):
            if not form["revoke"].isdigit():
                raise BadRequest(_("Bad token id"))
            env["res.users.apikey"].browse(int(form["revoke"])).exists().revoke()
    tokens = env["res.users.apikey"].search([("user_id", "=", user.id)])
    return ctx.render("preferences.html", title="Preferences", tokens=tokens, new_token=token,
                      breadcrumbs=[{"label": "Preferences", "url": ""}])
