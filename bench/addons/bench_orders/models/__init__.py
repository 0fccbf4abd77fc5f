from .order import BenchOrder, BenchOrderLine

MODELS = [BenchOrder, BenchOrderLine]
