from .thing import ThingColor

MODELS = [ThingColor]
