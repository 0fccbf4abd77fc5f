"""Benchmark addon: orders with lines and stored computed totals (used by bench/orm.py)."""
