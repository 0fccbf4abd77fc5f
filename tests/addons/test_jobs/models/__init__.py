from .probe import JobProbe

MODELS = [JobProbe]
