"""Loyalty points for customers (the example addon of docs/addons.md)."""
