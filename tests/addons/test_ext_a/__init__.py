"""Test addon: declares test.thing."""
