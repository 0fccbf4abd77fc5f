"""Test addon: methods for scheduled jobs to call."""
