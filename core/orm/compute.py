"""Stored computed fields: which changes make which records stale, and batch recompute.

Each dependency path ``"line_ids.price_subtotal"`` of a stored computed field is turned
into triggers: "when ``sale.order.line.price_subtotal`` changes on records R, the orders
to recompute are those matching ``[("line_ids", "in", R)]``". The reverse traversal is a
domain, so any depth of many2one/one2many/many2many costs one query per trigger.
"""
import sqlalchemy as sa

from ..exceptions import RegistryError


def build_triggers(registry):
    """Map ``(model, field) -> [(computed field, path prefix)]`` for the whole registry."""
    triggers = {}
    for model in registry.models.values():
        for field in model._fields.values():
            if not (field.compute and field.store):
                continue
            for path in compute_depends(model, field):
                _add_path_triggers(registry, triggers, model, field, path)
    return triggers


def compute_depends(model, field):
    method = field.compute if callable(field.compute) else getattr(model, field.compute, None)
    if method is None:
        raise RegistryError(f"{model._name}.{field.name}: compute method {field.compute!r} not found")
    paths = tuple(field.depends) + tuple(getattr(method, "_depends", ()))
    if field.store and not paths:
        raise RegistryError(f"{model._name}.{field.name} is stored and computed: declare what it depends on")
    return paths


def _add_path_triggers(registry, triggers, model, field, path):
    names = path.split(".")
    current = model
    for index, name in enumerate(names):
        step = current._fields.get(name)
        if step is None:
            raise RegistryError(f"{model._name}.{field.name} depends on {path!r}: "
                                f"{current._name} has no field {name!r}")
        prefix = ".".join(names[:index])
        triggers.setdefault((current._name, name), []).append((field, prefix))
        if step.type == "one2many":
            inverse_prefix = ".".join(names[:index + 1])
            triggers.setdefault((step.comodel, step.inverse_name), []).append((field, inverse_prefix))
        if index < len(names) - 1:
            if step.type not in ("many2one", "one2many", "many2many"):
                raise RegistryError(f"{model._name}.{field.name} depends on {path!r}: {name!r} is not relational")
            current = registry.models[step.comodel]


def mark_modified(records, names):
    """Queue the stored computed fields that depend on ``names`` of ``records``."""
    if not records._ids:
        return
    env = records.env
    triggers = env.registry.triggers
    pending = env.transaction.to_recompute
    done = set()
    for name in names:
        for field, prefix in triggers.get((records._name, name), ()):
            if (field, prefix) in done:  # several changed fields lead to the same records
                continue
            done.add((field, prefix))
            target = env[field.model_name].sudo().with_context(active_test=False)
            if not prefix:
                ids = records._ids
            else:
                ids = _parents_in_cache(env, target, prefix, records)
                if ids is None:
                    ids = target.search([(prefix, "in", list(records._ids))])._ids
            if ids:
                pending.setdefault(field, set()).update(ids)


def _parents_in_cache(env, target, prefix, records):
    """Lines → their parents without a query, when the path is the one2many of the lines'
    own many2one and its values are in the cache (as they are right after create/write)."""
    step = target._fields.get(prefix)
    if step is None or step.type != "one2many" or step.comodel != records._name:
        return None
    store = env.cache.store(records._fields[step.inverse_name])
    try:
        return tuple({store[rid] for rid in records._ids} - {None})
    except KeyError:
        return None


def mark_all_computed(records):
    """New records: every stored computed field of theirs is to be computed."""
    pending = records.env.transaction.to_recompute
    for field in records._fields.values():
        if field.compute and field.store:
            pending.setdefault(field, set()).update(records._ids)


def recompute_pending(env):
    """Compute queued fields in batch, write them with one statement each, repeat."""
    pending = env.transaction.to_recompute
    rounds = 0
    while pending:
        rounds += 1
        if rounds > 100:
            raise RegistryError("Stored computed fields keep triggering each other: is there a dependency cycle?")
        recompute_field(env, next(iter(pending)))


def recompute_field(env, field):
    """Compute and store ``field`` for all its queued records (also run on first read)."""
    ids = env.transaction.to_recompute.pop(field, ())
    model = env[field.model_name].sudo().with_context(active_test=False)
    records = model.browse(tuple(ids)).exists()
    if not records:
        return
    env.cache.invalidate([field], records._ids)
    records._compute_into_cache(field, records)
    store = env.cache.store(field)
    _write_computed(env, model, field, {rid: store[rid] for rid in records._ids})
    mark_modified(records, [field.name])


def _write_computed(env, model, field, values):
    table = model._table
    statement = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                 .values({field.name: sa.bindparam("_value", type_=table.c[field.name].type)}))
    env.execute(statement.execution_options(synchronize_session=False),
                [{"_id": rid, "_value": value} for rid, value in values.items()])
