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
</kesher>
```

Parsed with lxml with entities and network access off. A ``noupdate`` record is created
once and then left as the user changed it. Other addons add tags (views, menus, access
rows) through the ``kesher_data_tags`` hook.
"""
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
        self.handlers = {"record": self.load_record}
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


def _flag(value):
    return (value or "").strip().lower() in ("1", "true", "yes")
