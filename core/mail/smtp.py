"""Build MIME messages and hand them to an SMTP server.

Delivery failures are reduced to one ``MailDeliveryError`` whose ``permanent``
flag tells the outbox whether retrying can ever help.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid, parseaddr

from core.exceptions import ConfigError, KesherError

_logger = logging.getLogger(__name__)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class MailDeliveryError(KesherError):
    """The SMTP server did not take the message; ``permanent`` means do not retry."""

    def __init__(self, message, permanent):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver mail; the password is kept out of ``repr``."""

    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    ssl: bool = False
    sender: str = ""
    timeout: float = 30.0

    @classmethod
    def from_section(cls, section):
        """Build settings from a config section (values may be strings, as from an INI file)."""
        use_ssl = _as_bool(section.get("ssl", False), "ssl")
        starttls = _as_bool(section.get("starttls", False), "starttls")
        if use_ssl and starttls:
            raise ConfigError("mail: 'ssl' and 'starttls' are exclusive, enable only one")
        port = section.get("port") or (465 if use_ssl else 587 if starttls else 25)
        try:
            port, timeout = int(port), float(section.get("timeout") or 30.0)
        except (TypeError, ValueError):
            raise ConfigError("mail: 'port' must be an integer and 'timeout' a number") from None
        if not 0 < port < 65536 or timeout <= 0:
            raise ConfigError(f"mail: port {port} or timeout {timeout} is out of range")
        return cls(
            host=str(section.get("host") or "localhost"),
            port=port,
            user=str(section.get("user") or ""),
            password=str(section.get("password") or ""),
            starttls=starttls,
            ssl=use_ssl,
            sender=str(section.get("from") or ""),
            timeout=timeout,
        )


def _as_bool(value, key):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ConfigError(f"mail: {key!r} must be true or false, not {value!r}")


def build_message(sender, to, subject, body_text, body_html=None, cc=(), reply_to=None,
                  message_id=None, attachments=()):
    """Return a UTF-8 ``EmailMessage``; pass ``message_id`` again on a resend to keep it stable.

    ``attachments`` are ``(filename, data, mimetype)`` tuples.
    """
    if not to and not cc:
        raise ValueError("a message needs at least one recipient")
    msg = EmailMessage(policy=default_policy)
    msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if reply_to:
        msg["Reply-To"] = reply_to
    # Rendered subjects often end with a newline; headers must be a single line.
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = _message_id(message_id, sender)
    msg.set_content(body_text)
    if body_html is not None:
        msg.add_alternative(body_html, subtype="html")
    for filename, data, mimetype in attachments:
        maintype, _, subtype = (mimetype or "application/octet-stream").partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                           filename=filename)
    return msg


def _message_id(message_id, sender):
    if message_id:
        return message_id if message_id.startswith("<") else f"<{message_id}>"
    # An explicit domain avoids make_msgid's slow reverse-DNS lookup of the host.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "kesher.local"
    return make_msgid(domain=domain)


def send(settings, message):
    """Deliver ``message`` or raise ``MailDeliveryError``; partial refusals are only logged."""
    where = f"SMTP server {settings.host}:{settings.port}"
    client = None
    try:
        client = _connect(settings)
        if settings.starttls and not settings.ssl:
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
        refused = client.send_message(message, from_addr=settings.sender or None)
    except smtplib.SMTPRecipientsRefused as exc:
        _close(client)
        raise _refused_error(where, exc.recipients, settings) from None
    except smtplib.SMTPAuthenticationError as exc:
        _close(client)
        raise _error(settings, f"{where} rejected the login of user {settings.user!r}: "
                     f"{_reply(exc)}", exc.smtp_code >= 500) from None
    except smtplib.SMTPNotSupportedError as exc:
        _close(client)
        raise _error(settings, f"{where} does not support what the settings ask for "
                     f"(STARTTLS or AUTH): {exc}", True) from None
    except smtplib.SMTPResponseException as exc:
        _close(client)
        raise _error(settings, f"{where} refused the message: {_reply(exc)}",
                     exc.smtp_code >= 500) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(client)
        reason = str(exc) or type(exc).__name__
        raise _error(settings, f"could not talk to {where}: {reason}", False) from None
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()  # the message was accepted; a failed goodbye is not a failure
    if refused:
        _logger.warning("%s refused some recipients of %s: %s", where,
                        message["Message-ID"], _describe(refused))


def _connect(settings):
    if settings.ssl:
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _close(client):
    if client is not None:
        client.close()


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reply(exc):
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _describe(refused):
    return ", ".join(f"{rcpt} ({code} {_text(text)})" for rcpt, (code, text) in refused.items())


def _refused_error(where, refused, settings):
    permanent = bool(refused) and all(code >= 500 for code, _ in refused.values())
    return _error(settings, f"{where} refused all recipients: {_describe(refused)}", permanent)


def _error(settings, text, permanent):
    # Server replies are echoed into the message; never let them leak the password.
    if settings.password:
        text = text.replace(settings.password, "***")
    return MailDeliveryError(text, permanent=permanent)
