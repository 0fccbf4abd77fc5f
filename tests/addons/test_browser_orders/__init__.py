"""Test addon: test.order as the headless-browser test drives it (tests/test_browser.py)."""
