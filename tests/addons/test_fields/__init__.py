"""Test addon: one model with every field type, its lines, tags and kinds; ledger entries."""
