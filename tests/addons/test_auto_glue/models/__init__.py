from .test_life import LifeThingLink

MODELS = [LifeThingLink]
