from .thing import Thing, ThingLine

MODELS = [Thing, ThingLine]
