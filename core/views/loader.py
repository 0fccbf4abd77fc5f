"""Data-file elements for views, window actions and menus (registered by the base addon).

```xml
<view id="res_partner_view_form" model="res.partner" [type="form"] [priority="16"] [name=".."]>
  <form>...</form>
</view>
<view id="res_partner_view_form_sales" inherit="base.res_partner_view_form" [priority="20"]>
  <xpath expr="//field[@name='email']" position="after"><field name="agent_id"/></xpath>
  <field name="phone" position="attributes"><attribute name="required">1</attribute></field>
</view>
<action id="action_customers" name="Customers" model="res.partner" view_types="list,form,kanban"
        domain='[["customer", "=", true]]' context='{"default_customer": true}' [limit="80"]>help text</action>
<action id="action_my_work" name="My documents" model="bpm.document" url="/web/bpm/my"/>  <!-- an addon's page -->
<menuitem id="menu_customers" name="Customers" parent="menu_contacts" action="action_customers"
          sequence="10" groups="base.group_user"/>
```

Each arch is checked against the RelaxNG schema and the models when loaded; errors name
the file and the line. Domains and contexts are JSON; in a search field's
``filter_domain`` the value ``"$self"`` stands for the text the user typed. An extension
is also applied at once to the view it extends (with the extensions of the addons loaded
so far), so a spec that does not apply fails here.
"""
import json

from lxml import etree

from ..addons.xmlids import resolve_xmlid
from ..exceptions import AddonError
from . import VIEW_TYPES, ViewError, arch_string
from .check import check_arch
from .schema import check_schema

VIEW_ATTRIBUTES = {"id", "model", "type", "name", "priority", "inherit", "active"}
ACTION_ATTRIBUTES = {"id", "name", "model", "view_types", "domain", "context", "limit", "help", "url"}
MENU_ATTRIBUTES = {"id", "name", "parent", "action", "sequence", "groups", "active"}


def data_tags():
    """The handlers, as the ``kesher_data_tags`` hook answers them."""
    return {"view": load_view, "action": load_action, "menuitem": load_menuitem}


def _fail(path, node, message):
    raise AddonError(f"{path}: line {node.sourceline}: {message}")


def _attributes(path, node, allowed, required):
    unknown = sorted(set(node.attrib) - allowed)
    if unknown:
        _fail(path, node, f"<{node.tag}> has unknown attribute(s) {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(allowed))})")
    for name in required:
        if not node.get(name):
            _fail(path, node, f"<{node.tag}> needs a {name} attribute")


def _integer(path, node, name, default):
    value = node.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        _fail(path, node, f"{name}={value!r} is not a whole number")


def _flag(node, name):
    return (node.get(name) or "1").strip().lower() in ("1", "true", "yes")


def _source(loader, path, node):
    manifest = loader.env.registry.addons.get(loader.module)
    try:
        relative = path.relative_to(manifest.path) if manifest else path
        return f"{loader.module}/{relative}:{node.sourceline}"
    except ValueError:
        return f"{path}:{node.sourceline}"


def load_view(loader, path, node, noupdate):
    _attributes(path, node, VIEW_ATTRIBUTES, ["id"])
    env = loader.env
    views = env["ir.ui.view"]
    values = {"name": node.get("name") or node.get("id"), "priority": _integer(path, node, "priority", 16),
              "active": _flag(node, "active"), "addon": loader.module, "source": _source(loader, path, node)}
    content = list(node.iterchildren("*"))
    if (node.text or "").strip() or any((child.tail or "").strip() for child in content):
        _fail(path, node, "<view> holds elements only, no text")
    if node.get("inherit"):
        arch = _extension_arch(loader, path, node, content, values)
    else:
        arch = _primary_arch(path, node, content, values)
    try:
        check_schema(arch, str(path))
        if not node.get("inherit"):
            check_arch(env, values["model"], arch, lambda n: f"{path}: line {n.sourceline}")
    except ViewError as exc:
        raise AddonError(str(exc)) from None
    values["arch"] = arch_string(arch)
    view = loader.save(views, node.get("id"), values, noupdate)
    try:
        view._combined(upto=loader.module)  # with the extensions of the addons loaded so far
    except ViewError as exc:
        _fail(path, node, str(exc))
    return view


def _primary_arch(path, node, content, values):
    if len(content) != 1:
        _fail(path, node, f"<view> holds exactly one <{node.get('type') or 'form'}> (or <list>, ...), "
                          f"found {len(content)} elements")
    arch = content[0]
    kind = node.get("type") or arch.tag
    if kind not in VIEW_TYPES:
        _fail(path, node, f"unknown view type {kind!r} (known: {', '.join(VIEW_TYPES)})")
    if arch.tag != kind:
        _fail(path, arch, f"a {kind} view holds a <{kind}>, not a <{arch.tag}>")
    if not node.get("model"):
        _fail(path, node, "<view> needs a model attribute (or inherit=...)")
    values.update(model=node.get("model"), type=kind, inherit_id=None)
    return arch


def _extension_arch(loader, path, node, content, values):
    parent = loader.env["ir.ui.view"].browse(_ref_of(loader, path, node, node.get("inherit"), "ir.ui.view"))
    for name in ("model", "type"):
        if node.get(name) and node.get(name) != parent[name]:
            _fail(path, node, f"{name}={node.get(name)!r}, but the view it extends has {name} {parent[name]!r}")
    if len(content) == 1 and content[0].tag == "data":
        arch = content[0]
    else:
        arch = etree.Element("data")
        arch.extend(content)
    if not len(arch):
        _fail(path, node, "an extension view holds at least one <xpath> or <field position=...>")
    values.update(model=parent.model, type=parent.type, inherit_id=parent.id)
    return arch


def load_action(loader, path, node, noupdate):
    _attributes(path, node, ACTION_ATTRIBUTES, ["id", "name", "model"])
    if node.get("model") not in loader.env.registry.models:
        _fail(path, node, f"unknown model {node.get('model')!r}")
    values = {"name": node.get("name"), "model": node.get("model"),
              "view_types": node.get("view_types") or "list,form",
              "limit": _integer(path, node, "limit", 80),
              "help": node.get("help") or (node.text or "").strip() or None,
              "domain": _json(path, node, "domain", list), "context": _json(path, node, "context", dict),
              "url": node.get("url") or None}
    return loader.save(loader.env["ir.actions.window"], node.get("id"), values, noupdate)


def _json(path, node, name, expected):
    text = node.get(name)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        _fail(path, node, f"{name}={text!r} is not valid JSON: {exc}")
    if not isinstance(value, expected):
        _fail(path, node, f"{name} must be a JSON {'list' if expected is list else 'object'}")
    return value


def load_menuitem(loader, path, node, noupdate):
    _attributes(path, node, MENU_ATTRIBUTES, ["id"])
    env = loader.env
    values = {"sequence": _integer(path, node, "sequence", 10), "active": _flag(node, "active"),
              "parent_id": None, "action_id": None, "group_ids": []}
    if node.get("parent"):
        values["parent_id"] = _ref_of(loader, path, node, node.get("parent"), "ir.ui.menu")
    if node.get("action"):
        values["action_id"] = _ref_of(loader, path, node, node.get("action"), "ir.actions.window")
    for xml_id in (g.strip() for g in (node.get("groups") or "").split(",") if g.strip()):
        values["group_ids"].append(_ref_of(loader, path, node, xml_id, "res.groups"))
    name = node.get("name")
    if not name and values["action_id"]:
        name = env["ir.actions.window"].browse(values["action_id"]).name
    if not name:
        _fail(path, node, "<menuitem> needs a name attribute (or an action to take it from)")
    values["name"] = name
    return loader.save(env["ir.ui.menu"], node.get("id"), values, noupdate)


def _ref_of(loader, path, node, xml_id, model):
    found = resolve_xmlid(loader.env, xml_id, loader.module)
    if found is None:
        _fail(path, node, f"external id {xml_id!r} not found (is it defined earlier or in a dependency?)")
    if found[0] != model:
        _fail(path, node, f"{xml_id!r} is a {found[0]} record, not a {model}")
    return found[1]
