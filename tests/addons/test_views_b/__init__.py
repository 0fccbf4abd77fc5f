"""Test addon: adds a colour to test.views.thing and puts it into the views of test_views_a."""
