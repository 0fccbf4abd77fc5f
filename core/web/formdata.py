"""Reading a posted form into ORM values, refusing what the user may not change.

Only fields shown editable in the form view may be posted; anything else (status,
document number, computed or readonly fields, fields of a group the user is not in, or
unknown names) is refused with an error, never silently applied.
"""
import re

from werkzeug.exceptions import BadRequest

from ..i18n.translate import _
from .attrs import flag
from .values import parse

LINE_KEY = re.compile(r"^([a-z_][a-z0-9_]*)-(\d+|new\d+)-([a-z_][a-z0-9_]*)$")
TEMPLATE_KEY = re.compile(r"^[a-z_][a-z0-9_]*-__new__-[a-z_][a-z0-9_]*(__present)?$")  # the empty row copied by "Add a line"
CONTROL = {"csrf_token", "version", "redirect"}


def editable_fields(model, arch, record=None):
    """Names of the fields the current user may edit in this form view (for this record)."""
    checker = model.env.registry.access_checker
    result = {}
    for node in arch.iter("field"):
        parent = node.getparent()
        if parent is not None and parent.tag == "list":
            continue
        field = model._fields.get(node.get("name"))
        if field is None or field.readonly or field.compute or field.name in ("id", "version"):
            continue
        if flag(node, "readonly", record) or node.get("invisible") in ("1", "true"):
            continue
        if node.get("widget") == "statusbar":
            continue
        if field.groups and checker is not None and not checker.field_allowed(model.env, field):
            continue
        result[field.name] = node
    return result


def line_fields(comodel, field, node):
    """Names of the line fields the inline list of ``node`` (a one2many field) lets users edit."""
    inner = node.find("list")
    if inner is not None:
        names = [n.get("name") for n in inner.iter("field") if n.get("readonly") not in ("1", "true")
                 and n.get("invisible") not in ("1", "true")]
    else:
        names = [comodel._rec_name]
    return {name for name in names if name in comodel._fields and name != field.inverse_name
            and not comodel._fields[name].readonly and not comodel._fields[name].compute}


class FormParser:
    def __init__(self, model, arch, form, record=None):
        self.model = model
        self.form = form
        self.record = record
        self.editable = editable_fields(model, arch, record)

    def _check_names(self):
        for key in self.form.keys():
            if key in CONTROL or TEMPLATE_KEY.match(key):
                continue
            match = LINE_KEY.match(key)
            name = match.group(1) if match else key.removesuffix("__present")
            if name not in self.editable:
                if name in self.model._fields:
                    raise BadRequest(_("The field '%(field)s' cannot be changed here")
                                     % {"field": _(self.model._fields[name].string)})
                raise BadRequest(_("Unknown field %(field)r") % {"field": name})

    def values(self):
        self._check_names()
        values = {}
        for name, node in self.editable.items():
            field = self.model._fields[name]
            if field.type == "one2many":
                commands = self._lines(field)
                if commands:
                    values[name] = commands
            elif field.type == "many2many":
                if f"{name}__present" in self.form:
                    values[name] = [int(v) for v in self.form.getlist(name) if v.isdigit()]
            elif field.type == "boolean":
                if f"{name}__present" in self.form:
                    values[name] = name in self.form
            elif name in self.form:
                values[name] = parse(field, self.form.get(name))
        return values

    def _lines(self, field):
        comodel = self.model.env[field.comodel]
        allowed = line_fields(comodel, field, self.editable[field.name])
        own = set(self.record[field.name]._ids) if self.record else set()
        rows = {}
        for key in self.form.keys():
            match = LINE_KEY.match(key)
            if match and match.group(1) == field.name:
                rows.setdefault(match.group(2), {})[match.group(3)] = self.form.get(key)
        commands = []
        for key, raw in sorted(rows.items(), key=lambda item: (item[0].startswith("new"), item[0])):
            if not key.startswith("new") and int(key) not in own:
                raise BadRequest(_("Line %(line)s is not a line of this record") % {"line": key})
            line_values = {}
            for name, text in raw.items():
                if name in ("id", "delete"):
                    continue
                base = name.removesuffix("__present")  # a checkbox says it was in the form
                line_field = comodel._fields.get(base)
                if base not in allowed or (base != name and line_field.type != "boolean"):
                    raise BadRequest(_("The line field %(field)r cannot be changed here") % {"field": name})
                if base != name:
                    line_values[base] = base in raw
                elif line_field.type != "boolean" or f"{name}__present" not in raw:
                    line_values[name] = parse(line_field, text)
            if key.startswith("new"):
                if any(v not in (None, "", False) for v in line_values.values()):
                    commands.append(("create", line_values))
            elif raw.get("delete"):
                commands.append(("delete", int(key)))
            else:
                commands.append(("update", int(key), line_values))
        return commands

    def raw_values(self):
        """What the user typed, to show the form again after an error."""
        return {key: self.form.get(key) for key in self.form.keys() if key not in CONTROL}


def posted_lines(model, editable, form):
    """The lines as the user left them, to show the form again after an error:
    ``{"<field>__lines": [{"key", "line", "values", "delete"}]}`` per one2many field, each
    row with its posted key (a line id, or ``newN``), the existing line (or None) and the
    typed values (a many2one as its record, a checkbox as a boolean)."""
    result = {}
    for name, node in editable.items():
        field = model._fields[name]
        if field.type != "one2many":
            continue
        comodel = model.env[field.comodel]
        rows = {}
        for key in form.keys():
            match = LINE_KEY.match(key)
            if match and match.group(1) == name:
                rows.setdefault(match.group(2), {})[match.group(3)] = form.get(key)
        if not rows:
            continue
        lines = []
        for key, raw in sorted(rows.items(), key=lambda item: (item[0].startswith("new"), len(item[0]), item[0])):
            values = {}
            for line_name, text in raw.items():
                line_field = comodel._fields.get(line_name.removesuffix("__present"))
                if line_field is None or line_name in ("id", "delete"):
                    continue
                if line_field.type == "boolean":
                    values[line_field.name] = line_field.name in raw
                elif line_field.type == "many2one":
                    values[line_name] = model.env[line_field.comodel].browse(int(text)).exists() \
                        if (text or "").isdigit() else None
                else:
                    values[line_name] = text
            line = comodel.browse(int(key)).exists() if key.isdigit() else None
            lines.append({"key": key, "line": line, "values": values, "delete": bool(raw.get("delete"))})
        result[f"{name}__lines"] = lines
    return result
