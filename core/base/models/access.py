"""Model access rows and record rules, declared in addons' security files.

A model with no access row is closed to everyone but the superuser. Record-rule
domains are JSON lists whose values may name variables: ``"$user.id"``,
``"$user.group_ids"``, ``"$user.company_id"`` and whatever addons contribute through the
``kesher_rule_values`` hook (e.g. ``"$agent_ids"``).
"""
from core.security.rules import check_rule_domain
from core.exceptions import ValidationError
from core.i18n import _
from core.orm import AbstractModel, Model, api, fields
from core.security.checker import forget

OPERATIONS = ("read", "write", "create", "unlink")


class AccessCacheMixin(AbstractModel):
    """Models whose changes alter access: each change clears the transaction's copy."""

    _name = "ir.access.cache.mixin"
    _description = "Access cache mixin"

    def create(self, vals_list):
        forget(self.env)
        return super().create(vals_list)

    def write(self, vals):
        forget(self.env)
        return super().write(vals)

    def unlink(self):
        forget(self.env)
        return super().unlink()


class ModelAccess(Model):
    _name = "ir.model.access"
    _inherit = ["mail.thread", "ir.access.cache.mixin"]
    _description = "Model access"
    _log_create = True
    _order = "model, id"

    name = fields.Char("Name", required=True)
    model = fields.Char("Model", required=True, index=True, tracking=True)
    group_id = fields.Many2one("res.groups", "Group", ondelete="cascade", tracking=True,
                               help="Empty: every user")
    perm_read = fields.Boolean("Read", default=True, tracking=True)
    perm_write = fields.Boolean("Write", tracking=True)
    perm_create = fields.Boolean("Create", tracking=True)
    perm_unlink = fields.Boolean("Delete", tracking=True)
    active = fields.Boolean("Active", default=True, tracking=True)

    @api.constrains("model")
    def _check_model(self):
        for row in self:
            if row.model not in self.env.registry.models:
                raise ValidationError(_("Access row %(row)r: unknown model %(model)r") % {"row": row.name,
                                                                                          "model": row.model},
                                      field="model")


class RecordRule(Model):
    _name = "ir.rule"
    _inherit = ["mail.thread", "ir.access.cache.mixin"]
    _description = "Record rule"
    _log_create = True
    _order = "model, id"

    name = fields.Char("Name", required=True)
    model = fields.Char("Model", required=True, index=True, tracking=True)
    domain = fields.Json("Domain", required=True, tracking=True,
                         help='A domain such as [["user_id", "=", "$user.id"]]')
    group_ids = fields.Many2many("res.groups", "ir_rule_group_rel", "rule_id", "group_id", "Groups", tracking=True,
                                 help="Empty: a global rule, applied to everyone and AND-ed with the others")
    perm_read = fields.Boolean("Apply to read", default=True, tracking=True)
    perm_write = fields.Boolean("Apply to write", default=True, tracking=True)
    perm_create = fields.Boolean("Apply to create", default=True, tracking=True)
    perm_unlink = fields.Boolean("Apply to delete", default=True, tracking=True)
    active = fields.Boolean("Active", default=True, tracking=True)

    @api.constrains("model", "domain")
    def _check_domain(self):
        for rule in self:
            if rule.model not in self.env.registry.models:
                raise ValidationError(_("Rule %(rule)r: unknown model %(model)r") % {"rule": rule.name,
                                                                                     "model": rule.model},
                                      field="model")
            check_rule_domain(self.env, rule.model, rule.domain, rule.name)
