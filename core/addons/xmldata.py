"""XML data files: records with external ids, loaded at install and reloaded at upgrade.

```xml
<kesher>
  <record id="ils" model="res.currency">
    <field name="name">ILS</field>
    <field name="symbol">₪</field>
  </record>
  <data noupdate="1">
    <record id="main_company" model="res.company">
      <field name="currency_id" ref="ils"/>
      <field name="group_ids" ref="group_user,group_manager"/>   <!-- many2many -->
      <field name="settings" type="json">{"a": 1}</field>
    </record>
  </data>
  <record id="demo_order" model="sale.order">
    <field name="date" days="-20"/>                  <!-- today - 20 days, when loaded -->
  </record>
  <apply ref="demo_order" method="action_confirm"/>  <!-- a document taken through its life -->
  <apply ref="demo_order" method="action_invoice" save_as="demo_invoice">
    <arg name="date" days="-5"/>                     <!-- keyword arguments of the method -->
  </apply>
</kesher>
```

``days="N"`` on a field (or an ``<arg>``) is the date N days from the day the file is
loaded: demo documents stay "recent" whenever a demo database is made. ``<apply>`` calls a
public method of a record once, when the file is first installed (not on upgrades);
``save_as`` gives the record the method made (returned, alone or in a dict) an external id.

Parsed with lxml with entities and network access off. A ``noupdate`` record is created
once and then left as the user changed it. Other addons add tags (views, menus, access
rows) through the ``kesher_data_tags`` hook.
"""
import datetime as dt
import functools
import json

from lxml import etree

from ..exceptions import AddonError, KesherError
from .xmlids import resolve_xmlid, set_xmlid, split_xmlid, xmlid_row

PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                      load_dtd=False, huge_tree=False)


def parse_file(path):
    try:
        tree = etree.parse(str(path), etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise AddonError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise AddonError(f"{path}: line 1: a DOCTYPE is not allowed in data files (entities are never expanded)")
    return tree.getroot()


class DataLoader:
    """Loads the data files of one addon into an environment."""

    def __init__(self, env, module, mode="init", handlers=None):
        self.env = env.sudo().with_context(active_test=False, loading_data=True)
        self.module = module
        self.mode = mode
        self.handlers = {"record": self.load_record, "apply": self.apply}
        self.handlers.update({tag: functools.partial(handler, self) for tag, handler in (handlers or {}).items()})
        self.loaded = set()

    def load_file(self, path, noupdate=False):
        """Load one data file; ``noupdate`` (demo files): its records are created once and
        then left alone — an upgrade neither rewrites nor removes them."""
        root = parse_file(path)
        if root.tag != "kesher":
            raise AddonError(f"{path}: line {root.sourceline}: the root element must be <kesher>, not <{root.tag}>")
        self._load_children(path, root, noupdate=noupdate or _flag(root.get("noupdate")))

    def _load_children(self, path, parent, noupdate):
        for node in parent:
            if node.tag == "data":
                self._load_children(path, node, noupdate or _flag(node.get("noupdate")))
                continue
            handler = self.handlers.get(node.tag)
            if handler is None:
                raise AddonError(f"{path}: line {node.sourceline}: unknown element <{node.tag}>")
            try:
                handler(path, node, noupdate)
            except AddonError:
                raise
            except KesherError as exc:
                raise AddonError(f"{path}: line {node.sourceline}: {exc}") from None

    def load_record(self, path, node, noupdate):
        xml_id, model_name = node.get("id"), node.get("model")
        if not model_name:
            raise AddonError(f"{path}: line {node.sourceline}: <record> needs a model attribute")
        if model_name not in self.env.registry.models:
            raise AddonError(f"{path}: line {node.sourceline}: unknown model {model_name!r}")
        noupdate = noupdate or _flag(node.get("noupdate"))
        model = self.env[model_name]
        values = {}
        for field_node in node:
            if field_node.tag != "field":
                raise AddonError(f"{path}: line {field_node.sourceline}: <record> holds only <field> elements")
            name = field_node.get("name")
            field = model._fields.get(name)
            if field is None:
                raise AddonError(f"{path}: line {field_node.sourceline}: model {model_name!r} has no field {name!r}")
            values[name] = self._value(path, field_node, field)
        return self.save(model, xml_id, values, noupdate, path, node.sourceline)

    def save(self, model, xml_id, values, noupdate, path=None, line=None):
        """Create or update the record named ``xml_id`` (None: always create)."""
        if not xml_id:
            return model.create(values)
        module, name = split_xmlid(xml_id, self.module)
        row = xmlid_row(self.env, module, name)
        record = model.browse(row["res_id"]).exists() if row else model.browse(())
        self.loaded.add((module, name))
        if record:
            if not (row["noupdate"] and self.mode == "update"):
                record.write(values)
            return record
        record = model.create(values)
        set_xmlid(self.env, module, name, model._name, record.id, noupdate)
        return record

    def apply(self, path, node, noupdate):
        """``<apply ref= method= [save_as=]>`` with ``<arg name=>`` children: call a method once."""
        line = node.sourceline
        xml_id, method = node.get("ref"), node.get("method") or ""
        if not xml_id or not method or method.startswith("_"):
            raise AddonError(f"{path}: line {line}: <apply> needs ref and the name of a public method")
        found = resolve_xmlid(self.env, xml_id, self.module)
        if found is None:
            raise AddonError(f"{path}: line {line}: external id {xml_id!r} not found")
        record = self.env[found[0]].browse(found[1])
        if not callable(getattr(type(record), method, None)):
            raise AddonError(f"{path}: line {line}: model {found[0]!r} has no method {method!r}")
        kwargs = {}
        for arg in node:
            if arg.tag != "arg" or not arg.get("name"):
                raise AddonError(f"{path}: line {arg.sourceline}: <apply> holds only <arg name=\"...\"> elements")
            kwargs[arg.get("name")] = _relative_date(path, arg) if arg.get("days") is not None else (arg.text or "")
        if self.mode == "update":
            return None  # once, at install: an upgrade does not take the document through its life again
        result = getattr(record, method)(**kwargs)
        save_as = node.get("save_as")
        if save_as:
            made = [value for value in (result.values() if isinstance(result, dict) else [result])
                    if hasattr(value, "_ids") and len(value) == 1]
            if not made:
                raise AddonError(f"{path}: line {line}: {method} returned no record to name {save_as!r}")
            module, name = split_xmlid(save_as, self.module)
            set_xmlid(self.env, module, name, made[0]._name, made[0].id, noupdate)
            self.loaded.add((module, name))
        return result

    def ref(self, xml_id, path=None, line=None):
        found = resolve_xmlid(self.env, xml_id, self.module)
        if found is None:
            where = f"{path}: line {line}: " if path else ""
            raise AddonError(f"{where}external id {xml_id!r} not found (is it defined earlier or in a dependency?)")
        return found[1]

    def _value(self, path, node, field):
        line = node.sourceline
        if node.get("ref") is not None:
            refs = [r.strip() for r in node.get("ref").split(",") if r.strip()]
            ids = [self.ref(r, path, line) for r in refs]
            if field.type == "many2many":
                return ids
            if len(ids) != 1:
                raise AddonError(f"{path}: line {line}: field {field.name!r} takes one reference")
            return ids[0]
        if node.get("file") is not None:
            if field.type != "binary":
                raise AddonError(f"{path}: line {line}: file= is only for binary fields")
            file_path = (path.parent / node.get("file")).resolve()
            return file_path.read_bytes()
        if node.get("days") is not None:
            if field.type not in ("date", "datetime"):
                raise AddonError(f"{path}: line {line}: days= is only for date fields, not {field.name!r}")
            date = _relative_date(path, node)
            return date if field.type == "date" else dt.datetime.combine(date, dt.time())
        text = node.text or ""
        kind = node.get("type")
        if kind == "json" or field.type == "json":
            try:
                return json.loads(text)
            except ValueError as exc:
                raise AddonError(f"{path}: line {line}: bad JSON in field {field.name!r}: {exc}") from None
        if field.type == "boolean":
            return text.strip().lower() in ("1", "true", "yes")
        if field.type in ("one2many", "many2many"):
            raise AddonError(f"{path}: line {line}: field {field.name!r} needs ref=\"id1,id2\"")
        if not text.strip() and field.type not in ("char", "text"):
            return None
        return text.strip() if field.type not in ("char", "text") else text


def _relative_date(path, node):
    """``days="N"``: the date N days from today (negative: in the past)."""
    try:
        days = int(node.get("days"))
    except ValueError:
        raise AddonError(f"{path}: line {node.sourceline}: days={node.get('days')!r} is not a whole number") from None
    return dt.date.today() + dt.timedelta(days=days)


def _flag(value):
    return (value or "").strip().lower() in ("1", "true", "yes")
