"""Inheritance: the specs of an extension view applied to the arch it extends.

An extension's arch is ``<data>`` holding specs. A spec locates exactly one node — with
``<xpath expr="...">`` or the shorthand ``<field name="x">`` (the field ``x`` outside
sub-views) — and changes it by ``position``:

- ``after`` / ``before``: its children are inserted next to the node;
- ``inside``: appended to the node;
- ``replace``: the node is replaced by its children (removed when there are none);
- ``attributes``: ``<attribute name="a">value</attribute>`` sets ``a`` (removes it when empty).

A spec that matches no node or several nodes is an error naming both views: extensions
fail loudly instead of silently doing nothing.
"""
import copy

from lxml import etree

from . import ViewError

ORIGIN = "kesher-view"  # marks nodes brought by an extension (the view id), stripped before use


def apply_specs(arch, specs, view_id, label, target_label):
    """``arch`` changed by the specs (a ``<data>`` element) of view ``view_id``; the new root.

    ``label`` names the extension view and ``target_label`` the view it extends, for errors.
    """
    if specs.tag != "data":
        raise ViewError(f"{label}: an extension view holds <xpath> or <field position=...> specs, "
                        f"not a <{specs.tag}> view")
    for spec in specs.iterchildren("*"):
        arch = apply_spec(arch, spec, view_id, label, target_label)
    return arch


def locate(arch, spec, label, target_label):
    """The one node of ``arch`` that ``spec`` designates."""
    if spec.tag == "xpath":
        what = f"xpath {spec.get('expr')!r}"
        try:
            found = arch.xpath(spec.get("expr") or "")
        except etree.XPathError as exc:
            raise ViewError(f"{label}: {what} is not a valid XPath expression: {exc}") from None
    elif spec.get("name"):
        what = f"<{spec.tag} name={spec.get('name')!r}>"
        found = arch.xpath(f"//{spec.tag}[@name=$name][not(ancestor::field)]", name=spec.get("name"))
    else:
        raise ViewError(f"{label}: a spec is <xpath expr=...> or an element with a name attribute, "
                        f"not <{spec.tag}>")
    if not isinstance(found, list) or not all(isinstance(node, etree._Element) for node in found):
        raise ViewError(f"{label}: {what} must select elements of {target_label}")
    if not found:
        raise ViewError(f"{label}: {what} matches no node of {target_label}")
    if len(found) > 1:
        raise ViewError(f"{label}: {what} matches {len(found)} nodes of {target_label}; "
                        f"it must match exactly one (make the expression more precise)")
    return found[0]


def apply_spec(arch, spec, view_id, label, target_label):
    target = locate(arch, spec, label, target_label)
    position = spec.get("position") or "inside"
    if position == "attributes":
        for item in spec.iterchildren("attribute"):
            value = (item.text or "").strip()
            if value:
                target.set(item.get("name"), value)
            else:
                target.attrib.pop(item.get("name"), None)
            if item.get("name") == "name":
                target.set(ORIGIN, str(view_id))
        return arch
    content = [_marked(child, view_id) for child in spec.iterchildren("*")]
    if position == "inside":
        target.extend(content)
    elif position in ("after", "before", "replace"):
        if target is arch and position != "replace":
            raise ViewError(f"{label}: cannot insert {position} the root <{arch.tag}> of {target_label}")
        if target is arch:
            if len(content) != 1 or content[0].tag != arch.tag:
                raise ViewError(f"{label}: replacing the root of {target_label} needs exactly one <{arch.tag}>")
            return content[0]
        anchor = target
        for node in content if position != "before" else []:
            anchor.addnext(node)
            anchor = node
        for node in content if position == "before" else []:
            target.addprevious(node)
        if position == "replace":
            target.getparent().remove(target)
    else:
        raise ViewError(f"{label}: unknown position {position!r} (after, before, inside, replace, attributes)")
    return arch


def _marked(node, view_id):
    node = copy.deepcopy(node)
    node.tail = None
    node.set(ORIGIN, str(view_id))
    return node


def origin_of(node):
    """The id of the view that brought ``node`` (None: the view being extended)."""
    while node is not None:
        if node.get(ORIGIN):
            return int(node.get(ORIGIN))
        node = node.getparent()
    return None


def strip_origins(arch):
    for node in arch.iter("*"):
        node.attrib.pop(ORIGIN, None)
    return arch
