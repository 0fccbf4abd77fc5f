"""Menus: a tree of entries, each opening a window action, shown to the groups it names."""
from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields


class Menu(Model):
    _name = "ir.ui.menu"
    _inherit = ["ir.ui.cache.mixin"]
    _description = "Menu"
    _order = "sequence, id"

    name = fields.Char("Name", required=True, translate=True)
    parent_id = fields.Many2one("ir.ui.menu", "Parent menu", ondelete="cascade", index=True)
    child_ids = fields.One2many("ir.ui.menu", "parent_id", "Sub-menus")
    sequence = fields.Integer("Sequence", default=10)
    action_id = fields.Many2one("ir.actions.window", "Action", ondelete="set null")
    group_ids = fields.Many2many("res.groups", "ir_ui_menu_group_rel", "menu_id", "group_id", "Groups",
                                 help="Empty: every user; else members of one of these groups (or of a group "
                                      "implying one)")
    active = fields.Boolean("Active", default=True)

    @property
    def complete_name(self):
        """The path from the top menu: ``Contacts / Customers``."""
        names, menu, seen = [], self, set()
        while menu and menu.id not in seen:
            seen.add(menu.id)
            names.append(menu.name or "")
            menu = menu.parent_id
        return " / ".join(reversed(names))

    @property
    def display_name(self):
        return self.complete_name

    def _display_names(self):
        return {menu.id: menu.complete_name for menu in self}

    @api.constrains("parent_id")
    def _check_parent(self):
        for menu in self:
            current, seen = menu.parent_id, {menu.id}
            while current:
                if current.id in seen:
                    raise ValidationError(_("Menu %(menu)r: menus cannot form a circle") % {"menu": menu.name},
                                          field="parent_id")
                seen.add(current.id)
                current = current.parent_id

    def visible_tree(self, user=None):
        """The menus ``user`` (a record or an id; the environment's user by default) may see.

        A list of ``{"id", "name", "sequence", "action_id", "model", "children": [...]}``,
        ordered by sequence. A menu is shown when its ``group_ids`` is empty or shares a
        group with the user (implied groups included), when the user may read the model of
        its action, and, for a menu without action, when one of its sub-menus is shown.
        """
        uid = self.env.uid if user is None else (user.id if hasattr(user, "_ids") else int(user))
        system = self.sudo().with_context(active_test=True)
        user_groups = system.env["res.users"].browse(uid).all_group_ids()
        menus = system.search([])
        readable = {}
        children = {}
        for menu in menus:
            children.setdefault(menu.parent_id.id, []).append(menu)

        def allowed(menu):
            if menu.group_ids and not set(menu.group_ids._ids) & user_groups:
                return False
            model = menu.action_id.model if menu.action_id else None
            if model is not None and model not in readable:
                readable[model] = self._may_read(model, uid)
            return model is None or readable[model]

        def tree(parent_id):
            nodes = []
            for menu in children.get(parent_id, ()):
                if not allowed(menu):
                    continue
                below = tree(menu.id)
                if menu.action_id or below:
                    nodes.append({"id": menu.id, "name": menu.name, "sequence": menu.sequence,
                                  "action_id": menu.action_id.id or None,
                                  "model": menu.action_id.model if menu.action_id else None, "children": below})
            return nodes

        return tree(None)

    def _may_read(self, model, uid):
        """Whether user ``uid`` may read ``model`` (asked of the security layer when it answers)."""
        if model not in self.env.registry.models:
            return False
        records = self.env[model].with_user(uid)
        check = getattr(records, "check_access_quiet", None)
        return True if check is None else bool(check("read"))
