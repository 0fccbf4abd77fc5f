"""Class composition: from the declarations of installed addons to one class per model.

For each model name, the final class is ``type(name, (last extension, ..., base
declaration, composed mixins...), {})``, so ``super()`` goes from the most dependent
addon down to the base declaration, then to the mixins, then to ``BaseModel``.
"""
import importlib

import sqlalchemy as sa

from ..exceptions import RegistryError
from .fields import Field
from .models import BaseModel
from .recordset import RecordSet

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def addon_declarations(manifest, module):
    """The model classes an addon lists in ``models.MODELS`` (explicit, nothing scanned)."""
    models_module = getattr(module, "models", None)
    if models_module is None and (manifest.path / "models").is_dir():
        models_module = importlib.import_module(module.__name__ + ".models")
    declared = list(getattr(models_module, "MODELS", ())) if models_module else []
    for cls in declared:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            raise RegistryError(f"Addon {manifest.name!r}: MODELS lists {cls!r}, which is not a model class")
    return declared


def collect(manifests, modules):
    """``{model name: (owner addon, [declarations], [mixin names], {declaration: addon})}``."""
    closure = _closures(manifests)
    specs = {}
    for manifest in manifests:
        for cls in addon_declarations(manifest, modules[manifest.name]):
            cls_owner = manifest.name
            name, inherits = _names(cls)
            if name is None:
                raise RegistryError(f"{cls.__module__}.{cls.__qualname__} declares neither _name nor _inherit")
            if name in inherits:
                if name not in specs:
                    raise RegistryError(f"Addon {manifest.name!r} extends unknown model {name!r} "
                                        f"({cls.__qualname__})")
                owner = specs[name][0]
                if owner not in closure[manifest.name]:
                    raise RegistryError(f"Addon {manifest.name!r} extends {name!r} of addon {owner!r}, "
                                        f"which is not among its dependencies")
                specs[name][1].append(cls)
                specs[name][3][cls] = cls_owner
                specs[name][2].extend(m for m in inherits if m != name and m not in specs[name][2])
            else:
                if name in specs:
                    raise RegistryError(f"Model {name!r} is declared twice: by addon {specs[name][0]!r} "
                                        f"and by addon {manifest.name!r} (use _inherit to extend it)")
                specs[name] = (manifest.name, [cls], list(inherits), {cls: cls_owner})
    return specs


def _names(cls):
    inherit = cls.__dict__.get("_inherit", ())
    inherits = [inherit] if isinstance(inherit, str) else list(inherit)
    name = cls.__dict__.get("_name") or (inherits[0] if len(inherits) == 1 else None)
    return name, inherits


def _closures(manifests):
    closure = {}
    for manifest in manifests:
        names = {manifest.name, "base"}
        for dep in manifest.depend_names:
            names |= closure.get(dep, {dep})
        closure[manifest.name] = names
    return closure


def compose(specs):
    """Build the final class of every model; mixins first, as they are bases of others."""
    classes = {}
    owners = {decl: addon for spec in specs.values() for decl, addon in spec[3].items()}

    def build(name, trail=()):
        if name in classes:
            return classes[name]
        if name not in specs:
            raise RegistryError(f"Model {trail[-1] if trail else name!r} inherits unknown model {name!r}")
        if name in trail:
            raise RegistryError(f"Models inherit each other in a circle: {' -> '.join(trail + (name,))}")
        owner, declarations, mixins, _owners = specs[name]
        mixin_classes = tuple(build(m, trail + (name,)) for m in mixins)
        bases = tuple(reversed(declarations)) + mixin_classes
        identifier = name.replace(".", "_")
        abstract = declarations[0].__dict__.get("_abstract", declarations[0]._abstract)
        table_name = next((d.__dict__["_table_name"] for d in declarations if d.__dict__.get("_table_name")),
                          name.replace(".", "_"))
        attrs = {"_name": name, "_inherit": tuple(mixins), "_module": owner, "_abstract": abstract,
                 "_table_name": table_name,
                 "__module__": declarations[0].__module__}
        try:
            cls = type(identifier, bases, attrs)
        except TypeError as exc:
            raise RegistryError(f"Model {name!r} cannot be composed: {exc}") from None
        _bind_fields(cls, owners)
        classes[name] = cls
        return cls

    for name in specs:
        build(name)
    return classes


def _bind_fields(cls, owners):
    declared, declared_by = {}, {}
    for klass in reversed(cls.__mro__):
        for attr, value in klass.__dict__.items():
            if isinstance(value, Field):
                declared[attr] = value
                declared_by.setdefault(attr, owners.get(klass))
            elif attr in declared and klass is not cls and "_fields" not in klass.__dict__:
                del declared[attr]  # a later class replaced the field by something else
    fields = {}
    for attr in ["id"] + [a for a in declared if a != "id"]:
        bound = declared[attr].bind(cls._name, attr)
        bound.addon = declared_by.get(attr)
        if bound.related and bound.store:
            bound.compute = _related_compute(bound)
            bound.depends = (".".join(bound.related),)
        fields[attr] = bound
        setattr(cls, attr, bound if attr != "id" else RecordSet.id)
    cls._fields = fields
    cls._column_fields = [f for f in fields.values() if f.has_column]
    rec_name = _declared(cls, "_rec_name")
    cls._rec_name = rec_name if rec_name in fields else ("name" if "name" in fields else "id")
    cls._rec_names_search = list(_declared(cls, "_rec_names_search") or [cls._rec_name])
    constraints, seen = [], set()
    for klass in cls.__mro__:
        for item in klass.__dict__.get("_sql_constraints", ()):
            if item[0] not in seen:
                seen.add(item[0])
                constraints.append(tuple(item))
    cls._sql_constraints = constraints
    methods = {}
    for attr in dir(cls):
        value = getattr(cls, attr, None)
        if callable(value) and (hasattr(value, "_constrains") or hasattr(value, "_onchange")):
            methods[attr] = value
    cls._constraint_methods = [m for m in methods.values() if hasattr(m, "_constrains")]
    cls._onchange_methods = {a: m for a, m in methods.items() if hasattr(m, "_onchange")}


def _related_compute(field):
    """A stored related field is a stored computed field that follows its path."""
    def compute(records):
        records._related_into_cache(field, records)
    return compute


def _declared(cls, attr):
    """The first non-empty ``attr`` set by a declaration, not by an already composed class."""
    for klass in cls.__mro__:
        if klass.__dict__.get(attr) and "_fields" not in klass.__dict__:
            return klass.__dict__[attr]
    return None


def build_tables(registry):
    """One table per stored model, association tables, constraints; then the row classes."""
    for cls in registry.models.values():
        for field in cls._fields.values():
            comodel = getattr(field, "comodel", None)
            if comodel and comodel not in registry.models:
                raise RegistryError(f"Field {cls._name}.{field.name} refers to unknown model {comodel!r} "
                                    f"(is the addon that declares it among the dependencies?)")
            if field.type == "one2many":
                inverse = registry.models[comodel]._fields.get(field.inverse_name)
                if inverse is None or inverse.type != "many2one" or inverse.comodel != cls._name:
                    raise RegistryError(f"Field {cls._name}.{field.name}: {comodel}.{field.inverse_name} "
                                        f"must be a many2one to {cls._name}")
    for cls in registry.models.values():
        if cls._abstract:
            continue
        columns = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)]
        columns += [f.column(registry) for f in cls._column_fields if f.name != "id"]
        table = sa.Table(cls._table_name, registry.metadata, *columns, *_constraints(cls))
        cls._table = table
    for cls in registry.models.values():
        for field in cls._fields.values():
            if field.type == "many2many" and not cls._abstract:
                field.relation_table(registry)
    for cls in registry.models.values():
        if cls._abstract:
            continue
        cls._entity = Columns(cls._table)
        cls._registry = registry


class Columns:
    """The columns of a model's table as attributes (``entity.partner_id``), for queries.

    The ORM builds its statements on these Core columns: cheaper to build and compile
    than ORM-mapped attributes. ``registry.mapped_class(name)`` maps a class on demand
    for code that wants SQLAlchemy ORM queries.
    """

    def __init__(self, table):
        self.__dict__.update({column.name: column for column in table.c})
        self.__dict__["_table"] = table

    def __clause_element__(self):
        return self._table


def _constraints(cls):
    result = []
    for name, definition, _message in cls._sql_constraints:
        text = definition.strip()
        lowered = text.lower()
        if lowered.startswith("unique"):
            columns = [c.strip() for c in text[text.index("(") + 1:text.rindex(")")].split(",")]
            result.append(sa.UniqueConstraint(*columns, name=f"{cls._table_name}_{name}"))
        elif lowered.startswith("check"):
            result.append(sa.CheckConstraint(text[text.index("(") + 1:text.rindex(")")], name=name))
        else:
            raise RegistryError(f"{cls._name}: SQL constraint {name!r} must be unique(...) or check(...)")
    return result
