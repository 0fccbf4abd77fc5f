"""The moment the flow engine works with: one seam, so tests (and escalation) control the clock."""
from core.orm import fields


def now():
    """The current UTC moment (``core.orm.fields.now``, looked up at each call so it can be replaced)."""
    return fields.now()
