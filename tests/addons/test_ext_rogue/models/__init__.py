from .test_thing import ThingSize

MODELS = [ThingSize]
