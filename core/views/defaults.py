"""The views generated for a model that declares none of a type.

- form: every stored field (the technical ones aside) in a group, x2many fields below it;
- list: the name-like fields (the record name, codes, references, logins);
- search: the record name;
- kanban: a card with the name-like fields;
- calendar: the first date field (none: an error); pivot and graph: counts only.
"""
from lxml import etree

from . import ViewError

TECHNICAL = ("id", "create_date", "write_date", "create_uid", "write_uid", "version")
NAME_LIKE = ("complete_name", "name", "display_name", "default_code", "code", "ref", "login", "email")


def default_arch(model, view_type):
    """A new element: the generated ``view_type`` view of ``model`` (a model class)."""
    builder = _BUILDERS.get(view_type)
    if builder is None:
        raise ViewError(f"Unknown view type {view_type!r}")
    return builder(model)


def _stored(model):
    return [f for name, f in model._fields.items()
            if name not in TECHNICAL and f.store and f.type != "binary"]


def _name_like(model):
    names = [n for n in (model._rec_name, *NAME_LIKE) if n in model._fields and model._fields[n].store]
    names = list(dict.fromkeys(names))[:4]
    return names or ["id"]


def _form(model):
    form = etree.Element("form")
    group = etree.SubElement(form, "group")
    plain = [f for f in _stored(model) if f.type not in ("one2many", "many2many")]
    for field in plain:
        etree.SubElement(group, "field", name=field.name)
    for field in _stored(model):
        if field.type in ("one2many", "many2many"):
            etree.SubElement(form, "field", name=field.name)
    if not len(group):
        form.remove(group)
    return form


def _list(model):
    root = etree.Element("list")
    for name in _name_like(model):
        etree.SubElement(root, "field", name=name)
    return root


def _search(model):
    root = etree.Element("search")
    name = model._rec_name if model._rec_name in model._fields and model._fields[model._rec_name].store else None
    if name:
        etree.SubElement(root, "field", name=name)
    return root


def _kanban(model):
    root = etree.Element("kanban")
    card = etree.SubElement(root, "card")
    for name in _name_like(model):
        etree.SubElement(card, "field", name=name)
    return root


def _calendar(model):
    dates = [f.name for f in _stored(model) if f.type in ("date", "datetime")]
    if not dates:
        raise ViewError(f"Model {model._name!r} declares no calendar view and has no date field to generate one")
    root = etree.Element("calendar", date_start=dates[0])
    for name in _name_like(model):
        etree.SubElement(root, "field", name=name)
    return root


def _pivot(model):
    return etree.Element("pivot")


def _graph(model):
    return etree.Element("graph", type="bar")


_BUILDERS = {"form": _form, "list": _list, "search": _search, "kanban": _kanban,
             "calendar": _calendar, "pivot": _pivot, "graph": _graph}
