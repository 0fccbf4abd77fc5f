from .entry import Entry
from .record import Kind, Record, RecordLine, Tag

MODELS = [Kind, Tag, Record, RecordLine, Entry]
