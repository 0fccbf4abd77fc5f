"""Views: XML archs validated by a RelaxNG schema, extended by xpath, checked against models.

The models live in the base addon (``ir.ui.view``, ``ir.actions.window``,
``ir.ui.menu``); this package holds what they use and what the web UI reads:

- ``schema.check_schema(element, where)``: RelaxNG validation with file and line;
- ``check.check_arch(env, model, element, where)``: fields, buttons, domains, groups;
- ``inherit.apply_spec(arch, spec, ...)``: one inheriting view applied to an arch;
- ``defaults.default_arch(model, view_type)``: the view generated when none is declared;
- ``loader``: the ``<view>``, ``<action>`` and ``<menuitem>`` data-file elements.

Domains, contexts and options in archs are JSON, never evaluated code.
"""
from lxml import etree

from ..exceptions import UserError

VIEW_TYPES = ("form", "list", "search", "kanban", "calendar", "pivot", "graph")
PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                      load_dtd=False, huge_tree=False, remove_blank_text=True)


class ViewError(UserError):
    """A view arch is malformed, names unknown fields, or an extension does not apply."""


def parse_arch(text):
    """The root element of a stored arch (entities and network access off)."""
    try:
        return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text,
                               etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise ViewError(f"the arch is not well-formed XML: line {exc.lineno}: {exc.msg}") from None


def arch_string(element):
    return etree.tostring(element, encoding="unicode")
