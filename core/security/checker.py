"""The access checker the ORM consults below every entry point.

Access rows, rules and group memberships are loaded once and shared by transactions
while the ``security`` signal in the database keeps its version; a change to any of
them bumps it (seen by other workers when it commits), and a rollback forgets it.
Superuser mode (``env.sudo()``) skips every check; members of ``base.group_system`` pass
model access checks but still obey record rules.
"""
import copy

import sqlalchemy as sa

from ..exceptions import AccessError
from ..i18n.translate import _, _lt
from ..orm.domain import DomainCompiler
from .rules import substitute

SECURITY_MODELS = ("ir.model.access", "ir.rule", "res.groups", "res.users")
# one whole sentence per operation, so each language builds its own
MODEL_REFUSALS = {
    "read": _lt("You are not allowed to read %(description)s records (model %(model)s). "
                "Ask an administrator for access."),
    "write": _lt("You are not allowed to change %(description)s records (model %(model)s). "
                 "Ask an administrator for access."),
    "create": _lt("You are not allowed to create %(description)s records (model %(model)s). "
                  "Ask an administrator for access."),
    "unlink": _lt("You are not allowed to delete %(description)s records (model %(model)s). "
                  "Ask an administrator for access."),
}
RULE_REFUSALS = {
    "read": _lt("You are not allowed to read some of these %(description)s records (model %(model)s): "
                "they are outside your access rules."),
    "write": _lt("You are not allowed to change some of these %(description)s records (model %(model)s): "
                 "they are outside your access rules."),
    "create": _lt("You are not allowed to create some of these %(description)s records (model %(model)s): "
                  "they are outside your access rules."),
    "unlink": _lt("You are not allowed to delete some of these %(description)s records (model %(model)s): "
                  "they are outside your access rules."),
}


class StateKey:
    """Where the transaction's cache keeps its ``SecurityState`` (as a cache store of its own)."""

    model_name, name = "ir.rule", "security_state"


class SecurityState:
    """What one transaction knows of access rows, rules and users' groups."""

    def __init__(self, env):
        registry = env.registry
        session = env.session
        models = registry.models
        access = models["ir.model.access"]._table
        self.access = {}
        for model, group_id, r, w, c, u in session.execute(sa.select(
                access.c.model, access.c.group_id, access.c.perm_read, access.c.perm_write,
                access.c.perm_create, access.c.perm_unlink).where(access.c.active.is_(True))):
            self.access.setdefault(model, []).append((group_id, {"read": r, "write": w, "create": c, "unlink": u}))
        rule = models["ir.rule"]._table
        rel = registry.metadata.tables["ir_rule_group_rel"]
        groups_of_rule = {}
        for rule_id, group_id in session.execute(sa.select(rel.c.rule_id, rel.c.group_id)):
            groups_of_rule.setdefault(rule_id, set()).add(group_id)
        self.rules = {}
        for row in session.execute(sa.select(rule).where(rule.c.active.is_(True))).mappings():
            perms = {op: row[f"perm_{op}"] for op in ("read", "write", "create", "unlink")}
            self.rules.setdefault(row["model"], []).append(
                (row["id"], row["name"], row["domain"], groups_of_rule.get(row["id"], set()), perms))
        implied = registry.metadata.tables["res_groups_implied_rel"]
        self.implied = {}
        for group_id, implied_id in session.execute(sa.select(implied.c.group_id, implied.c.implied_id)):
            self.implied.setdefault(group_id, set()).add(implied_id)
        data = sa.table("ir_model_data", sa.column("module"), sa.column("name"), sa.column("model"),
                        sa.column("res_id"))
        self.group_xmlids = {f"{m}.{n}": res_id for m, n, res_id in session.execute(
            sa.select(data.c.module, data.c.name, data.c.res_id).where(data.c.model == "res.groups"))}
        self.user_groups = {}
        self.user_company = {}
        self.variables = {}

    def for_transaction(self):
        """A view for one more transaction: shared rows and groups, its own rule variables."""
        view = copy.copy(self)
        view.variables = {}
        return view

    def groups_of(self, env, uid):
        groups = self.user_groups.get(uid)
        if groups is None:
            rel = env.registry.metadata.tables["res_groups_users_rel"]
            direct = set(env.session.execute(sa.select(rel.c.group_id).where(rel.c.user_id == uid)).scalars())
            groups, todo = set(), list(direct)
            while todo:
                group = todo.pop()
                if group not in groups:
                    groups.add(group)
                    todo.extend(self.implied.get(group, ()))
            self.user_groups[uid] = groups
        return groups


class AccessChecker:
    """Answers the ORM's questions: may this user do this, and which rows may he see."""

    def __init__(self, registry):
        self.registry = registry
        self._shared = (None, None)  # (signal version, SecurityState) reused across transactions

    def state(self, env):
        """The transaction's security state: reused across transactions while no access row,
        rule, group or membership changed (a signal version in the database tells), so
        a request pays one small query instead of reloading everything."""
        store = env.cache.store(StateKey)
        state = store.get("state")
        if state is None:
            version = self._version(env) if not store.get("changed") else None
            shared_version, shared = self._shared
            if version is None or shared is None or shared_version != version:
                shared = SecurityState(env)
                if version is not None:
                    self._shared = (version, shared)
            state = store["state"] = shared.for_transaction()
        return state

    def _version(self, env):
        from ..addons.shared_cache import signal_versions
        versions = signal_versions(env)
        return None if versions is None else versions.get("security", 0)

    def is_admin(self, env, state):
        admin = state.group_xmlids.get("base.group_system")
        return admin is not None and admin in state.groups_of(env, env.uid)

    # -- model access -----------------------------------------------------------
    def model_allowed(self, env, model_name, operation):
        state = self.state(env)
        if self.is_admin(env, state):
            return True
        groups = state.groups_of(env, env.uid)
        return any(perms[operation] and (group_id is None or group_id in groups)
                   for group_id, perms in state.access.get(model_name, ()))

    def check_model(self, env, model_name, operation):
        if self.model_allowed(env, model_name, operation):
            return
        description = self.registry.models[model_name]._description
        raise AccessError(MODEL_REFUSALS[operation] % {"description": _(description) or model_name,
                                                       "model": model_name})

    # -- record rules -----------------------------------------------------------
    def rule_clause(self, records, operation):
        own = self._own_rule_clause(records, operation)
        link = getattr(type(records), "_document_link", None)
        if not link:
            return own
        document = self._document_clause(records, link, "read" if operation == "read" else "write")
        clauses = [clause for clause in (own, document) if clause is not None]
        return sa.and_(*clauses) if clauses else None

    def _document_clause(self, records, link, operation):
        """Records about another record (a message, an attachment: ``_document_link =
        (model field, id field)``) follow that record: only those about a document the
        user may ``operation`` (its model access and its rules), or about none."""
        env = records.env
        entity = type(records)._entity
        model_column, id_column = getattr(entity, link[0]), getattr(entity, link[1])
        denied, clauses = [], []
        for name, model in self.registry.models.items():
            if model._abstract or getattr(model, "_document_link", None):
                continue
            if not self.model_allowed(env, name, operation):
                denied.append(name)
                continue
            clause = self._own_rule_clause(env[name], operation)
            if clause is not None:
                readable = sa.select(model._entity.id).where(clause)
                clauses.append(sa.or_(model_column.is_(None), model_column != name, id_column.in_(readable)))
        if denied:
            clauses.append(sa.or_(model_column.is_(None), model_column.not_in(denied)))
        return sa.and_(*clauses) if clauses else None

    def _own_rule_clause(self, records, operation):
        env = records.env
        state = self.state(env)
        rules = [r for r in state.rules.get(records._name, ()) if r[4][operation]]
        if not rules:
            return None
        groups = state.groups_of(env, env.uid)
        variables = self.variables(env, state)
        compiler = DomainCompiler(self.registry)
        model = type(records)
        global_clauses, group_clauses = [], []
        for _rule_id, name, domain, rule_groups, _perms in rules:
            if not rule_groups:
                global_clauses.append(compiler.compile(model, substitute(domain, variables, name)))
            elif rule_groups & groups:
                group_clauses.append(compiler.compile(model, substitute(domain, variables, name)))
        if group_clauses:
            global_clauses.append(sa.or_(*group_clauses))
        if not global_clauses:
            return None
        return sa.and_(*global_clauses)

    def variables(self, env, state):
        values = state.variables.get(env.uid)
        if values is None:
            system = env.sudo()
            user = system["res.users"].browse(env.uid)
            company = state.user_company.get(env.uid, False)
            if company is False:
                users = self.registry.models["res.users"]._table
                company = env.session.execute(sa.select(users.c.company_id).where(users.c.id == env.uid)).scalar()
                state.user_company[env.uid] = company
            values = {"user.id": env.uid, "user.group_ids": sorted(state.groups_of(env, env.uid)) or [0],
                      "user.company_id": company}
            for answer in env.hooks.kesher_rule_values(env=system, user=user):
                values.update(answer or {})
            state.variables[env.uid] = values
        return values

    def check_records(self, records, operation):
        """Refuse when any of ``records`` is outside the user's rules for ``operation``."""
        clause = self.rule_clause(records, operation)
        if clause is None:
            return
        entity = type(records)._entity
        ids = list(records._ids)
        wanted = records._id_in(entity.id, ids)  # the ids as one parameter, however many
        allowed = set(records.env.execute(sa.select(entity.id).where(wanted, clause)).scalars())
        if len(allowed) < len(set(ids)):
            existing = set(records.env.execute(sa.select(entity.id).where(wanted)).scalars())
            if existing - allowed:
                description = _(records._description) or records._name
                raise AccessError(RULE_REFUSALS[operation] % {"description": description, "model": records._name})

    # -- field groups -------------------------------------------------------------
    def check_field(self, env, field, operation):
        if not self.field_allowed(env, field):
            if operation == "read":
                message = _("You are not allowed to read the field %(label)r (%(model)s.%(field)s).")
            else:
                message = _("You are not allowed to change the field %(label)r (%(model)s.%(field)s).")
            raise AccessError(message % {"label": _(field.string), "model": field.model_name, "field": field.name})

    def field_allowed(self, env, field):
        if not field.groups or env.su:
            return True
        state = self.state(env)
        groups = state.groups_of(env, env.uid)
        return any(state.group_xmlids.get(xml_id) in groups for xml_id in field.groups)


def forget(env):
    """After a change to access rows, rules or groups: drop this transaction's copy and
    signal the change to every worker (the shared copy is not reused by this transaction)."""
    store = env.cache.store(StateKey)
    store.clear()
    store["changed"] = True
    from ..addons.shared_cache import changed
    changed(env, "security")
