"""Questions and news of the bpm addon: other addons take part in moves without bpm knowing them."""
from core.hooks import hookspec


@hookspec
def bpm_before_transition(env, records, transition):
    """Return a reason (text) to refuse moving ``records`` through ``transition`` (a ``bpm.transition``), or None.

    Called once per transition of a ``move_to`` batch, after the flow's own checks and
    before anything is written; the reason is shown to the user as the refusal.
    """


@hookspec
def bpm_after_transition(env, records, transition):
    """Fires after ``records`` moved through ``transition``, in the same transaction (their actions have run)."""


@hookspec
def bpm_action(env, name, records, transition):
    """Run the automatic action named ``name`` (a flow's ``hook`` action) on ``records``.

    ``transition`` is the ``bpm.transition`` being taken, or None (creation, escalation).
    Answer only the names you own; the records are in superuser mode.
    """
