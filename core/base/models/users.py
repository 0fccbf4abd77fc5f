"""Users and groups. Passwords are hashed with werkzeug's KDF and never stored in clear."""
from werkzeug.security import check_password_hash, generate_password_hash

from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields


class Groups(Model):
    _name = "res.groups"
    _inherit = ["mail.thread", "ir.access.cache.mixin"]
    _description = "Group"
    _log_create = True
    _order = "category, name"

    name = fields.Char("Name", required=True, tracking=True)
    category = fields.Char("Application", help="e.g. Sales: shown as 'Sales / Manager'")
    comment = fields.Text("Description")
    implied_ids = fields.Many2many("res.groups", "res_groups_implied_rel", "group_id", "implied_id",
                                   "Implied groups", help="Members of this group are members of these too",
                                   tracking=True)
    user_ids = fields.Many2many("res.users", "res_groups_users_rel", "group_id", "user_id", "Users", tracking=True)

    @property
    def display_name(self):
        return f"{self.category} / {self.name}" if self.category else (self.name or "")

    def _display_names(self):
        return {group.id: group.display_name for group in self}

    def closure(self):
        """These groups and every group they imply, transitively."""
        seen, todo = set(), list(self._ids)
        while todo:
            batch = [g for g in todo if g not in seen]
            seen.update(batch)
            todo = [i for group in self.browse(tuple(batch)) for i in group.implied_ids._ids if i not in seen]
        return self.browse(tuple(sorted(seen)))


class Users(Model):
    _name = "res.users"
    _inherit = ["mail.thread", "ir.access.cache.mixin"]
    _description = "User"
    _log_create = True
    _order = "login"

    login = fields.Char("Login", required=True, tracking=True)
    name = fields.Char("Name", required=True, tracking=True)
    email = fields.Char("Email")
    password_hash = fields.Char("Password hash", copy=False, groups="base.group_system")
    lang = fields.Selection([("he", "Hebrew"), ("en", "English")], "Language", default="he", tracking=True)
    tz = fields.Char("Time zone", default="Asia/Jerusalem")
    company_id = fields.Many2one("res.company", "Company", ondelete="restrict")
    active = fields.Boolean("Active", default=True, tracking=True)
    group_ids = fields.Many2many("res.groups", "res_groups_users_rel", "user_id", "group_id", "Groups", tracking=True)

    _sql_constraints = [("login_uniq", "unique(login)", "Another user already has this login")]

    @api.constrains("login")
    def _check_login(self):
        for user in self:
            if not user.login or user.login != user.login.strip() or " " in user.login:
                raise ValidationError(_("A login cannot be empty or contain spaces"), field="login")

    def set_password(self, password):
        """Hash and store ``password`` after checking the password policy."""
        minimum = self.env.registry.config.get("security", "password_min_length") if self.env.registry.config else 8
        if not isinstance(password, str) or len(password) < minimum:
            raise ValidationError(_("A password must have at least %(minimum)s characters") % {"minimum": minimum},
                                  field="password")
        self.sudo().write({"password_hash": generate_password_hash(password)})

    def check_password(self, password):
        self.ensure_one()
        stored = self.sudo().password_hash
        return bool(stored) and check_password_hash(stored, password or "")

    def all_group_ids(self):
        """Ids of the user's groups and of every group they imply."""
        self.ensure_one()
        return set(self.sudo().group_ids.closure()._ids)

    def has_group(self, xml_id):
        group = self.env.ref(xml_id, raise_if_not_found=False)
        return bool(group) and group.id in self.all_group_ids()
