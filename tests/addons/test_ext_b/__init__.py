"""Test addon: extends test.thing with a colour."""
