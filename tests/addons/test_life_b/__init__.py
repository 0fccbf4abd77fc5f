"""Test addon: extends test.life with a column and adds notes about lives."""
