"""Test addon: views, access, an onchange and buttons for test.order (the web tests' subject)."""
