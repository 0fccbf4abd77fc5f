"""Aggregates: ``read_group`` with group-by on fields and on month/quarter/year of dates.

One SELECT ... GROUP BY per call; money sums are exact on SQLite too (integer storage),
and averages of money are computed from the exact sum and the count.
"""
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from ..exceptions import DomainError
from ..i18n.translate import _

AGGREGATES = ("sum", "avg", "count", "min", "max", "count_distinct")
DATE_PARTS = ("day", "week", "month", "quarter", "year")


class GroupMixin:
    def read_group(self, domain, groupby, aggregates=("__count",), order=None, limit=None, offset=None):
        """Rows of ``{group key: value, "field:agg": value, "__count": n}``.

        ``groupby``: field names, a date field with ``:month``, ``:quarter``, ``:year``,
        ``:week`` or ``:day``. ``aggregates``: ``"amount_total:sum"``, ``"id:count"``,
        ``"__count"``. A many2one group value is ``{"id", "name"}``.
        """
        self._check_access("read")
        model = type(self)
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        dialect = self.env.registry.engine.dialect.name
        keys, labels = [], []
        for spec in groupby:
            name, _sep, part = spec.partition(":")
            field = self._group_field(name)
            column = getattr(model._entity, name)
            if part:
                if field.type not in ("date", "datetime") or part not in DATE_PARTS:
                    raise DomainError(_("Cannot group %(model)s.%(field)s by %(part)r")
                                      % {"model": model._name, "field": name, "part": part})
                column = date_part(column, part, dialect)
            keys.append((spec, field, column.label(_label(spec))))
            labels.append(spec)
        measures = []
        for spec in aggregates:
            if spec == "__count":
                measures.append((spec, None, "count", [sa.func.count(model._entity.id).label("__count")]))
                continue
            name, _sep, function = spec.partition(":")
            function = function or "sum"
            field = self._group_field(name)
            if function not in AGGREGATES:
                raise DomainError(_("Unknown aggregate %(function)r: use one of %(known)s")
                                  % {"function": function, "known": ", ".join(AGGREGATES)})
            measures.extend(_measure(model, spec, field, function))
        statement = sa.select(*(k[2] for k in keys), *(e for m in measures for e in m[3])).where(self._where(domain))
        statement = statement.group_by(*(k[2] for k in keys))
        statement = statement.order_by(*_group_order(order, keys, measures))
        if limit:
            statement = statement.limit(limit)
        if offset:
            statement = statement.offset(offset)
        rows = self.env.execute(statement).all()
        return self._group_rows(rows, keys, measures)

    def _group_field(self, name):
        field = self._fields.get(name)
        if field is None:
            raise DomainError(_("Unknown field %(field)r on model %(model)r") % {"field": name, "model": self._name})
        if not field.store or field.type in ("one2many", "many2many", "binary"):
            raise DomainError(_("Field %(model)s.%(field)s is not stored in a column: it cannot be grouped or "
                                "aggregated") % {"model": self._name, "field": name})
        self._check_field_access(self.env, field)
        return field

    def _group_rows(self, rows, keys, measures):
        groups = []  # (spec, position, {id: name} of a many2one group, period shown as text)
        for index, (spec, field, _column) in enumerate(keys):
            names = None
            if field.type == "many2one" and ":" not in spec:
                ids = tuple({row[index] for row in rows if row[index] is not None})
                names = self.env[field.comodel].browse(ids)._display_names()
            groups.append((spec, index, names, ":" in spec))
        values = []  # (spec, position, quantum of a money average computed from sum and count)
        position = len(keys)
        for spec, field, _function, expressions in measures:
            values.append((spec, position, Decimal(1).scaleb(-field.digits) if len(expressions) == 2 else None))
            position += len(expressions)
        result = []
        for row in rows:
            item = {}
            for spec, index, names, period in groups:
                value = row[index]
                if value is not None:
                    if names is not None:
                        value = {"id": value, "name": names.get(value, "")}
                    elif period:
                        value = str(value)
                item[spec] = value
            for spec, index, quantum in values:
                value = row[index]
                if quantum is not None:
                    count = row[index + 1]
                    value = None if not count else (value / count).quantize(quantum, rounding=ROUND_HALF_UP)
                item[spec] = value
            result.append(item)
        return result


def _measure(model, spec, field, function):
    """``(spec, field, function, [expressions])``: money averages carry sum and count."""
    column = getattr(model._entity, field.name)
    label = _label(spec)
    if function == "count":
        return [(spec, field, function, [sa.func.count(column).label(label)])]
    if function == "count_distinct":
        return [(spec, field, function, [sa.func.count(sa.distinct(column)).label(label)])]
    if function == "avg" and field.type in ("decimal", "monetary"):
        total = sa.type_coerce(sa.func.sum(column), column.type).label(label)
        return [(spec, field, function, [total, sa.func.count(column).label(label + "_n")])]
    expression = getattr(sa.func, function)(column)
    if function in ("sum", "min", "max"):
        expression = sa.type_coerce(expression, column.type)
    return [(spec, field, function, [expression.label(label)])]


def _label(spec):
    return "g_" + spec.replace(":", "_").replace(".", "_")


def _group_order(order, keys, measures):
    if not order:
        return [k[2] for k in keys]
    labels = {spec: column for spec, _f, column in keys}
    labels.update({spec: expressions[0] for spec, _f, _fn, expressions in measures})
    clauses = []
    for part in order.split(","):
        words = part.split()
        if not words:
            continue
        if words[0] not in labels:
            raise DomainError(_("Cannot order groups by %(order)r: order by a group-by or an aggregate")
                              % {"order": words[0]})
        column = labels[words[0]]
        clauses.append(column.desc() if len(words) > 1 and words[1].lower() == "desc" else column.asc())
    return clauses


def date_part(column, part, dialect):
    """The period of a date as text: ``2025-03``, ``2025-Q1``, ``2025``, ``2025-W09``."""
    if dialect == "sqlite":
        if part == "quarter":
            quarter = (sa.cast(sa.func.strftime("%m", column), sa.Integer) + 2) // 3
            return sa.func.strftime("%Y", column) + "-Q" + sa.cast(quarter, sa.String)
        fmt = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}[part]
        return sa.func.strftime(fmt, column)
    fmt = {"day": "YYYY-MM-DD", "week": 'IYYY-"W"IW', "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q', "year": "YYYY"}[part]
    return sa.func.to_char(column, fmt)
