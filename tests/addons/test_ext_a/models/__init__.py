from .thing import Thing

MODELS = [Thing]
