"""The ``<flow>`` element of data files: a whole flow in one readable block.

```xml
<flow id="quote_flow" model="sale.quote" string="Quote flow">
  <status code="draft" string="Draft" initial="1"/>
  <status code="sent" string="Sent" hours="48" color="#1565c0">
    <action on="enter" do="task" string="Follow up the quote" hours="24"/>
    <action on="escalate" do="reassign" user="base.user_admin"/>
  </status>
  <status code="won" string="Won" closed="1" fold="1"/>
  <transition from="draft" to="sent" string="Send" groups="base.group_user" required="partner_id"/>
  <transition from="sent" to="won" string="Won" condition='[["amount_total", ">", 0]]'
              help="A quote without an amount cannot be won" comment="1"/>
</flow>
```

Labels are ``string``/``help`` attributes, so ``kesher i18n extract`` finds them. Each
status, transition and action gets an external id (``<flow id>_<code>``,
``<flow id>_<from>_<to>``, ``<flow id>_<code>_<on>_<n>``, or its own ``id``): an upgrade
updates them in place, and what was removed from the file is removed from the flow.
Mistakes are refused with the file, the line and the flow named.
"""
import json

from core.exceptions import AddonError

FLOW_ATTRIBUTES = {"id", "model", "string", "help"}
STATUS_ATTRIBUTES = {"id", "code", "string", "initial", "closed", "fold", "color", "sequence", "hours"}
TRANSITION_ATTRIBUTES = {"id", "from", "to", "string", "help", "groups", "condition", "required", "comment", "sequence"}
ACTION_ATTRIBUTES = {"id", "on", "do", "string", "user", "template", "values", "hook", "hours", "to", "sequence",
                     "active"}
TRIGGERS = ("enter", "leave", "escalate")
KINDS = ("task", "email", "write", "hook", "deadline", "reassign", "move")


class FlowFile:
    """Reads one ``<flow>`` element; ``fail`` names the file, the line and the flow."""

    def __init__(self, loader, path, node, noupdate):
        self.loader, self.path, self.node, self.noupdate = loader, path, node, noupdate
        self.flow_xmlid = node.get("id")

    def fail(self, node, message):
        name = self.node.get("string") or self.flow_xmlid
        raise AddonError(f"{self.path}: line {node.sourceline}: flow {name!r}: {message}")

    def attributes(self, node, allowed, required):
        unknown = sorted(set(node.attrib) - allowed)
        if unknown:
            self.fail(node, f"<{node.tag}> has unknown attribute(s) {', '.join(unknown)} "
                            f"(known: {', '.join(sorted(allowed))})")
        for name in required:
            if not (node.get(name) or "").strip():
                self.fail(node, f"<{node.tag}> needs a {name} attribute")

    def ref(self, node, xml_id, model):
        from core.addons.xmlids import resolve_xmlid
        found = resolve_xmlid(self.loader.env, xml_id, self.loader.module)
        if found is None:
            what = {"res.groups": "group", "res.users": "user", "mail.template": "email template"}.get(model, model)
            self.fail(node, f"the {what} {xml_id!r} does not exist (is it defined earlier or in a dependency?)")
        if found[0] != model:
            self.fail(node, f"{xml_id!r} is a {found[0]} record, not a {model}")
        return found[1]

    def number(self, node, name, default=None):
        text = node.get(name)
        if text is None:
            return default
        try:
            return float(text) if name == "hours" else int(text)
        except ValueError:
            self.fail(node, f"{name}={text!r} is not a number")

    def save(self, model, xml_id, values):
        return self.loader.save(self.loader.env[model], xml_id, values, self.noupdate)

    # -- the elements ------------------------------------------------------------------
    def load(self):
        node = self.node
        self.attributes(node, FLOW_ATTRIBUTES, ["id", "model", "string"])
        if node.get("model") not in self.loader.env.registry.models:
            self.fail(node, f"unknown model {node.get('model')!r}")
        children = [child for child in node if isinstance(child.tag, str)]
        for child in children:
            if child.tag not in ("status", "transition"):
                self.fail(child, f"<flow> holds <status> and <transition> elements, not <{child.tag}>")
        statuses = [child for child in children if child.tag == "status"]
        self.check_statuses(statuses)
        flow = self.save("bpm.flow", self.flow_xmlid, {"name": node.get("string"), "model": node.get("model"),
                                                         "note": node.get("help")})
        status_ids = {}
        for index, child in enumerate(statuses):
            status_ids[child.get("code")] = self.load_status(flow, child, index).id
        for index, child in enumerate(c for c in children if c.tag == "transition"):
            self.load_transition(flow, child, index, status_ids)
        for child in statuses:
            for index, action in enumerate(child):
                if isinstance(action.tag, str):
                    self.load_action(flow, child, action, index, status_ids)
        return flow

    def check_statuses(self, statuses):
        if not statuses:
            self.fail(self.node, "it has no <status>")
        codes = [s.get("code") for s in statuses]
        for status in statuses:
            self.attributes(status, STATUS_ATTRIBUTES, ["code", "string"])
            if codes.count(status.get("code")) > 1:
                self.fail(status, f"the status code {status.get('code')!r} is used twice")
        initial = [s for s in statuses if _flag(s.get("initial"))]
        if len(initial) != 1:
            self.fail(self.node, "it has no initial status (initial=\"1\" on one <status>)" if not initial else
                      f"it has {len(initial)} initial statuses; one only")

    def load_status(self, flow, node, index):
        values = {"flow_id": flow.id, "code": node.get("code"), "name": node.get("string"),
                  "sequence": self.number(node, "sequence", (index + 1) * 10), "is_initial": _flag(node.get("initial")),
                  "is_closed": _flag(node.get("closed")), "fold": _flag(node.get("fold")),
                  "color": node.get("color"), "time_limit_hours": self.number(node, "hours")}
        return self.save("bpm.status", node.get("id") or f"{self.flow_xmlid}_{node.get('code')}", values)

    def load_transition(self, flow, node, index, status_ids):
        self.attributes(node, TRANSITION_ATTRIBUTES, ["from", "to", "string"])
        for end in ("from", "to"):
            if node.get(end) not in status_ids:
                self.fail(node, f"the transition {node.get('string')!r} {'comes from' if end == 'from' else 'leads to'}"
                                f" the unknown status {node.get(end)!r}")
        groups = [self.ref(node, g.strip(), "res.groups") for g in (node.get("groups") or "").split(",") if g.strip()]
        condition = None
        if node.get("condition"):
            try:
                condition = json.loads(node.get("condition"))
            except ValueError as exc:
                self.fail(node, f"condition={node.get('condition')!r} is not valid JSON: {exc}")
            if not isinstance(condition, list):
                self.fail(node, "the condition must be a JSON list (a domain)")
        values = {"flow_id": flow.id, "name": node.get("string"), "help": node.get("help"),
                  "sequence": self.number(node, "sequence", (index + 1) * 10),
                  "from_status_id": status_ids[node.get("from")], "to_status_id": status_ids[node.get("to")],
                  "group_ids": groups, "condition": json.dumps(condition) if condition else None, "required_field_names": node.get("required"),
                  "comment_required": _flag(node.get("comment"))}
        xml_id = node.get("id") or f"{self.flow_xmlid}_{node.get('from')}_{node.get('to')}"
        return self.save("bpm.transition", xml_id, values)

    def load_action(self, flow, status, node, index, status_ids):
        if node.tag != "action":
            self.fail(node, f"<status> holds <action> elements, not <{node.tag}>")
        self.attributes(node, ACTION_ATTRIBUTES, ["on", "do"])
        if node.get("on") not in TRIGGERS:
            self.fail(node, f"on={node.get('on')!r}: use one of {', '.join(TRIGGERS)}")
        if node.get("do") not in KINDS:
            self.fail(node, f"do={node.get('do')!r}: use one of {', '.join(KINDS)}")
        values = {"flow_id": flow.id, "status_id": status_ids[status.get("code")], "trigger": node.get("on"),
                  "kind": node.get("do"), "name": node.get("string"), "hook_name": node.get("hook"),
                  "sequence": self.number(node, "sequence", (index + 1) * 10), "hours": self.number(node, "hours"),
                  "active": _flag(node.get("active") or "1"),
                  "user_id": self.ref(node, node.get("user"), "res.users") if node.get("user") else None,
                  "template_id": self.ref(node, node.get("template"), "mail.template") if node.get("template") else None,
                  "target_status_id": None, "values": None}
        if node.get("to"):
            if node.get("to") not in status_ids:
                self.fail(node, f"the action moves to the unknown status {node.get('to')!r}")
            values["target_status_id"] = status_ids[node.get("to")]
        if node.get("values"):
            try:
                json.loads(node.get("values"))
            except ValueError as exc:
                self.fail(node, f"values={node.get('values')!r} is not valid JSON: {exc}")
            values["values"] = node.get("values")
        xml_id = node.get("id") or f"{self.flow_xmlid}_{status.get('code')}_{node.get('on')}_{index + 1}"
        return self.save("bpm.action", xml_id, values)


def load_flow(loader, path, node, noupdate):
    """The ``kesher_data_tags`` handler of ``<flow>``."""
    return FlowFile(loader, path, node, noupdate).load()


def _flag(value):
    return (value or "").strip().lower() in ("1", "true", "yes")
