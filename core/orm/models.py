"""The classes addons declare models with.

Declared classes are plain mixins: ``class Partner(Model): _name = "res.partner"``
declares, ``class PartnerPricing(Model): _inherit = "res.partner"`` extends. A registry
composes them; nothing here is mapped, registered or touched at import time.
"""
from . import fields
from .crud import CrudMixin
from .group import GroupMixin
from .query import QueryMixin
from .recordset import RecordSet


class BaseModel(CrudMixin, QueryMixin, GroupMixin, RecordSet):
    """Behaviour of every composed model. Addons subclass ``Model`` or ``AbstractModel``."""

    __slots__ = ()

    _name = None
    _inherit = ()
    _description = None
    _order = "id"
    _rec_name = "name"
    _rec_names_search = None
    _parent_name = "parent_id"
    _abstract = False
    _table_name = None
    _sql_constraints = ()

    id = fields.Integer("ID", readonly=True)
    create_date = fields.Datetime("Created on", readonly=True)
    write_date = fields.Datetime("Last updated on", readonly=True)
    create_uid = fields.Integer("Created by", readonly=True)
    write_uid = fields.Integer("Last updated by", readonly=True)
    version = fields.Integer("Version", readonly=True, copy=False)

    # -- access control: open here, closed by the security layer of the base addon --
    def _check_access(self, operation):
        """Refuse ``operation`` on this model for the current user (see core.security)."""
        checker = self.env.registry.access_checker
        if checker is not None and not self.env.su:
            checker.check_model(self.env, self._name, operation)

    def check_access_quiet(self, operation):
        """Whether the current user may do ``operation`` on this model (menus ask it)."""
        from ..exceptions import AccessError
        try:
            self._check_access(operation)
        except AccessError:
            return False
        return True

    def _check_rules(self, operation):
        """Refuse ``operation`` when a record is outside the user's record rules."""
        checker = self.env.registry.access_checker
        if checker is not None and not self.env.su and self._ids:
            checker.check_records(self, operation)

    def _rule_clause(self, operation):
        checker = self.env.registry.access_checker
        if checker is None or self.env.su:
            return None
        return checker.rule_clause(self, operation)

    @staticmethod
    def _check_field_access(env, field, operation="read"):
        checker = env.registry.access_checker
        if field.groups and checker is not None and not env.su:
            checker.check_field(env, field, operation)

    # -- defaults and onchange ----------------------------------------------------
    def default_get(self, names=None):
        """Default values of ``names`` (all fields when None) for a new record."""
        result = {}
        for name, field in self._fields.items():
            if names is not None and name not in names:
                continue
            if field.default is not None and name not in ("id", "version"):
                value = field.default_value(self)
                result[name] = value.id if hasattr(value, "_ids") and field.type == "many2one" else value
        return result


class Model(BaseModel):
    """A model stored in its own table."""

    __slots__ = ()


class AbstractModel(BaseModel):
    """A mixin model: its fields and methods are added to each model that inherits it."""

    __slots__ = ()
    _abstract = True
