"""Hooks of the core. Each is called with keyword arguments and always given ``env``."""
from . import hookspec


@hookspec
def kesher_registry_ready(env):
    """Fires once a registry is built and its schema in place (install, upgrade, start)."""


@hookspec
def kesher_addon_installed(env, addon):
    """Fires after an addon's tables and data are installed, inside the same transaction."""


@hookspec
def kesher_addon_uninstalling(env, addon):
    """Fires before an addon's data records are removed, inside the uninstall transaction."""


@hookspec
def kesher_rule_values(env, user):
    """Contribute values for record rules, as a dict merged into the rule context.

    E.g. the agents addon answers ``{"agent_ids": [...]}`` (the agents this user may
    see), so a rule can say ``[["agent_id", "in", "$agent_ids"]]``. Called once per
    transaction and user: answer with one query.
    """


@hookspec
def kesher_mail_sent(env, message):
    """Fires after an outgoing email (a ``mail.mail`` record) was accepted by the SMTP server."""


@hookspec
def kesher_data_tags(env):
    """Return ``{tag: handler(loader, path, node, noupdate)}`` for extra data-file elements."""


@hookspec
def kesher_web_routes(env):
    """Return werkzeug ``Rule`` objects for the web UI; an endpoint is ``fn(ctx, **args)``.

    Called once when the web app starts. Use paths under ``/web/<addon>/``; an addon's
    ``templates/`` folder is on the template path as ``<addon>/<file>``.
    """


@hookspec
def kesher_web_form_sections(env, ctx, model, record):
    """Return HTML (``markupsafe.Markup``) shown on a record's form, under its header.

    Called for every form page of every model (``record`` is empty on a new record):
    answer ``None`` quickly for models that are not yours.
    """
