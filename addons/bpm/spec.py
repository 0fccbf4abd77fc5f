"""A flow as plain data, read once per transaction: what every move and every status bar consults.

Moving 10,000 documents or listing the buttons of 1,000 asks the same few questions
(which transition leads from here to there, who may take it, what runs on arrival);
they are answered from this snapshot instead of one query per record.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.addons.shared_cache import changed, shared


class SpecKey:
    """Where a transaction's cache keeps the snapshots (a cache store of its own)."""

    model_name, name = "bpm.flow", "__bpm_specs__"


@dataclass
class StatusSpec:
    id: int
    code: str
    name: str
    sequence: int
    is_initial: bool
    is_closed: bool
    fold: bool
    color: str
    time_limit_hours: float


@dataclass
class TransitionSpec:
    id: int
    name: str
    help: str
    from_id: int
    to_id: int
    sequence: int
    group_ids: frozenset
    condition: list
    required: tuple
    comment_required: bool


@dataclass
class FlowSpec:
    id: int
    name: str
    model: str
    statuses: dict = field(default_factory=dict)      # id -> StatusSpec
    by_code: dict = field(default_factory=dict)       # code -> StatusSpec
    outgoing: dict = field(default_factory=dict)      # from status id -> [TransitionSpec] (by sequence)
    actions: dict = field(default_factory=dict)       # (status id, trigger) -> [action id] (by sequence)

    @property
    def initial(self):
        return next((s for s in self.statuses.values() if s.is_initial), None)

    def transition(self, from_id, to_id):
        """The first transition from ``from_id`` to ``to_id`` (None: there is none)."""
        return next((t for t in self.outgoing.get(from_id, ()) if t.to_id == to_id), None)


def parse_condition(text):
    from .models.transition import parse_condition as parse
    try:
        return parse(text)
    except ValueError:
        return None


def flow_spec(env, model_name):
    """The flow of ``model_name`` as a ``FlowSpec`` (None when the model has none).

    Snapshots are shared by the transactions of a registry while the ``bpm`` signal in the
    database keeps its version (every change to a flow bumps it), as the access checker
    shares the security rows: a request pays one small query, not one per table.
    """
    store = env.cache.store(SpecKey)
    specs = store.get("specs")
    if specs is None:
        specs = store["specs"] = _shared(env)
    if model_name not in specs:
        specs[model_name] = _load(env, model_name)
    return specs[model_name]


def forget_specs(env):
    """After any change to flows, statuses, transitions or actions: this transaction reloads,
    and every worker does once the change commits."""
    env.cache.store(SpecKey).clear()
    changed(env, "bpm")


def _shared(env):
    return shared(env, "bpm")


def _load(env, model_name):
    """Read one flow with a query per table (flows, statuses, transitions and their groups, actions)."""
    models = env.registry.models
    flows, statuses = models["bpm.flow"]._table, models["bpm.status"]._table
    transitions, actions = models["bpm.transition"]._table, models["bpm.action"]._table
    groups = env.registry.metadata.tables["bpm_transition_group_rel"]
    row = env.execute(sa.select(flows.c.id, flows.c.name).where(flows.c.model == model_name)
                      .order_by(flows.c.id).limit(1)).first()
    if row is None:
        return None
    spec = FlowSpec(row.id, row.name, model_name)
    for row in env.execute(sa.select(statuses).where(statuses.c.flow_id == spec.id)
                           .order_by(statuses.c.sequence, statuses.c.id)).mappings():
        status = StatusSpec(row["id"], row["code"], row["name"], row["sequence"] or 0, bool(row["is_initial"]),
                            bool(row["is_closed"]), bool(row["fold"]), row["color"] or "",
                            float(row["time_limit_hours"] or 0))
        spec.statuses[status.id] = status
        spec.by_code[status.code] = status
    allowed = {}
    for transition_id, group_id in env.execute(
            sa.select(groups.c.transition_id, groups.c.group_id).join(transitions, transitions.c.id == groups.c.transition_id)
            .where(transitions.c.flow_id == spec.id)):
        allowed.setdefault(transition_id, set()).add(group_id)
    for row in env.execute(sa.select(transitions).where(transitions.c.flow_id == spec.id)
                           .order_by(transitions.c.sequence, transitions.c.id)).mappings():
        if row["from_status_id"] in spec.statuses and row["to_status_id"] in spec.statuses:
            spec.outgoing.setdefault(row["from_status_id"], []).append(TransitionSpec(
                row["id"], row["name"], row["help"] or "", row["from_status_id"], row["to_status_id"],
                row["sequence"] or 0, frozenset(allowed.get(row["id"], ())), parse_condition(row["condition"]),
                split_names(row["required_field_names"]), bool(row["comment_required"])))
    for row in env.execute(sa.select(actions.c.id, actions.c.status_id, actions.c.trigger)
                           .where(actions.c.flow_id == spec.id, actions.c.active.is_(True))
                           .order_by(actions.c.sequence, actions.c.id)):
        spec.actions.setdefault((row.status_id, row.trigger), []).append(row.id)
    return spec


def split_names(text):
    """``"partner_id, date"`` -> ``("partner_id", "date")``."""
    return tuple(name.strip() for name in (text or "").split(",") if name.strip())


class TranslatedNames:
    """Names of flows, statuses and transitions in the reader's language (their msgid is the
    English name, translated with the catalog of the addon that declared the flow)."""

    __slots__ = ()

    @property
    def display_name(self):
        return self._display_names().get(self.id, "") if self else ""

    def _display_names(self):
        from core.i18n.translate import gettext
        names = super()._display_names()
        lang = self.env.context.get("lang")
        return {rid: gettext(lang, name) for rid, name in names.items()} if lang and lang != "en" else names
