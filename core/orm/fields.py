"""Field declarations: thin carriers of UI metadata that produce SQLAlchemy columns.

A field object sits on a declared (never mapped) class. Each registry binds its own
copy to a model name and attribute name, so declarations stay immutable and shared.
"""
import copy as copy_module
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal as D, InvalidOperation

import sqlalchemy as sa

from ..exceptions import ValidationError
from ..i18n.translate import _
from .types import ExactDecimal, UTCDateTime

RELATIONAL = ("many2one", "one2many", "many2many")


def now():
    """The current moment, timezone-aware in UTC (what Datetime fields store)."""
    return dt.datetime.now(dt.timezone.utc)


class Field:
    """A model attribute with a label, a column (when stored) and value conversion."""

    type = None
    column_type = None
    plain = True  # the cached value is the value read (not an id to turn into records)

    def __init__(self, string=None, *, help=None, required=False, default=None,
                 index=False, readonly=False, copy=True, groups=None, compute=None,
                 depends=(), store=None, related=None, tracking=False, translate=False,
                 inverse=None):
        self.string = string
        self.help = help
        self.required = required
        self.default = default
        self.index = index
        self.readonly = readonly or bool(compute) or bool(related)
        self.copy = copy and not compute and not related
        self.groups = tuple(g.strip() for g in groups.split(",")) if isinstance(groups, str) else tuple(groups or ())
        self.compute = compute
        self.depends = tuple(depends)
        self.related = tuple(related.split(".")) if related else None
        self.store = (not (compute or related)) if store is None else store
        self.tracking = tracking
        self.translate = translate
        self.inverse = inverse
        self.name = None
        self.model_name = None
        self.cache_key = None

    def bind(self, model_name, name):
        """A copy of this field owned by one model of one registry."""
        bound = copy_module.copy(self)
        bound.model_name, bound.name = model_name, name
        bound.cache_key = (model_name, name)  # its values' place in a transaction's cache
        if bound.string is None:
            bound.string = name.replace("_id", "").replace("_ids", "").replace("_", " ").strip().capitalize()
        return bound

    # -- schema -------------------------------------------------------------
    @property
    def has_column(self):
        return self.store

    def sa_type(self):
        return self.column_type() if isinstance(self.column_type, type) else self.column_type

    def column(self, registry):
        return sa.Column(self.name, self.sa_type(), index=self.index, nullable=True)

    # -- values -------------------------------------------------------------
    def default_value(self, model):
        value = self.default
        return value(model) if callable(value) else copy_module.copy(value)

    def convert(self, value, model=None):
        """Turn a value given by a caller into the value stored; raise a clear error."""
        return value

    def to_read(self, value, model):
        """The value ``read()`` returns for a cache value."""
        return value

    def error(self, message):
        """A ValidationError about a value of this field: ``message`` is already translated."""
        return ValidationError(_("'%(label)s' (%(model)s.%(field)s): %(problem)s") % {
            "label": _(self.string), "model": self.model_name, "field": self.name, "problem": message},
            field=self.name)

    def __get__(self, record, owner=None):
        if record is None:
            return self
        ids = record._ids
        if self.plain and len(ids) == 1 and not self.groups:  # a value in the cache, nothing queued: return it
            transaction = record.env.transaction
            pending = transaction.to_recompute
            if not pending or self not in pending:
                store = transaction.cache._data.get(self.cache_key)
                if store is not None and ids[0] in store:
                    return store[ids[0]]
        return record._get_field(self)

    def __set__(self, record, value):
        record._set_field(self, value)

    def __repr__(self):
        return f"<{type(self).__name__} {self.model_name}.{self.name}>"


class Char(Field):
    type = "char"

    def __init__(self, string=None, *, size=None, **kw):
        super().__init__(string, **kw)
        self.size = size

    def sa_type(self):
        return sa.String(self.size) if self.size else sa.String()

    def convert(self, value, model=None):
        if value is None or value is False:
            return None
        if not isinstance(value, str):
            value = str(value)
        if self.size and len(value) > self.size:
            raise self.error(_("at most %(size)s characters, got %(length)s") % {"size": self.size,
                                                                                 "length": len(value)})
        return value


class Text(Char):
    type = "text"

    def sa_type(self):
        return sa.Text()


class Integer(Field):
    type = "integer"
    column_type = sa.Integer
    bounds = (-2 ** 31, 2 ** 31 - 1)  # a 4-byte INTEGER column on every database

    def convert(self, value, model=None):
        if value is None or value is False:
            return None
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise self.error(_("expected a whole number, got %(value)r") % {"value": value})
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.error(_("expected a whole number, got %(value)r") % {"value": value}) from None
        if not self.bounds[0] <= number <= self.bounds[1]:
            raise self.error(_("%(number)s is out of range (%(low)s to %(high)s)")
                             % {"number": number, "low": self.bounds[0], "high": self.bounds[1]})
        return number


class Float(Field):
    type = "float"
    column_type = sa.Float

    def convert(self, value, model=None):
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.error(_("expected a number, got %(value)r") % {"value": value}) from None


class Decimal(Field):
    """Exact decimal with ``digits`` after the point (Decimal in, Decimal out)."""

    type = "decimal"
    precision = 18  # significant digits the column holds, ``digits`` of them after the point

    def __init__(self, string=None, *, digits=2, **kw):
        super().__init__(string, **kw)
        self.digits = digits

    def sa_type(self):
        return ExactDecimal(self.digits, self.precision)

    def _bounds(self):
        """(the quantum of ``digits``, the first amount too large), made once per field."""
        bounds = self.__dict__.get("_bounds_of")
        if bounds is None or bounds[0] != self.digits:
            bounds = self._bounds_of = (self.digits, D(1).scaleb(-self.digits),
                                        D(10) ** (self.precision - self.digits))
        return bounds[1], bounds[2]

    def convert(self, value, model=None):
        if value is None:
            return None
        quantum, limit = self._bounds()
        if type(value) is D and value.is_finite() and -limit < value < limit:  # the common case
            amount = value.quantize(quantum, rounding=ROUND_HALF_UP)
            if -limit < amount < limit:
                return amount
        if isinstance(value, bool):
            raise self.error(_("expected an amount, got %(value)r") % {"value": value})
        try:
            amount = D(repr(value)) if isinstance(value, float) else D(value)
            amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
        except (InvalidOperation, TypeError, ValueError):
            raise self.error(_("expected an amount, got %(value)r") % {"value": value}) from None
        if not amount.is_finite():
            raise self.error(_("expected an amount, got %(value)r") % {"value": value})
        if abs(amount) >= limit:
            raise self.error(_("%(value)s is too large (at most %(digits)s digits before the point)")
                             % {"value": value, "digits": self.precision - self.digits})
        return amount


class Monetary(Decimal):
    """An amount of money in the currency named by ``currency_field``."""

    type = "monetary"

    def __init__(self, string=None, *, currency_field="currency_id", **kw):
        super().__init__(string, **kw)
        self.currency_field = currency_field


class Boolean(Field):
    type = "boolean"
    column_type = sa.Boolean

    def __init__(self, string=None, **kw):
        kw.setdefault("default", False)
        super().__init__(string, **kw)

    def convert(self, value, model=None):
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("", "0", "false", "no", "off"):
                return False
            raise self.error(_("expected yes or no, got %(value)r") % {"value": value})
        return bool(value)


class Date(Field):
    type = "date"
    column_type = sa.Date

    def convert(self, value, model=None):
        if value is None or value is False or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.error(_("expected a date as YYYY-MM-DD, got %(value)r") % {"value": value}) from None


class Datetime(Field):
    """A moment, stored in UTC; naive values are taken as UTC."""

    type = "datetime"
    column_type = UTCDateTime

    def convert(self, value, model=None):
        if value is None or value is False or value == "":
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                raise self.error(_("expected a date and time, got %(value)r") % {"value": value}) from None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        if not isinstance(value, dt.datetime):
            raise self.error(_("expected a date and time, got %(value)r") % {"value": value})
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Selection(Field):
    """One value of a fixed list of ``(value, label)`` pairs (or a method returning it)."""

    type = "selection"

    def __init__(self, selection, string=None, **kw):
        super().__init__(string, **kw)
        self.selection = selection

    def sa_type(self):
        return sa.String(64)

    def options(self, model=None):
        if callable(self.selection):
            return list(self.selection(model))
        if isinstance(self.selection, str):
            return list(getattr(model, self.selection)())
        return list(self.selection)

    def convert(self, value, model=None):
        if value is None or value is False:
            return None
        allowed = [key for key, _label in self.options(model)]
        if value not in allowed:
            raise self.error(_("%(value)r is not one of %(allowed)s") % {"value": value,
                                                                         "allowed": ", ".join(map(str, allowed))})
        return value


class Binary(Field):
    """Raw bytes (files, images); never loaded with the other columns of a record."""

    type = "binary"
    column_type = sa.LargeBinary

    def __init__(self, string=None, **kw):
        kw.setdefault("copy", False)
        super().__init__(string, **kw)

    def convert(self, value, model=None):
        if value is None or value is False:
            return None
        if isinstance(value, str):
            value = value.encode()
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise self.error(_("expected bytes"))
        return bytes(value)


class Json(Field):
    type = "json"
    column_type = sa.JSON

    def convert(self, value, model=None):
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise self.error(_("not storable as JSON: %(error)s") % {"error": exc}) from None
        return value


class Many2one(Field):
    """A reference to one record of ``comodel``; ``ondelete`` is enforced by the database."""

    type = "many2one"
    plain = False

    def __init__(self, comodel, string=None, *, ondelete="set null", domain=None, **kw):
        super().__init__(string, **kw)
        if ondelete not in ("set null", "restrict", "cascade"):
            raise ValueError(f"ondelete must be 'set null', 'restrict' or 'cascade', not {ondelete!r}")
        self.comodel = comodel
        self.ondelete = ondelete
        self.domain = domain or []

    def column(self, registry):
        target = registry.models[self.comodel]._table_name
        return sa.Column(self.name, sa.Integer, sa.ForeignKey(f"{target}.id", ondelete=self.ondelete.upper()),
                         index=True, nullable=True)

    def convert(self, value, model=None):
        if value.__class__ is int:  # an id, the common case
            return value
        if value is None or value is False:
            return None
        if hasattr(value, "_ids"):
            if len(value._ids) > 1:
                raise self.error(_("expected one record"))
            return value._ids[0] if value._ids else None
        if isinstance(value, dict) and "id" in value:
            value = value["id"]
        if isinstance(value, bool):
            raise self.error(_("expected a record id, got %(value)r") % {"value": value})
        if not isinstance(value, int):
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise self.error(_("expected a record id, got %(value)r") % {"value": value}) from None
        return value

    def to_read(self, value, model):
        return value


class _X2many(Field):
    """Fields holding many records; written with commands or lists (see ``x2many_commands``)."""

    plain = False

    def __init__(self, comodel, string=None, *, domain=None, **kw):
        super().__init__(string, **kw)
        self.comodel = comodel
        self.domain = domain or []

    @property
    def has_column(self):
        return False


class One2many(_X2many):
    type = "one2many"

    def __init__(self, comodel, inverse_name, string=None, *, copy=False, **kw):
        super().__init__(comodel, string, copy=copy, **kw)
        self.inverse_name = inverse_name
        self.copy = copy


class Many2many(_X2many):
    type = "many2many"

    def __init__(self, comodel, relation=None, column1=None, column2=None, string=None, **kw):
        super().__init__(comodel, string, **kw)  # copied by default: a copy links the same records
        self.relation, self.column1, self.column2 = relation, column1, column2

    def bind(self, model_name, name):
        bound = super().bind(model_name, name)
        own, other = model_name.replace(".", "_"), bound.comodel.replace(".", "_")
        if bound.relation is None:
            first, second = sorted([own, other])
            bound.relation = f"{first}_{second}_rel"
        if bound.column1 is None:
            bound.column1 = f"{own}_id" if own != other else f"{own}_id1"
        if bound.column2 is None:
            bound.column2 = f"{other}_id" if own != other else f"{other}_id2"
        return bound

    def relation_table(self, registry):
        """The association table, shared by both sides when they name the same relation."""
        existing = registry.metadata.tables.get(self.relation)
        if existing is not None:
            return existing
        own = registry.models[self.model_name]._table_name
        other = registry.models[self.comodel]._table_name
        return sa.Table(
            self.relation, registry.metadata,
            sa.Column(self.column1, sa.Integer, sa.ForeignKey(f"{own}.id", ondelete="CASCADE"), primary_key=True),
            sa.Column(self.column2, sa.Integer, sa.ForeignKey(f"{other}.id", ondelete="CASCADE"), primary_key=True,
                      index=True),
        )


def x2many_commands(field, value):
    """Normalise what callers write into an x2many to ``(op, id, values)`` commands.

    Accepted: a list of ids or a recordset (replace the set), a list of dicts (create),
    or explicit commands: ``("create", vals)``, ``("update", id, vals)``,
    ``("delete", id)``, ``("link", id)``, ``("unlink", id)``, ``("set", ids)``, ``("clear",)``.
    """
    if value is None or value is False:
        return [("set", None, [])]
    if hasattr(value, "_ids"):
        return [("set", None, list(value._ids))]
    if not isinstance(value, (list, tuple)):
        raise field.error(_("expected a list of ids, of new lines or of commands"))
    commands, plain_ids = [], []
    for item in value:
        if isinstance(item, dict):
            commands.append(("create", None, item))
        elif isinstance(item, int) and not isinstance(item, bool):
            plain_ids.append(item)
        elif isinstance(item, (list, tuple)) and item and item[0] in _COMMAND_ARITY:
            op = item[0]
            if len(item) != _COMMAND_ARITY[op]:
                raise field.error(_("the command %(command)r takes %(count)s argument(s)")
                                  % {"command": op, "count": _COMMAND_ARITY[op] - 1})
            if op == "create":
                commands.append(("create", None, item[1]))
            elif op == "update":
                commands.append(("update", item[1], item[2]))
            elif op in ("delete", "link", "unlink"):
                commands.append((op, item[1], None))
            elif op == "set":
                commands.append(("set", None, list(item[1])))
            else:
                commands.append(("clear", None, None))
        else:
            raise field.error(_("cannot understand %(item)r as a line, an id or a command") % {"item": item})
    if plain_ids:
        commands.insert(0, ("set", None, plain_ids))
    return commands


_COMMAND_ARITY = {"create": 2, "update": 3, "delete": 2, "link": 2, "unlink": 2, "set": 2, "clear": 1}
