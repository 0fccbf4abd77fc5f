"""Test addon: declares test.life and loads data and demo records of it."""
