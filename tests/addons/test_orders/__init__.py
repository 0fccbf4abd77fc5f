"""Test addon: orders with lines."""
