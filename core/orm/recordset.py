"""Recordsets: ordered sets of ids of one model, reading fields through a batch cache.

Reading ``order.partner_id.name`` in a loop costs one query per field for the whole
set being iterated (the "prefetch" set), not one per record.
"""
from ..exceptions import MissingError, UserError
from ..i18n.translate import _

CHUNK = 5000


class LazyPrefetch:
    """The ids a relational field points to from a set of records, resolved on first miss."""

    __slots__ = ("field", "source", "env", "_ids")

    def __init__(self, env, field, source):
        self.env, self.field, self.source, self._ids = env, field, source, None

    def __iter__(self):
        if self._ids is None:
            store = self.env.cache.store(self.field)
            seen = {}
            for rid in self.source:
                value = store.get(rid)
                if value is None:
                    continue
                for target in (value if isinstance(value, tuple) else (value,)):
                    seen[target] = None
            self._ids = tuple(seen)
        return iter(self._ids)


class RecordSet:
    """Behaviour shared by every model: identity, iteration, set algebra, field access."""

    __slots__ = ("env", "_ids", "_prefetch")

    def __init__(self, env, ids=(), prefetch=None):
        self.env = env
        self._ids = ids if isinstance(ids, tuple) else tuple(ids)
        self._prefetch = self._ids if prefetch is None else prefetch

    # -- identity -----------------------------------------------------------
    @property
    def ids(self):
        return list(self._ids)

    @property
    def id(self):
        return self._ids[0] if len(self._ids) == 1 else (None if not self._ids else self.ensure_one()._ids[0])

    def __len__(self):
        return len(self._ids)

    def __bool__(self):
        return bool(self._ids)

    def __iter__(self):
        cls, env, prefetch = type(self), self.env, self._prefetch
        for rid in self._ids:
            yield cls(env, (rid,), prefetch)

    def __contains__(self, item):
        return item._ids[0] in self._ids if hasattr(item, "_ids") else item in self._ids

    def __getitem__(self, key):
        if isinstance(key, str):
            field = self._fields.get(key)
            if field is None:
                raise KeyError(f"Model {self._name!r} has no field {key!r}")
            return field.__get__(self)
        if isinstance(key, slice):
            return type(self)(self.env, self._ids[key], self._prefetch)
        return type(self)(self.env, (self._ids[key],), self._prefetch)

    def __eq__(self, other):
        return isinstance(other, RecordSet) and self._name == other._name and set(self._ids) == set(other._ids)

    def __hash__(self):
        return hash((self._name, frozenset(self._ids)))

    def __or__(self, other):
        return self.browse(tuple(dict.fromkeys(self._ids + other._ids)))

    def __add__(self, other):
        return self.browse(self._ids + other._ids)

    def __and__(self, other):
        keep = set(other._ids)
        return self.browse(tuple(i for i in self._ids if i in keep))

    def __sub__(self, other):
        drop = set(other._ids)
        return self.browse(tuple(i for i in self._ids if i not in drop))

    def __repr__(self):
        return f"{self._name}{self._ids!r}"

    def ensure_one(self):
        if len(self._ids) != 1:
            raise UserError(_("Expected one %(model)s record, got %(count)s") % {"model": self._name,
                                                                                "count": len(self._ids)})
        return self

    def browse(self, ids=()):
        if isinstance(ids, int):
            ids = (ids,)
        return type(self)(self.env, tuple(ids))

    def with_env(self, env):
        return type(self)(env, self._ids, self._prefetch)

    def sudo(self, flag=True):
        return self.with_env(self.env.sudo(flag))

    def with_user(self, user):
        return self.with_env(self.env.with_user(user))

    def with_context(self, **values):
        return self.with_env(self.env.with_context(**values))

    # -- functional helpers ---------------------------------------------------
    def mapped(self, path):
        """Values of a dotted path: a recordset for relational ends, else a list."""
        if callable(path):
            return [path(rec) for rec in self]
        current = self
        names = path.split(".")
        for index, name in enumerate(names):
            field = current._fields[name]
            if field.type in ("many2one", "one2many", "many2many"):
                ids = {}
                for rec in current:
                    for rid in rec[name]._ids:
                        ids[rid] = None
                current = current.env[field.comodel].browse(tuple(ids))
            else:
                if index != len(names) - 1:
                    raise UserError(_("%(model)s.%(field)s is not relational: cannot follow %(path)r")
                                    % {"model": current._name, "field": name, "path": path})
                return [rec[name] for rec in current]
        return current

    def filtered(self, predicate):
        if isinstance(predicate, str):
            name = predicate
            predicate = lambda rec: any(rec.mapped(name))  # noqa: E731
        return self.browse(tuple(rec._ids[0] for rec in self if predicate(rec)))

    def sorted(self, key=None, reverse=False):
        if key is None:  # the model's order; archived records stay, the user's rules still apply
            ordered = self.with_context(active_test=False).search([("id", "in", self.ids)]).with_env(self.env)
            return ordered[::-1] if reverse else ordered
        if isinstance(key, str):
            name = key
            key = lambda rec: rec[name]  # noqa: E731
        return self.browse(tuple(rec._ids[0] for rec in sorted(self, key=key, reverse=reverse)))

    # -- field access through the cache ----------------------------------------
    def _get_field(self, field):
        if len(self._ids) != 1:
            if not self._ids:
                return self._empty_value(field)
            self.ensure_one()
        rid = self._ids[0]
        env = self.env
        if field.groups and not env.su:
            self._check_field_access(env, field)
        transaction = env.transaction
        pending = transaction.to_recompute
        if pending and field in pending and rid in pending[field]:
            from .compute import recompute_field
            recompute_field(env, field)
        store = transaction.cache.store(field)
        if rid not in store:
            self._fetch_field(field)
            if rid not in store:
                raise MissingError(_("Record %(model)s(%(id)s) does not exist or has been deleted")
                                   % {"model": self._name, "id": rid})
        if field.plain:
            return store[rid]
        return self._from_cache(field, store[rid])

    def _empty_value(self, field):
        if field.type in ("many2one", "one2many", "many2many"):
            return self.env[field.comodel]
        return None

    def _from_cache(self, field, value):
        if field.type == "many2one":
            comodel = self.env.registry.models[field.comodel]
            if value is None:
                return comodel(self.env, ())
            return comodel(self.env, (value,), LazyPrefetch(self.env, field, self._prefetch))
        if field.type in ("one2many", "many2many"):
            comodel = self.env.registry.models[field.comodel]
            return comodel(self.env, value, LazyPrefetch(self.env, field, self._prefetch))
        return value

    def _set_field(self, field, value):
        if field.compute:
            rid = self.ensure_one()._ids[0]
            self.env.transaction.cache.store(field)[rid] = self._to_cache(field, value)
        else:
            self.write({field.name: value})

    def _to_cache(self, field, value):
        if field.type == "many2one":
            return field.convert(value, self)
        if field.type in ("one2many", "many2many"):
            return tuple(value._ids) if hasattr(value, "_ids") else tuple(value or ())
        return field.convert(value, self)

    def _prefetch_ids(self, field):
        store = self.env.cache.store(field)
        wanted = [rid for rid in self._prefetch if rid not in store]
        if self._ids[0] not in store and self._ids[0] not in wanted:
            wanted.append(self._ids[0])
        return wanted

    def _fetch_field(self, field):
        if not self.env.su:
            self._check_access("read")
        wanted = self._prefetch_ids(field)
        if field.compute and not field.store:
            self._compute_into_cache(field, self.browse(tuple(wanted)))
        elif field.related and not field.store:
            self._related_into_cache(field, self.browse(tuple(wanted)))
        else:
            for start in range(0, len(wanted), CHUNK):
                self._fetch_stored(field, wanted[start:start + CHUNK])

    def _compute_into_cache(self, field, records):
        records = records.exists()
        method = field.compute if callable(field.compute) else getattr(type(records), field.compute)
        method(records)
        store = self.env.cache.store(field)
        missing = {rid: self._to_cache(field, None) if field.type not in ("one2many", "many2many") else ()
                   for rid in records._ids if rid not in store}
        self.env.cache.set_many(field, missing)

    def _related_into_cache(self, field, records):
        values = {}
        for rec in records.exists():
            value = rec
            for name in field.related:
                value = value[name] if value else None
            values[rec._ids[0]] = self._to_cache(field, value)
        self.env.cache.set_many(field, values)
