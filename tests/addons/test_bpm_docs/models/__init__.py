from .doc import BpmDoc

MODELS = [BpmDoc]
