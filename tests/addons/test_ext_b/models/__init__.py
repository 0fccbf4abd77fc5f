from .test_thing import ThingColour

MODELS = [ThingColour]
