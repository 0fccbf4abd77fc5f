"""Extends test.thing although test_ext_a is not among this addon's dependencies."""
from core.orm import Model, fields


class ThingSize(Model):
    _inherit = "test.thing"

    size = fields.Integer("Size")
