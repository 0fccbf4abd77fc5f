"""Mail transport against a real local SMTP server, plus template rendering."""

import datetime
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from core.exceptions import ConfigError, KesherError, UserError
from core.i18n.format import strip_bidi
from core.mail.render import TemplateError, render
from core.mail.smtp import MailDeliveryError, SmtpSettings, build_message, send

from smtp_helpers import Collector, free_port

USER, PASSWORD = "kesher", "s3cret-pass"
# AUTH without TLS is what the auth tests want (loopback only), so hush aiosmtpd about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: server answers 535


@pytest.fixture
def smtp_server():
    """Start a server with the given options; yields (handler, settings)."""
    controllers = []

    def start(refuse=None, **kwargs):
        handler, port = Collector(refuse), free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return handler, SmtpSettings(host="127.0.0.1", port=port,
                                     sender="Kesher <noreply@kesher.test>", timeout=5)

    yield start
    for controller in controllers:
        controller.stop()


def hebrew_message(**kwargs):
    return build_message(
        "Kesher <noreply@kesher.test>", ["dana@example.com"], "חשבונית מס׳ 42\n",
        "שלום דנה,\nמצורפת החשבונית.", body_html="<p>שלום <b>דנה</b></p>",
        attachments=[("חשבונית.pdf", b"%PDF-1.4 fake", "application/pdf")], **kwargs)


def test_send_hebrew_message_with_attachment(smtp_server):
    handler, settings = smtp_server()
    send(settings, hebrew_message(cc=["boss@example.com"], reply_to="sales@kesher.test",
                                  message_id="<row-7@kesher.test>"))
    [envelope] = handler.envelopes
    assert envelope.mail_from == "noreply@kesher.test"
    assert sorted(envelope.rcpt_tos) == ["boss@example.com", "dana@example.com"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert (received["Subject"], received["Message-ID"], received["Reply-To"]) == (
        "חשבונית מס׳ 42", "<row-7@kesher.test>", "sales@kesher.test")
    text = received.get_body(("plain",)).get_content()
    assert text.splitlines() == ["שלום דנה,", "מצורפת החשבונית."]
    assert "<b>דנה</b>" in received.get_body(("html",)).get_content()
    [attachment] = received.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type(),
            attachment.get_content()) == ("חשבונית.pdf", "application/pdf", b"%PDF-1.4 fake")


def test_build_message_id_and_recipients():
    generated = hebrew_message()["Message-ID"]
    assert generated.startswith("<") and generated.endswith("@kesher.test>")
    assert hebrew_message(message_id="abc@x")["Message-ID"] == "<abc@x>"
    with pytest.raises(ValueError):
        build_message("a@kesher.test", [], "s", "b")


AUTH = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
BAD_LOGIN = {"user": USER, "password": "wrong-pw-123"}


@pytest.mark.parametrize("server, client, permanent, mentions", [
    ({"refuse": {"dana@example.com": "550 5.1.1 No such user"}}, {}, True, "dana@example.com"),
    ({"refuse": {"dana@example.com": "450 4.2.1 Mailbox busy"}}, {}, False, "450"),
    ({}, {"starttls": True}, True, "STARTTLS"),
    (AUTH, {}, True, "530"),  # login required but none configured
    (AUTH, BAD_LOGIN, True, f"user {USER!r}"),
])
def test_delivery_failures(smtp_server, server, client, permanent, mentions):
    handler, settings = smtp_server(**server)
    settings = SmtpSettings(**{**vars(settings), **client})
    with pytest.raises(MailDeliveryError) as info:
        send(settings, hebrew_message())
    assert info.value.permanent is permanent and isinstance(info.value, KesherError)
    assert mentions in str(info.value) and "wrong-pw-123" not in str(info.value)
    assert "wrong-pw-123" not in repr(settings)
    assert handler.envelopes == []


def test_auth_right_password(smtp_server):
    handler, settings = smtp_server(**AUTH)
    send(SmtpSettings(**{**vars(settings), "user": USER, "password": PASSWORD}),
         hebrew_message())
    assert len(handler.envelopes) == 1


def test_partial_refusal_delivers_to_the_rest(smtp_server, caplog):
    handler, settings = smtp_server(refuse={"boss@example.com": "550 No such user"})
    send(settings, hebrew_message(cc=["boss@example.com"]))
    assert handler.envelopes[0].rcpt_tos == ["dana@example.com"]
    assert "boss@example.com" in caplog.text


@pytest.mark.parametrize("listening", [False, True])
def test_unreachable_server_is_temporary(listening):
    """A closed port (refused), or a port that accepts but never greets (timeout)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        if listening:
            sock.listen()
        settings = SmtpSettings(host="127.0.0.1", port=sock.getsockname()[1], timeout=0.3)
        with pytest.raises(MailDeliveryError) as info:
            send(settings, hebrew_message())
    assert info.value.permanent is False and f"127.0.0.1:{settings.port}" in str(info.value)


def test_settings_from_section():
    section = {"host": "smtp.example.com", "port": "2525", "user": "u", "password": "p",
               "starttls": "yes", "ssl": "false", "from": "noreply@x.co.il", "timeout": "7.5"}
    assert SmtpSettings.from_section(section) == SmtpSettings(
        "smtp.example.com", 2525, "u", "p", True, False, "noreply@x.co.il", 7.5)
    assert SmtpSettings.from_section({"ssl": True}).port == 465
    assert SmtpSettings.from_section({"starttls": True}).port == 587
    for bad in ({"ssl": "maybe"}, {"ssl": True, "starttls": True}, {"port": "smtp"}):
        with pytest.raises(ConfigError):
            SmtpSettings.from_section(bad)


# --- rendering ---------------------------------------------------------------
@pytest.mark.parametrize("source, values, html, expected", [
    ("שלום {{ name }}{{ missing }}{{ partner.city }}!", {"name": "דנה"}, False, "שלום דנה!"),
    ("<p>{{ name }}</p>", {"name": "<i>x</i> & co"}, True, "<p>&lt;i&gt;x&lt;/i&gt; &amp; co</p>"),
    ("{{ name }}", {"name": "<i>x</i> & co"}, False, "<i>x</i> & co"),
    ("{{ t|format_amount }}", {"t": 1234.5}, True, "\u200f1,234.50\xa0\u200f₪"),
    ("{{ t|format_amount }}", {"t": 1234.5}, False, "1,234.50\xa0₪"),
    ("{{ t|format_amount('USD', 'en_US') }}", {"t": 3}, False, "$3.00"),
    ("{{ t|format_amount }}", {}, False, ""),
    ("{{ d|format_date }}", {"d": datetime.date(2024, 3, 5)}, False, "5 במרץ 2024"),
    ("{{ d|format_date('en_US') }}", {"d": "2024-03-05"}, False, "Mar 5, 2024"),
])
def test_render(source, values, html, expected):
    assert render(source, values, html=html) == expected


SECRET_HOLDER = type("SecretHolder", (), {"_secret": lambda self: "leaked"})()


@pytest.mark.parametrize("source, message", [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ ''['__class__'] }}", "unsafe"),
    ("{{ obj._secret() }}", "unsafe"),
    ("{{ obj.__init__.__globals__ }}", "unsafe"),
    ("a\nb\n{{ name }\n", "line 3"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ 1|format_amount('ILS', 'xx_YY') }}", "xx_YY"),
])
def test_render_errors(source, message):
    for html in (True, False):
        with pytest.raises(TemplateError, match=message) as info:
            render(source, {"obj": SECRET_HOLDER}, html=html)
        assert isinstance(info.value, UserError)


def test_strip_bidi():
    assert strip_bidi("\u200e\u200fa\u061cb\u2066c\u2067d\u2068e\u2069") == "abcde"
    assert strip_bidi("שלום ₪") == "שלום ₪"
