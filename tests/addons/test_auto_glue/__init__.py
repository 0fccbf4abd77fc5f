"""Test addon: links test.life to test.thing once both addons are installed."""
