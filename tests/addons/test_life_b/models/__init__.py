from .life_note import LifeNote
from .test_life import LifeExtra

MODELS = [LifeExtra, LifeNote]
