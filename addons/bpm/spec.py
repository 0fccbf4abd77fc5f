"""A flow as plain data, read once per transaction: what every move and every status bar consults.

Moving 10,000 documents or listing the buttons of 1,000 asks the same few questions
(which transition leads from here to there, who may take it, what runs on arrival);
they are answered from this snapshot instead of one query per record.
"""
from dataclasses import dataclass, field


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
    """The active flow of ``model_name`` as a ``FlowSpec`` (None when the model has none)."""
    store = env.cache.store(SpecKey)
    if model_name not in store:
        store[model_name] = _load(env.sudo(), model_name)
    return store[model_name]


def forget_specs(env):
    """After any change to flows, statuses, transitions or actions of this transaction."""
    env.cache.store(SpecKey).clear()


def _load(env, model_name):
    flow = env["bpm.flow"].search([("model", "=", model_name)], limit=1)
    if not flow:
        return None
    spec = FlowSpec(flow.id, flow.name, flow.model)
    statuses = env["bpm.status"].search([("flow_id", "=", flow.id)])
    for row in statuses.read(["code", "name", "sequence", "is_initial", "is_closed", "fold", "color",
                              "time_limit_hours"]):
        status = StatusSpec(row["id"], row["code"], row["name"], row["sequence"] or 0, bool(row["is_initial"]),
                            bool(row["is_closed"]), bool(row["fold"]), row["color"] or "",
                            float(row["time_limit_hours"] or 0))
        spec.statuses[status.id] = status
        spec.by_code[status.code] = status
    transitions = env["bpm.transition"].search([("flow_id", "=", flow.id)])
    for row in transitions.read(["name", "help", "from_status_id", "to_status_id", "sequence", "group_ids",
                                 "condition", "required_field_names", "comment_required"]):
        if not row["from_status_id"] or not row["to_status_id"]:
            continue
        spec.outgoing.setdefault(row["from_status_id"]["id"], []).append(TransitionSpec(
            row["id"], row["name"], row["help"] or "", row["from_status_id"]["id"], row["to_status_id"]["id"],
            row["sequence"] or 0, frozenset(row["group_ids"] or ()), parse_condition(row["condition"]),
            split_names(row["required_field_names"]), bool(row["comment_required"])))
    for items in spec.outgoing.values():
        items.sort(key=lambda t: (t.sequence, t.id))
    actions = env["bpm.action"].search([("flow_id", "=", flow.id), ("active", "=", True)])
    for row in actions.read(["status_id", "trigger"]):
        if row["status_id"]:
            spec.actions.setdefault((row["status_id"]["id"], row["trigger"]), []).append(row["id"])
    return spec


def split_names(text):
    """``"partner_id, date"`` -> ``("partner_id", "date")``."""
    return tuple(name.strip() for name in (text or "").split(",") if name.strip())
