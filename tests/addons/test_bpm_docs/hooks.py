"""The bpm hooks answered by the test addon: a veto, a named action, a log of moves."""
from core.hooks import hookimpl


@hookimpl
def bpm_before_transition(env, records, transition):
    if transition.to_status_id.code == "done" and any(doc.note == "block" for doc in records):
        return "the test hook blocks documents noted 'block'"
    return None


@hookimpl
def bpm_after_transition(env, records, transition):
    for doc in records.filtered(lambda d: d.note == "log"):
        doc.message_post(f"after {transition.to_status_id.code}")


@hookimpl
def bpm_action(env, name, records, transition):
    if name == "stamp":
        records.write({"stamped": True})
