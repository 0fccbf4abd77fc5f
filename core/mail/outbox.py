"""Deliver the queued ``mail.mail`` rows, one short transaction per step, never one twice.

Each email is first *claimed* in a transaction of its own: its attempt is counted and
its ``next_try`` pushed past the time a delivery can take, then committed. The SMTP
conversation happens outside any transaction (no lock held on the network), and the
outcome is committed at once. A second worker never sees a claimed email as due; on
PostgreSQL the claim also skips rows another worker is claiming (``SKIP LOCKED``), on
SQLite the database write lock serialises claims. The only window for a duplicate is
a crash between the server's acceptance and the commit that marks the email sent.
"""
import datetime as dt
import functools
import logging
from email.utils import getaddresses

import sqlalchemy as sa

from .smtp import MailDeliveryError, SmtpSettings, build_message, send

_logger = logging.getLogger(__name__)
BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=6)


def backoff(attempts):
    """Wait before attempt ``attempts + 1``: 1, 2, 4 ... minutes, at most 6 hours."""
    return min(BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def addresses(text):
    """The addresses of a comma-separated header value, display names kept and quoted."""
    return [f'"{_quote(name)}" <{addr}>' if name else addr for name, addr in getaddresses([text or ""]) if addr]


def _quote(name):
    return name.replace("\\", "\\\\").replace('"', '\\"')


def process_outbox(registry, limit=100, now=None):
    """Send up to ``limit`` due emails; returns counts ``{"sent", "retry", "exception"}``.

    ``now`` fixes the clock (tests); by default the real time is read at each step.
    """
    config = registry.config
    settings = SmtpSettings.from_section(config.section("smtp") if config else {})
    max_retries = config.get("mail", "max_retries") if config else 5
    clock = (lambda: now) if now is not None else (lambda: dt.datetime.now(dt.timezone.utc))
    counts = {"sent": 0, "retry": 0, "exception": 0}
    lease = dt.timedelta(seconds=settings.timeout * 2)
    for _ in range(limit):
        claimed = registry.run(functools.partial(_claim, now=clock(), lease=lease))
        if claimed is None:
            break
        error = _deliver(settings, claimed)
        outcome = registry.run(functools.partial(_record, mail_id=claimed["id"], error=error, now=clock(),
                                                 max_retries=max_retries))
        counts[outcome] += 1
        if outcome == "sent":
            _notify(registry, claimed["id"])
    return counts


def _claim(env, now, lease):
    """Lock the next due email, count the attempt, push ``next_try`` past the delivery."""
    table = env["mail.mail"]._table
    due = sa.or_(table.c.next_try.is_(None), table.c.next_try <= now)
    statement = (sa.select(table.c.id).where(table.c.state == "outgoing", due)
                 .order_by(table.c.id).limit(1).with_for_update(skip_locked=True))
    mail_id = env.execute(statement).scalar()
    if mail_id is None:
        return None
    mail = env["mail.mail"].browse(mail_id)
    attempts = (mail.attempts or 0) + 1
    mail.write({"attempts": attempts, "next_try": now + backoff(attempts) + lease})
    return {"id": mail_id, "attempts": attempts, **{name: mail[name] for name in (
        "subject", "body_text", "body_html", "email_from", "email_to", "email_cc", "reply_to", "message_id")}}


def _deliver(settings, mail):
    """Build and send one email; return None or the ``MailDeliveryError`` met."""
    try:
        message = build_message(mail["email_from"] or settings.sender, addresses(mail["email_to"]),
                                mail["subject"] or "", mail["body_text"] or "", mail["body_html"],
                                cc=addresses(mail["email_cc"]), reply_to=mail["reply_to"],
                                message_id=mail["message_id"])
    except (ValueError, TypeError) as exc:
        return MailDeliveryError(f"the email cannot be built: {exc}", permanent=True)
    try:
        send(settings, message)
    except MailDeliveryError as exc:
        return exc
    except Exception as exc:  # an unexpected bug must not lose the email: retry it later
        _logger.exception("sending mail.mail %s failed unexpectedly", mail["id"])
        return MailDeliveryError(f"{type(exc).__name__}: {exc}", permanent=False)
    return None


def _record(env, mail_id, error, now, max_retries):
    """Commit the outcome of one delivery; returns "sent", "retry" or "exception"."""
    mail = env["mail.mail"].browse(mail_id)
    if error is None:
        mail.write({"state": "sent", "sent_date": now, "last_error": None})
        return "sent"
    if error.permanent or mail.attempts >= max_retries:
        mail.write({"state": "exception", "last_error": str(error)})
        _logger.warning("mail.mail %s failed after %s attempt(s): %s", mail_id, mail.attempts, error)
        return "exception"
    mail.write({"last_error": str(error), "next_try": now + backoff(mail.attempts)})
    return "retry"


def _notify(registry, mail_id):
    """Tell listeners in a transaction of its own: their failure cannot unmark a sent email."""
    def work(env):
        env.hooks.kesher_mail_sent(env=env, message=env["mail.mail"].browse(mail_id))
    try:
        registry.run(work)
    except Exception:
        _logger.exception("a kesher_mail_sent listener failed for mail.mail %s", mail_id)
