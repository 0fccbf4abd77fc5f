from .life import Life

MODELS = [Life]
