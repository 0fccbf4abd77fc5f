"""Babel extraction methods: which strings of Python, XML and Jinja files users see.

Each function has Babel's extractor signature ``(fileobj, keywords, comment_tags,
options)`` and yields ``(lineno, funcname, message, comments)``; ``funcname`` is None
(the message is already chosen), ``comments`` tell translators where a string is used.

Python (read with ``ast``, never imported):
- ``_("...")``, ``_lt("...")``, ``gettext(lang, "...")``, ``translate_label(lang, "...")`` and the
  web layer's ``tr(lang, "...")``/``ctx_tr(ctx, "...")``;
- field declarations ``fields.X(...)``: the label (first positional string argument,
  after the comodel/relation arguments of relational fields, or the label Kesher derives
  from the attribute name when none is given), ``string=``, ``help=`` and the labels of a
  Selection's literal list of pairs (also through a module-level constant);
- ``_description = "..."`` of model classes and ``_sql_constraints`` messages;
- string literals given to ``ValidationError``/``UserError``/``AccessError`` (f-strings
  are skipped: their text is not a fixed msgid).

XML: the attributes ``string``, ``help``, ``sum``, ``placeholder``, ``confirm`` of any
element, ``name`` of ``<menuitem>``/``<action>``, the text of an ``<action>`` (its help)
and the text of the fields of data records declared ``translate=True`` (found in the models'
sources) or listed in ``TRANSLATABLE_RECORD_FIELDS``.
"""
import ast
import functools
import importlib.util
from pathlib import Path

from lxml import etree

# name -> position of the msgid; tr/ctx_tr are the web layer's (lang or request context, text) wrappers
GETTEXT_CALLS = {"_": 0, "_lt": 0, "gettext": 1, "translate_label": 1, "tr": 1, "ctx_tr": 1}
FIELD_LABEL_POSITION = {"Selection": 1, "Many2one": 1, "One2many": 2, "Many2many": 4}
LABEL_KEYWORDS = {"string": "field label", "help": "field help"}
ERROR_CLASSES = ("ValidationError", "UserError", "AccessError")

TRANSLATABLE_ATTRIBUTES = ("string", "help", "sum", "placeholder", "confirm")
NAMED_ELEMENTS = ("menuitem", "action")
TEXT_ELEMENTS = ("action",)  # the text of an <action> is its help, shown while there is no record
TRANSLATABLE_RECORD_FIELDS = {"res.groups": ("name",), "uom.uom": ("name",)}


def auto_label(name):
    """The label ``Field.bind`` gives a field declared without one (keep the two in step)."""
    return name.replace("_id", "").replace("_ids", "").replace("_", " ").strip().capitalize()


def extract_python(fileobj, keywords, comment_tags, options):
    """Messages of a Python module, found by walking its syntax tree."""
    source = fileobj.read()
    tree = ast.parse(source, filename=getattr(fileobj, "name", "<source>"))
    errors = tuple(e.strip() for e in options.get("errors", ",".join(ERROR_CLASSES)).split(",") if e.strip())
    collector = _PythonCollector(_module_constants(tree, getattr(fileobj, "name", None)), errors)
    collector.visit(tree)
    yield from sorted(collector.found, key=lambda item: item[0])


def _text(node):
    """The value of a plain string literal (implicit concatenation included), else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(func):
    if isinstance(func, ast.Name):
        return func.id, None
    if isinstance(func, ast.Attribute):
        return func.attr, func.value.id if isinstance(func.value, ast.Name) else None
    return None, None


def _module_constants(tree, filename=None, follow=True):
    """Module-level ``NAME = [...]``/``(...)`` literals, so ``fields.Selection(STATES)`` is followed.

    Names imported with ``from module import NAME`` are looked up (without importing
    anything) in that module's own source, when it can be found.
    """
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value
        elif follow and isinstance(node, ast.ImportFrom) and filename:
            path = _module_file(node.module, node.level, filename)
            if path is not None:
                theirs = _file_constants(path)
                constants.update({alias.asname or alias.name: theirs[alias.name]
                                  for alias in node.names if alias.name in theirs})
    return constants


def _module_file(module, level, filename):
    """The source file of ``module`` (relative to ``filename`` when ``level``), or None."""
    if level:
        base = Path(filename).resolve().parent
        for _ in range(level - 1):
            base = base.parent
    else:
        try:
            spec = importlib.util.find_spec(module.split(".")[0])
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        base, module = Path(list(spec.submodule_search_locations)[0]), module.partition(".")[2]
    target = base.joinpath(*module.split(".")) if module else base
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=256)
def _file_constants(path):
    try:
        return _module_constants(ast.parse(Path(path).read_bytes()), follow=False)
    except (OSError, SyntaxError, ValueError):
        return {}


class _PythonCollector(ast.NodeVisitor):
    def __init__(self, constants, errors):
        self.constants, self.errors = constants, errors
        self.found = []
        self.model = None
        self.attribute = None

    def add(self, node, message, comment):
        if message and message.strip():
            self.found.append((node.lineno, None, message, [comment] if comment else []))

    def visit_ClassDef(self, node):
        outer = self.model
        self.model = _model_name(node) or node.name
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                self._class_assign(statement.targets[0].id, statement.value)
            else:
                self.visit(statement)
        self.model = outer

    def _class_assign(self, name, value):
        if name == "_description" and _text(value):
            self.add(value, _text(value), f"model description: {self.model}")
        elif name == "_sql_constraints" and isinstance(value, (ast.List, ast.Tuple)):
            for item in value.elts:
                if isinstance(item, (ast.List, ast.Tuple)) and len(item.elts) == 3:
                    self.add(item.elts[2], _text(item.elts[2]), f"constraint message: {self.model}")
        self.attribute = name
        self.visit(value)
        self.attribute = None

    def visit_Call(self, node):
        name, owner = _call_name(node.func)
        if name in GETTEXT_CALLS and (owner is None or name in ("gettext", "translate_label")):
            position = min(GETTEXT_CALLS[name], len(node.args) - 1)  # gettext("...") as well
            if position >= 0:
                self.add(node.args[position], _text(node.args[position]), None)
        elif name in self.errors:
            for arg in node.args:
                self.add(arg, _text(arg), "error message")
        elif owner == "fields" and name[:1].isupper():
            self._field(node, name)
        self.generic_visit(node)

    def _field(self, node, kind):
        where = f"{self.model}.{self.attribute}" if self.model and self.attribute else self.model or "field"
        position = FIELD_LABEL_POSITION.get(kind, 0)
        label = node.args[position] if len(node.args) > position else _keyword(node, "string")
        if label is not None:
            self.add(label, _text(label), f"field label: {where}")
        elif self.model and self.attribute and not self.attribute.startswith("_"):
            self.add(node, auto_label(self.attribute), f"field label: {where}")
        help_node = _keyword(node, "help")
        if help_node is not None:
            self.add(help_node, _text(help_node), f"field help: {where}")
        if kind == "Selection":
            options = node.args[0] if node.args else _keyword(node, "selection")
            named = isinstance(options, ast.Name)  # a constant, maybe of another file: point at the field
            if named:
                options = self.constants.get(options.id)
            if isinstance(options, (ast.List, ast.Tuple)):
                for pair in options.elts:
                    if isinstance(pair, (ast.List, ast.Tuple)) and len(pair.elts) == 2:
                        self.add(node if named else pair.elts[1], _text(pair.elts[1]), f"selection label: {where}")
            elif isinstance(options, ast.ListComp):
                for label in _comprehension_labels(options, self.constants):
                    self.add(options, label, f"selection label: {where}")


STR_METHODS = {"capitalize", "title", "upper", "lower", "strip", "replace"}


def _comprehension_labels(node, constants):
    """Labels of ``[(key, key.capitalize()) for key in KEYS]`` over a literal (or constant) of strings."""
    if len(node.generators) != 1 or not isinstance(node.elt, ast.Tuple) or len(node.elt.elts) != 2:
        return []
    generator = node.generators[0]
    source = constants.get(generator.iter.id) if isinstance(generator.iter, ast.Name) else generator.iter
    if generator.ifs or not isinstance(generator.target, ast.Name) or source is None:
        return []
    try:
        keys = ast.literal_eval(source)
    except ValueError:
        return []
    if not isinstance(keys, (list, tuple)) or not all(isinstance(key, str) for key in keys):
        return []
    labels = [_apply(node.elt.elts[1], generator.target.id, key) for key in keys]
    return [label for label in labels if isinstance(label, str)]


def _apply(expr, variable, value):
    """Evaluate ``variable``, a string constant, or a chain of plain str methods on them; else None."""
    if isinstance(expr, ast.Name):
        return value if expr.id == variable else None
    if _text(expr) is not None:
        return _text(expr)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in STR_METHODS \
            and not expr.keywords and all(_text(arg) is not None for arg in expr.args):
        base = _apply(expr.func.value, variable, value)
        return getattr(base, expr.func.attr)(*[_text(arg) for arg in expr.args]) if base is not None else None
    return None


def _keyword(node, name):
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _model_name(node):
    for statement in node.body:
        if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("_name", "_inherit")
                                                     for t in statement.targets):
            if _text(statement.value):
                return _text(statement.value)
    return None


def extract_xml(fileobj, keywords, comment_tags, options):
    """Messages of an XML data or view file, with the line of the element holding each."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                             remove_pis=True, huge_tree=False)
    root = etree.parse(fileobj, parser).getroot()
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        for attribute in TRANSLATABLE_ATTRIBUTES:
            value = element.get(attribute)
            if value and value.strip():
                found.append((element.sourceline, None, value, [f"{tag} {attribute}"]))
        if tag in NAMED_ELEMENTS and (element.get("name") or "").strip():
            found.append((element.sourceline, None, element.get("name"), [f"{tag} name"]))
        if tag in TEXT_ELEMENTS and (element.text or "").strip() and not element.get("help"):
            found.append((element.sourceline, None, element.text.strip(), [f"{tag} help"]))
        translatable = translatable_fields(_addon_folder(getattr(fileobj, "name", None)))
        if tag == "record" and element.get("model") in translatable:
            names = translatable[element.get("model")]
            for child in element:
                if isinstance(child.tag, str) and etree.QName(child).localname == "field" \
                        and child.get("name") in names and (child.text or "").strip() and len(child) == 0:
                    found.append((child.sourceline, None, child.text.strip(),
                                  [f"{element.get('model')} {child.get('name')}"]))
    yield from found


def _addon_folder(file_name):
    """The folder of the addon a file belongs to (the nearest one holding a manifest)."""
    if not file_name:
        return None
    for folder in Path(file_name).resolve().parents:
        if (folder / "manifest.toml").is_file():
            return folder
    return None


@functools.lru_cache(maxsize=64)
def translatable_fields(addon_folder=None):
    """``{model: {field names}}`` of the fields declared ``translate=True`` by base, the
    repository's addons and ``addon_folder``: their values in data files are messages.
    Read from the Python sources (nothing is imported)."""
    from ..i18n.translate import CORE_DIR, REPO_DIR
    found = {model: set(names) for model, names in TRANSLATABLE_RECORD_FIELDS.items()}
    folders = [CORE_DIR / "base", REPO_DIR / "addons"] + ([Path(addon_folder)] if addon_folder else [])
    for folder in folders:
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else ():
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and _model_name(node):
                    for statement in node.body:
                        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) \
                                and _translated_call(statement.value):
                            found.setdefault(_model_name(node), set()).update(
                                t.id for t in statement.targets if isinstance(t, ast.Name))
    return found


def _translated_call(call):
    keyword = _keyword(call, "translate")
    return isinstance(keyword, ast.Constant) and keyword.value is True


JINJA_KEYWORDS = ("_", "gettext", "ngettext", "tr")


def extract_jinja(fileobj, keywords, comment_tags, options):
    """Messages of a Jinja2 template: ``_("...")``, ``{% trans %}`` and ``tr(lang, "...")``."""
    from jinja2.ext import babel_extract
    for lineno, funcname, messages, comments in babel_extract(fileobj, JINJA_KEYWORDS, comment_tags, options):
        if funcname == "tr":
            message = messages[1] if isinstance(messages, tuple) and len(messages) > 1 else None
        elif isinstance(messages, tuple):
            message = messages[0]
        else:
            message = messages
        if isinstance(message, str) and message.strip():
            yield lineno, None, message, list(comments)
