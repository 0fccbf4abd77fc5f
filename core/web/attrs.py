"""View modifiers ``invisible``/``readonly``/``required``: a flag or a JSON domain on the record.

``readonly='[["state", "=", "done"]]'`` is evaluated here against the record shown (or
the default values of a new one), with the same operators as the ORM's domains.
"""
import json

from ..orm.domain import parse

FALSE_TOKENS = ("", "0", "false")
TRUE_TOKENS = ("1", "true")


def flag(node, attribute, record=None, values=None):
    """Whether ``attribute`` of a view ``node`` holds for this record."""
    raw = node.get(attribute)
    if raw is None:
        return False
    token = raw.strip().lower()
    if token in TRUE_TOKENS:
        return True
    if token in FALSE_TOKENS:
        return False
    tree = parse(json.loads(raw))
    return tree is None or _holds(tree, lambda path: _value(record, values or {}, path))


def _value(record, values, path):
    names = path.split(".")
    if names[0] in values and len(names) == 1:
        value = values[names[0]]
        return value.get("id") if isinstance(value, dict) else value
    current = record
    for name in names:
        if current is None or not current:
            return None
        current = current[name]
    if hasattr(current, "_ids"):
        return current.id if len(current) == 1 else list(current._ids)
    return current


def _holds(tree, lookup):
    kind = tree[0]
    if kind == "&":
        return _holds(tree[1], lookup) and _holds(tree[2], lookup)
    if kind == "|":
        return _holds(tree[1], lookup) or _holds(tree[2], lookup)
    if kind == "!":
        return not _holds(tree[1], lookup)
    path, operator, expected = tree[1]
    return compare(lookup(path), operator, expected)


def compare(value, operator, expected):
    if isinstance(value, list) and operator in ("=", "!=") and expected in (False, None, []):
        empty = not value
        return empty if operator == "=" else not empty
    if expected is False or expected is None:
        return (not value) if operator == "=" else bool(value)
    if operator == "=":
        return value == expected
    if operator == "!=":
        return value != expected
    if operator in ("in", "not in"):
        inside = value in expected if not isinstance(value, list) else bool(set(value) & set(expected))
        return inside if operator == "in" else not inside
    if operator in ("like", "ilike", "not like", "not ilike"):
        found = str(expected).lower() in str(value or "").lower()
        return found if not operator.startswith("not") else not found
    if value is None:
        return False
    return {"<": value < expected, "<=": value <= expected, ">": value > expected,
            ">=": value >= expected}.get(operator, False)
