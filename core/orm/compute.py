"""Stored computed fields: which changes make which records stale, and batch recompute.

Each dependency path ``"line_ids.price_subtotal"`` of a stored computed field is turned
into triggers: "when ``sale.order.line.price_subtotal`` changes on records R, the orders
to recompute are those matching ``[("line_ids", "in", R)]``". The reverse traversal is a
domain, so any depth of many2one/one2many/many2many costs one query per trigger.
"""
from ..exceptions import RegistryError
from .bulk import update_many


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


def precompute_groups(model):
    """Stored computed fields of ``model`` that can be computed before their row is inserted,
    as ``[(method, fields)]`` in the order to run them (a method computing several fields
    runs once for all of them).

    They depend only on the record's own non-relational columns (or on other such computed
    fields), so the values given to ``create`` are all they read: computing them first saves
    an UPDATE per field after the INSERT. Cached on the class, built on first use.
    """
    plan = model.__dict__.get("_precompute_plan")
    if plan is not None:
        return plan
    fields = model._fields
    candidates = {name for name, field in fields.items() if field.compute and field.store}

    def own_columns(field):
        return all("." not in path and path in fields and fields[path].has_column
                   and fields[path].type not in ("one2many", "many2many")
                   for path in compute_depends(model, field))

    ok = {name for name in candidates if own_columns(fields[name])}
    changed = True
    while changed:  # a field is precomputable only if the computed fields it reads are
        changed = False
        for name in sorted(ok):
            field = fields[name]
            method = field.compute
            siblings = [n for n in candidates if fields[n].compute == method]
            needs = [path for path in compute_depends(model, field) if path in candidates]
            if any(n not in ok for n in siblings) or any(n not in ok for n in needs):
                ok.discard(name)
                changed = True
    plan, placed = [], set()
    while len(placed) < len(ok):
        ready = [n for n in sorted(ok - placed)
                 if all(p in placed or p not in ok or fields[p].compute == fields[n].compute
                        for p in compute_depends(model, fields[n]))]
        if not ready:
            raise RegistryError(f"{model._name}: stored computed fields depend on each other in a cycle")
        method = fields[ready[0]].compute
        group = tuple(fields[n] for n in sorted(ok - placed) if fields[n].compute == method)
        plan.append((method, group))
        placed.update(f.name for f in group)
    model._precompute_plan = plan
    return plan


def mark_modified(records, names, skip=()):
    """Queue the stored computed fields that depend on ``names`` of ``records`` (own fields
    in ``skip`` excepted: they were computed already)."""
    if not records._ids:
        return
    env = records.env
    triggers = env.registry.triggers
    pending = env.transaction.to_recompute
    done = set()
    for name in names:
        for field, prefix in triggers.get((records._name, name), ()):
            if (field, prefix) in done or (not prefix and field in skip):  # several changes, same records
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


def mark_all_computed(records, skip=()):
    """New records: every stored computed field of theirs (but ``skip``) is to be computed."""
    pending = records.env.transaction.to_recompute
    for field in records._fields.values():
        if field.compute and field.store and field not in skip:
            pending.setdefault(field, set()).update(records._ids)


class held:
    """``with held(env):`` queued recomputes wait for the end of the block's caller (a nested
    create's lines are computed with their new parents, once). A field read meanwhile is
    still computed first, so nothing reads a stale value."""

    def __init__(self, env):
        self.transaction = env.transaction

    def __enter__(self):
        self.transaction.recompute_held += 1

    def __exit__(self, *exc):
        self.transaction.recompute_held -= 1


def recompute_pending(env):
    """Compute queued fields in batch, write them with one statement each, repeat."""
    if env.transaction.recompute_held:
        return
    pending = env.transaction.to_recompute
    rounds = 0
    while pending:
        rounds += 1
        if rounds > 100:
            raise RegistryError("Stored computed fields keep triggering each other: is there a dependency cycle?")
        recompute_field(env, next(iter(pending)))


def recompute_field(env, field):
    """Compute and store ``field`` for all its queued records (also run on first read); the
    queued fields its compute method also sets are done in the same run and statement."""
    pending = env.transaction.to_recompute
    group = [field] + [f for f in pending if f is not field and f.model_name == field.model_name
                       and f.compute == field.compute]
    ids = set()
    for member in group:
        ids.update(pending.pop(member, ()))
    model = env[field.model_name].sudo().with_context(active_test=False)
    records = model.browse(tuple(sorted(ids))).exists()
    if not records:
        return
    env.cache.invalidate(group, records._ids)
    records._compute_into_cache(field, records)
    stores = [env.cache.store(member) for member in group]
    for member, store in zip(group[1:], stores[1:]):
        if any(rid not in store for rid in records._ids):  # set by a compute that forgot some records
            store.update({rid: records._to_cache(member, None) for rid in records._ids if rid not in store})
    _write_computed(env, model, group, {rid: [store[rid] for store in stores] for rid in records._ids})
    mark_modified(records, [member.name for member in group])


def _write_computed(env, model, fields, values):
    """One UPDATE of ``fields`` for the records of ``values`` (``{id: [value per field]}``)."""
    update_many(env, model._table, [f.name for f in fields], [(rid, *row) for rid, row in values.items()])
