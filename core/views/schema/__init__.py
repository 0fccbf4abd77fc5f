"""The RelaxNG schema of view archs (``view.rng`` beside this file) and its error messages."""
import functools
import threading
from pathlib import Path

from lxml import etree

from .. import ViewError

SCHEMA_FILE = Path(__file__).with_name("view.rng")
_LOCK = threading.Lock()  # a validator keeps its error log on itself: one validation at a time


@functools.lru_cache(maxsize=1)
def _relaxng():
    # Read once per process: the schema is a file of the code, never changed at run time.
    return etree.RelaxNG(etree.parse(str(SCHEMA_FILE)))


def schema_errors(element):
    """``[(line, message)]`` of what the schema refuses in ``element`` (empty when valid)."""
    validator = _relaxng()
    with _LOCK:
        if validator.validate(element):
            return []
        return [(entry.line, f"{entry.message} (at {entry.path})") for entry in validator.error_log]


def check_schema(element, where, lines=True):
    """Raise a ViewError naming ``where`` and each refused line when ``element`` is invalid.

    ``where`` is the file (errors then read ``file: line N: problem``) or a view label;
    ``lines=False`` for an arch built in memory, whose line numbers mean nothing.
    """
    errors = schema_errors(element)
    if errors:
        detail = "; ".join(f"line {line}: {message}" if line and lines else message for line, message in errors)
        raise ViewError(f"{where}: the view does not follow the view schema: {detail}")
