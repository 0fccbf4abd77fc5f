"""Window actions: what a menu opens — a model, its view types, a domain and a context."""
from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields
from core.views import VIEW_TYPES, ViewError
from core.views.check import check_domain
from core.web.context import safe_redirect_target


class WindowAction(Model):
    _name = "ir.actions.window"
    _inherit = ["ir.ui.cache.mixin"]
    _description = "Window action"
    _order = "name, id"

    name = fields.Char("Name", required=True, translate=True)
    model = fields.Char("Model", required=True, index=True)
    view_types = fields.Char("View types", required=True, default="list,form",
                             help="Comma-separated, the first opens: list,form,kanban,...")
    domain = fields.Json("Domain", help='A JSON domain the records shown must match, e.g. [["customer", "=", true]]')
    context = fields.Json("Context", help="JSON object: default values (default_<field>) and search defaults")
    limit = fields.Integer("Records per page", default=80)
    help = fields.Text("Help", help="Shown when there is no record yet")
    url = fields.Char("Page", help="A page of this site an addon serves (e.g. /web/bpm/my), opened instead of the "
                                  "model's list; the menu is still shown only to who may read the model")

    @api.constrains("model", "view_types", "domain", "context", "limit", "url")
    def _check_action(self):
        for action in self:
            where = f"Action {action.name!r}"  # in check_domain's messages, which are English
            names = {"action": action.name, "model": action.model}
            if action.model not in self.env.registry.models:
                raise ValidationError(_("Action %(action)r: unknown model %(model)r") % names, field="model")
            unknown = [kind for kind in action.view_type_list() if kind not in VIEW_TYPES]
            if unknown or not action.view_type_list():
                raise ValidationError(_("Action %(action)r: unknown view type(s) %(unknown)s (known: %(known)s)") % {
                    **names, "unknown": ", ".join(unknown) or _("(none given)"), "known": ", ".join(VIEW_TYPES)},
                    field="view_types")
            if action.domain is not None:
                try:
                    check_domain(self.env.registry, self.env.registry.models[action.model], action.domain,
                                 f"{where}: domain")
                except ViewError as exc:
                    raise ValidationError(str(exc), field="domain") from None
            if action.context is not None and not isinstance(action.context, dict):
                raise ValidationError(_("Action %(action)r: the context must be a JSON object") % names,
                                      field="context")
            if action.url and not (action.url.startswith("/web/") and safe_redirect_target(action.url) == action.url):
                raise ValidationError(_("Action %(action)r: the page must be an address of this site under /web/")
                                      % names, field="url")
            if action.limit is not None and action.limit <= 0:
                raise ValidationError(_("Action %(action)r: records per page must be positive") % names,
                                      field="limit")

    def view_type_list(self):
        self.ensure_one()
        return [kind.strip() for kind in (self.view_types or "").split(",") if kind.strip()]

    def describe(self):
        """What the web UI needs to open this action, as plain data."""
        self.ensure_one()
        return {"id": self.id, "name": self.name, "model": self.model, "view_types": self.view_type_list(),
                "domain": list(self.domain or []), "context": dict(self.context or {}),
                "limit": self.limit or 80, "help": self.help or ""}
