"""Writing: batch create (nested lines included), write, unlink and copy.

``create`` inserts every row of a call with one executemany statement and creates the
nested lines of all parents with one more; stored computed fields are then recomputed
once for the whole batch.
"""

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..exceptions import ConcurrencyError, UserError, ValidationError
from ..i18n.translate import _
from .bulk import insert_many
from .compute import held, mark_all_computed, mark_modified, precompute_groups, recompute_pending
from .fields import now as now_utc, x2many_commands

MAGIC = ("id", "create_date", "write_date", "create_uid", "write_uid", "version")




class CrudMixin:
    """create / write / unlink / copy for every model."""

    def create(self, vals_list):
        """Create one record (a dict) or many (a list of dicts) and return them."""
        single = isinstance(vals_list, dict)
        vals_list = [vals_list] if single else list(vals_list)
        self._check_access("create")
        if not vals_list:
            return self.browse(())
        model = type(self)
        self._check_create_names(vals_list)
        rows, x2many = [], []
        stamp, uid = now_utc(), self.env.uid
        base = _base_row(self)
        for vals in vals_list:
            row, lines = self._prepare_create(vals, base)
            row.update(create_date=stamp, write_date=stamp, create_uid=uid, write_uid=uid, version=1)
            rows.append(row)
            x2many.append(lines)
        plan = precompute_groups(model)
        precomputed = {field for _method, group in plan for field in group}
        ids = self._new_ids(len(rows)) if plan else None
        if plan:  # own-column computes run on the cached rows, their values go in the INSERT
            self._cache_rows(ids, rows)
            self._precompute(self.browse(ids), plan, rows)
        with _integrity(model):
            ids = self._insert_rows(rows, ids)
        records = self.browse(ids)
        if not plan:  # else cached before precomputing
            self._cache_rows(ids, rows)
        mark_all_computed(records, skip=precomputed)
        self._invalidate_inverse_caches(rows[0].keys())
        self._apply_x2many(records, x2many, creating=True)
        mark_modified(records, [f.name for f in model._column_fields], skip=precomputed)
        recompute_pending(self.env)
        records._check_rules("create")
        records._validate(_set_names(rows, vals_list, model))
        records._after_create(vals_list)
        return records

    def _check_create_names(self, vals_list):
        """Unknown fields and fields the user may not write are refused once per batch."""
        model = type(self)
        names = set().union(*vals_list)
        unknown = sorted(name for name in names if name not in model._fields)
        if unknown:
            raise _unknown_field(model, unknown[0])
        for name in names:
            field = model._fields[name]
            if field.groups:
                self._check_field_access(self.env, field, "write")

    def _precompute(self, records, plan, rows):
        """Run the precomputable stored computes on ``records`` (not inserted yet) and put
        their values into ``rows``."""
        cache = self.env.cache
        for method, group in plan:
            cache.invalidate(group, records._ids)
            (method if callable(method) else getattr(type(records), method))(records)
            for field in group:
                store = cache.store(field)
                for rid, row in zip(records._ids, rows):
                    if rid not in store:
                        store[rid] = records._to_cache(field, None)
                    row[field.name] = store[rid]

    def _insert_rows(self, rows, ids=None):
        """Insert ``rows`` with one executemany and return their ids (``ids`` when given), in
        the same order."""
        table = type(self)._table
        if len(rows) == 1 and ids is None:
            return (self.env.execute(sa.insert(table).returning(table.c.id), rows[0]).scalar_one(),)
        ids = ids or self._new_ids(len(rows))
        # columns empty in every row are left to their NULL default (JSON would store 'null')
        names = [name for name in rows[0] if table.c[name].type.__class__ is sa.JSON
                 or any(row[name] is not None for row in rows)]
        insert_many(self.env, table, ["id", *names],
                    [(rid, *[row[name] for name in names]) for rid, row in zip(ids, rows)])
        return ids

    def _new_ids(self, count):
        """``count`` unused ids, ascending, taken before inserting.

        A multi-row INSERT ... RETURNING does not say which row got which id on SQLite, and
        is slow to send on PostgreSQL; taking the ids first allows a plain executemany.
        """
        table = type(self)._table
        if self.env.registry.dialect == "sqlite":
            # the transaction holds the write lock (BEGIN IMMEDIATE): number as SQLite would
            last = self.env.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
            return tuple(range(last + 1, last + 1 + count))
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        statement = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
        return tuple(sorted(self.env.execute(statement).scalars()))

    def _after_create(self, vals_list):
        """Extension point called once per batch after records are created."""

    def _prepare_create(self, vals, base=None):
        """The row of one new record and its x2many commands (names checked by the caller).
        ``base``: the row of a record given nothing (constant defaults), shared by a batch."""
        model = type(self)
        plan = _create_plan(model)
        row = dict(_base_row(self) if base is None else base)
        lines = {}
        columns = plan.columns
        for name, value in vals.items():
            field = columns.get(name)
            if field is not None:
                row[name] = field.convert(value, self)
            elif model._fields[name].type in ("one2many", "many2many"):
                lines[name] = x2many_commands(model._fields[name], value)
        for name, field in plan.dynamic:
            if name not in vals:
                row[name] = field.convert(field.default_value(self), self)
        for name, field in plan.required:
            if row[name] is None:
                raise _required(model, field)
        return row, lines

    def _cache_rows(self, ids, rows):
        cache = self.env.cache
        for field in type(self)._column_fields:
            if field.name == "id":
                cache.set_many(field, {rid: rid for rid in ids})
            elif field.name in rows[0]:
                cache.set_many(field, {rid: row[field.name] for rid, row in zip(ids, rows)})

    def _invalidate_inverse_caches(self, names):
        """One2many caches of other models go stale when the many2one they mirror changes."""
        registry = self.env.registry
        stale = [field for field in registry.inverse_fields.get(self._name, ()) if field.inverse_name in names]
        self.env.cache.invalidate(stale)

    def _apply_x2many(self, records, commands_per_record, creating=False):
        """Run x2many commands of many records with one create/unlink/insert per kind."""
        model = type(self)
        creates = {}
        for rec_id, commands in zip(records._ids, commands_per_record):
            for name, commands_list in commands.items():
                field = model._fields[name]
                for op, target, values in commands_list:
                    if field.type == "one2many":
                        self._one2many_command(field, rec_id, op, target, values, creates)
                    else:
                        self._many2many_command(field, rec_id, op, target, values, creating)
        known = set()
        for name, vals_list in creates.items():
            field = model._fields[name]
            with held(self.env):  # the parents' totals run below, once the lines are known
                lines = self.env[field.comodel].create(vals_list)
            if creating and _cache_new_lines(field, records, lines, commands_per_record):
                known.add(name)
        touched = {name for commands in commands_per_record for name in commands} - known
        if touched:
            self.env.cache.invalidate([model._fields[n] for n in touched], records._ids)

    def _one2many_command(self, field, rec_id, op, target, values, creates):
        lines = self.env[field.comodel]
        if op == "create":
            creates.setdefault(field.name, []).append({**values, field.inverse_name: rec_id})
        elif op == "update":
            lines.browse(target).write(values)
        elif op in ("delete", "unlink"):
            lines.browse(target).unlink()
        elif op == "link":
            lines.browse(target).write({field.inverse_name: rec_id})
        elif op in ("set", "clear"):
            keep = set(values or [])
            current = lines.search([(field.inverse_name, "=", rec_id)])
            (current - lines.browse(tuple(keep))).unlink()
            if keep:
                lines.browse(tuple(keep)).write({field.inverse_name: rec_id})

    def _many2many_command(self, field, rec_id, op, target, values, creating):
        rel = field.relation_table(self.env.registry)
        own, other = rel.c[field.column1], rel.c[field.column2]
        if op == "create":
            raise UserError(_("%(model)s.%(field)s: create the record first, then link it")
                            % {"model": field.model_name, "field": field.name})
        if op in ("set", "clear"):
            if not creating:
                self.env.execute(sa.delete(rel).where(own == rec_id))
            targets = list(dict.fromkeys(values or []))
        elif op in ("unlink", "delete"):
            self.env.execute(sa.delete(rel).where(own == rec_id, other == target))
            targets = []
        else:
            exists = self.env.execute(sa.select(own).where(own == rec_id, other == target)).first()
            targets = [] if exists else [target]
        if targets:
            with _integrity(type(self)):
                self.env.execute(sa.insert(rel), [{field.column1: rec_id, field.column2: t} for t in targets])
        same_relation = [f for f in self.env.registry.m2m_by_relation.get(field.relation, ())]
        self.env.cache.invalidate(same_relation)

    def write(self, vals):
        """Write the same values on all these records; ``version`` in vals checks for conflicts."""
        if not self._ids:
            return True
        self._check_access("write")
        model = type(self)
        vals = dict(vals)
        expected_version = vals.pop("version", None)
        unknown = [name for name in vals if name not in model._fields]
        if unknown:
            raise _unknown_field(model, unknown[0])
        self._check_rules("write")
        columns, lines = {}, {}
        for name, value in vals.items():
            field = model._fields[name]
            self._check_field_access(self.env, field, "write")
            if name in MAGIC:
                raise ValidationError(_("Field %(model)s.%(field)s is set by the system")
                                      % {"model": model._name, "field": name}, field=name)
            if field.type in ("one2many", "many2many"):
                lines[name] = x2many_commands(field, value)
            elif field.compute and not field.inverse:
                raise ValidationError(_("Field %(model)s.%(field)s is computed and cannot be written")
                                      % {"model": model._name, "field": name}, field=name)
            elif field.has_column:
                value = field.convert(value, self)
                if value is None and field.required:
                    raise _required(model, field)
                columns[name] = value
        relational = [n for n in columns if model._fields[n].type == "many2one"] + list(lines)
        mark_modified(self, relational)
        if columns or expected_version is not None:
            self._update_columns(columns, expected_version)
        if lines:
            self._apply_x2many(self, [lines] * len(self._ids))
        mark_modified(self, list(columns) + list(lines))
        recompute_pending(self.env)
        self._check_rules("write")
        self._validate(list(vals))
        return True

    def _update_columns(self, columns, expected_version):
        model = type(self)
        table = model._table
        stamp = now_utc()
        values = {**columns, "write_date": stamp, "write_uid": self.env.uid, "version": table.c.version + 1}
        statement = sa.update(table).where(table.c.id.in_(self._ids)).values(values)
        if expected_version is not None:
            if len(self._ids) != 1:
                raise UserError(_("A version can only be checked when writing one record"))
            statement = statement.where(table.c.version == int(expected_version))
        with _integrity(model):
            count = self.env.execute(statement).rowcount
        if expected_version is not None and count == 0:
            raise ConcurrencyError(_("%(model)s %(id)s was changed by someone else since you opened it: reload it "
                                     "and apply your change again") % {"model": _label(model), "id": self._ids[0]})
        cache = self.env.cache
        for name, value in {**columns, "write_date": stamp, "write_uid": self.env.uid}.items():
            cache.set_many(model._fields[name], {rid: value for rid in self._ids})
        cache.invalidate([model._fields["version"]], self._ids)
        self._invalidate_inverse_caches(columns.keys())

    def unlink(self):
        """Delete these records; references with ``ondelete="restrict"`` refuse it clearly."""
        if not self._ids:
            return True
        self._check_access("unlink")
        self._check_rules("unlink")
        model = type(self)
        mark_modified(self, [f.name for f in model._fields.values() if f.store])
        self._before_unlink()
        table = model._table
        with _integrity(model, deleting=True):
            self.env.execute(sa.delete(table).where(table.c.id.in_(self._ids)))
        self.env.cache.invalidate()
        pending = self.env.transaction.to_recompute
        for field in list(pending):
            if field.model_name == self._name:
                pending[field] -= set(self._ids)
        recompute_pending(self.env)
        return True

    def _before_unlink(self):
        """Extension point called before the rows are deleted."""

    def copy(self, default=None):
        """Duplicate one record: fields with ``copy=True``, lines of copied one2many fields."""
        self.ensure_one()
        model = type(self)
        vals = {}
        for name, field in model._fields.items():
            if name in MAGIC or not field.copy or (field.compute and not field.inverse):
                continue
            if not self._field_readable(field):  # a field of groups the user is not in stays empty
                continue
            if field.type == "one2many":
                lines = self[name]
                line_fields = [n for n, f in lines._fields.items() if f.copy and n not in MAGIC and
                               n != field.inverse_name and f.type != "one2many" and lines._field_readable(f)]
                vals[name] = [_copy_values(line, line_fields) for line in lines]
            elif field.type == "many2many":
                vals[name] = list(self[name]._ids)
            elif field.store:
                vals[name] = self[name].id if field.type == "many2one" else self[name]
        vals.update(default or {})
        return self.create(vals)

    def _validate(self, names):
        """Run the Python constraints declared on any of ``names``."""
        for method in type(self)._constraint_methods:
            if set(method._constrains) & set(names):
                method(self)


def _set_names(rows, vals_list, model):
    """Fields a create gave a value to (given, defaulted or computed): their constraints run."""
    names = {name for vals in vals_list for name in vals}
    names.update(name for name in rows[0] if any(row[name] is not None for row in rows))
    names.update(name for name, field in model._fields.items() if field.compute and field.store)
    return names


IMMUTABLE = (str, int, float, Decimal, dt.date)  # a default of these types is shared, not copied


class _CreatePlan:
    """What a create fills per column of a model, sorted once: the columns by name, the
    defaults to make per record, the required columns."""

    def __init__(self, model):
        fields = [field for field in model._column_fields if field.name not in MAGIC]
        self.columns = {field.name: field for field in fields}
        self.constant = [(field.name, field) for field in fields if _is_constant(field.default)]
        self.dynamic = [(field.name, field) for field in fields
                        if field.default is not None and not _is_constant(field.default)]
        self.required = [(field.name, field) for field in fields if field.required and not field.compute]


def _is_constant(default):
    return default is not None and not callable(default) and isinstance(default, IMMUTABLE)


def _create_plan(model):
    plan = model.__dict__.get("_create_plan")
    if plan is None:
        plan = model._create_plan = _CreatePlan(model)
    return plan


def _base_row(records):
    """The row of a record given no value: its constant defaults converted, else None."""
    plan = _create_plan(type(records))
    row = dict.fromkeys(plan.columns)
    for name, field in plan.constant:
        row[name] = field.convert(field.default, records)
    return row


SORTABLE = frozenset({"integer", "float", "decimal", "monetary", "date", "datetime", "boolean"})


def _cache_new_lines(field, parents, lines, commands_per_record):
    """Right after new parents got their first lines, their one2many is known without a
    query: the new lines in the comodel's order. Only when every command was a create (no
    line linked from elsewhere), that order can be followed in Python (numbers and dates, no
    empty values) and no rule or archiving could hide a line; returns whether it was filled."""
    if not lines._ids or "active" in lines._fields or lines._rule_clause("read") is not None:
        return False
    if any(op != "create" for commands in commands_per_record for op, _id, _vals in commands.get(field.name, ())):
        return False
    cache = lines.env.cache
    keys = []
    for part in (lines._order or "id").split(","):
        words = part.split()
        if not words:
            continue
        column = lines._fields.get(words[0])
        if column is None or not column.store or (column.type not in SORTABLE and column.name != "id"):
            return False
        store = cache.store(column)
        if any(store.get(rid) is None for rid in lines._ids):
            return False
        keys.append((store, len(words) > 1 and words[1].lower() == "desc"))
    ordered = list(lines._ids)
    ordered.sort()  # the id that ends every order
    for store, descending in reversed(keys):
        ordered.sort(key=store.__getitem__, reverse=descending)
    inverse = cache.store(lines._fields[field.inverse_name])
    values = {rid: [] for rid in parents._ids}
    for line_id in ordered:
        parent = inverse.get(line_id)
        if parent not in values:
            return False
        values[parent].append(line_id)
    cache.set_many(field, {rid: tuple(ids) for rid, ids in values.items()})
    return True


def _copy_values(record, names):
    values = {}
    for name in names:
        value = record[name]
        field = record._fields[name]
        values[name] = value.id if field.type == "many2one" else (list(value._ids) if field.type == "many2many" else value)
    return values


class _integrity:
    """Turn database constraint errors into one clear message (the SQL never reaches users)."""

    def __init__(self, model, deleting=False):
        self.model, self.deleting = model, deleting

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None or not issubclass(exc_type, IntegrityError):
            return False
        text = str(exc.orig).lower()
        label = _label(self.model)
        table = self.model._table_name
        for name, definition, message in self.model._sql_constraints:
            columns = definition[definition.find("(") + 1:definition.rfind(")")].split(",")
            by_columns = definition.strip().lower().startswith("unique") and \
                all(f"{table}.{c.strip()}".lower() in text for c in columns)
            if name.lower() in text or by_columns:
                raise ValidationError(_(message)) from None
        if self.deleting or "foreign key" in text:
            if self.deleting:
                raise UserError(_("%(model)s: the record is still referenced by other records and cannot be "
                                  "deleted") % {"model": label}) from None
            raise ValidationError(_("%(model)s: a referenced record does not exist") % {"model": label}) from None
        if "unique" in text:
            raise ValidationError(_("%(model)s: a record with the same values already exists")
                                  % {"model": label}) from None
        if "not null" in text or "null value" in text:
            raise ValidationError(_("%(model)s: a required value is missing") % {"model": label}) from None
        raise ValidationError(_("%(model)s: the values break a database constraint") % {"model": label}) from None


def _label(model):
    """The model's description in the current language (its technical name if it has none)."""
    return _(model._description) if model._description else model._name


def _unknown_field(model, name):
    return ValidationError(_("Model %(model)r has no field %(field)r") % {"model": model._name, "field": name},
                           field=name)


def _required(model, field):
    return ValidationError(_("%(model)s: the field '%(field)s' is required")
                           % {"model": _label(model), "field": _(field.string)}, field=field.name)
