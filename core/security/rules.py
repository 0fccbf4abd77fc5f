"""Record-rule domains: variables substituted from the current user, never eval'd.

A value ``"$user.id"`` in a rule domain is replaced by the user's id; ``"$name"`` by a
value contributed through the ``kesher_rule_values`` hook. ``"$$x"`` is the literal
text ``"$x"``.
"""
from ..exceptions import DomainError, ValidationError
from ..i18n.translate import _

BUILTIN = ("user.id", "user.group_ids", "user.company_id")


def substitute(domain, variables, rule_name="rule"):
    """A copy of ``domain`` with its ``$variables`` replaced by their values."""
    result = []
    for item in domain:
        if isinstance(item, (list, tuple)) and len(item) == 3:
            path, operator, value = item
            result.append((path, operator, _value(value, variables, rule_name)))
        else:
            result.append(item)
    return result


def _value(value, variables, rule_name):
    if isinstance(value, str) and value.startswith("$"):
        if value.startswith("$$"):
            return value[1:]
        name = value[1:]
        if name not in variables:
            raise DomainError(_("Record rule %(rule)r uses %(variable)s, which no installed addon provides")
                              % {"rule": rule_name, "variable": "$" + name})
        return variables[name]
    if isinstance(value, list):
        return [_value(v, variables, rule_name) for v in value]
    return value


def variable_names(domain):
    names = set()
    for item in domain or ():
        if isinstance(item, (list, tuple)) and len(item) == 3:
            values = item[2] if isinstance(item[2], list) else [item[2]]
            names.update(v[1:] for v in values if isinstance(v, str) and v.startswith("$") and not v.startswith("$$"))
    return names


def check_rule_domain(env, model_name, domain, rule_name):
    """Refuse a rule whose domain is malformed or names unknown fields (checked at load)."""
    from ..orm.domain import DomainCompiler
    if not isinstance(domain, list):
        raise ValidationError(_("Rule %(rule)r: the domain must be a list") % {"rule": rule_name}, field="domain")
    names = variable_names(domain)
    unknown = sorted(names - set(BUILTIN) - _contributed(env)) if names - set(BUILTIN) else []
    if unknown:
        raise ValidationError(_("Rule %(rule)r: %(variable)s is neither a value of the user (%(builtin)s) nor one "
                                "an installed addon provides") % {"rule": rule_name, "variable": "$" + unknown[0],
                                                                  "builtin": ", ".join("$" + b for b in BUILTIN)},
                              field="domain")
    placeholders = {name: _placeholder(name) for name in names}
    try:
        DomainCompiler(env.registry).compile(env.registry.models[model_name], substitute(domain, placeholders, rule_name))
    except DomainError as exc:
        raise ValidationError(_("Rule %(rule)r: %(error)s") % {"rule": rule_name, "error": exc},
                              field="domain") from None


def _contributed(env):
    """Names of the values the installed addons contribute (asked for the current user)."""
    system = env.sudo()
    names = set()
    for answer in env.hooks.kesher_rule_values(env=system, user=system["res.users"].browse(env.uid)):
        names.update(answer or {})
    return names


def _placeholder(name):
    return [0] if name.endswith("_ids") else 0
