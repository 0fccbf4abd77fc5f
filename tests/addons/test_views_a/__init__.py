"""Test addon: a model with form, list, search, kanban, calendar, pivot and graph views and menus."""
