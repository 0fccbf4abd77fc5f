"""A quote sent by email through the outbox to a real SMTP server, with the printable quote
as its HTML body; print pages: original on the first print of a posted document, copy
after, draft before posting, with the legal lines of an Israeli tax invoice."""
from decimal import Decimal as D
from email import message_from_bytes, policy

import pytest

from core.exceptions import UserError
from core.mail.outbox import process_outbox
from sales_helpers import (  # noqa: F401 - fixtures
    basics, check, count, make_basics, quote_values, refused, sales_registry, senv)
from smtp_helpers import SmtpServers, mail_config

from addons.sales.render import render_document


@pytest.fixture
def smtp():
    servers = SmtpServers()
    yield servers
    servers.stop_all()


def test_a_quote_is_emailed_with_its_printable_view(make_registry, tmp_path, db_url, smtp):
    handler, port = smtp.start()
    registry = make_registry(["sales"], cfg=mail_config(tmp_path, db_url, port))

    def send(env):
        basics = make_basics(env)
        basics.levi.write({"lang": "en"})
        quote = env["sale.quote"].create(quote_values(basics, validity_date="2025-04-10"))
        quote.action_send()
        return quote.id, quote.name
    quote_id, name = registry.run(send)
    with registry.env() as env:
        quote = env["sale.quote"].browse(quote_id)
        assert quote.status_code == "sent"
        assert any(m.message_type == "email" for m in quote.message_ids())
    assert process_outbox(registry)["sent"] == 1
    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["levi@example.co.il"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert name in message["Subject"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert name in html and "Olive oil 1L" in html and "450.31" in html     # the printed quote
    assert "valid until 2025-04-10" in text


def test_sending_to_a_customer_without_email_is_refused(sales_registry):
    def work(env):
        basics = make_basics(env)
        basics.cohen.write({"email": False})
        env["sale.quote"].create(quote_values(basics, partner_id=basics.cohen.id)).action_send()
    refused(sales_registry, work, UserError, "no email address")
    with sales_registry.env() as env:
        assert count(env, "mail.mail") == 0 and count(env, "sale.quote") == 0


def test_first_print_of_a_posted_invoice_is_the_original_then_copies(senv, basics):
    senv.ref("base.main_company").write({"tax_id": "513456780", "street": "Herzl 1", "city": "Tel Aviv"})
    basics.levi.write({"tax_id": "000000018"})
    invoice = senv["account.invoice"].create({"partner_id": basics.levi.id, "date": "2026-07-01",
                                              "allocation_number": "987654321",
                                              "line_ids": [{"name": "Machine", "price_unit": D("6000")}]})
    draft = invoice.print_documents()
    assert (draft.label, draft.number, invoice.print_count) == ("draft", None, 0)
    invoice.action_post()
    first, second = invoice.print_documents(), invoice.print_documents()
    assert [(log.label, log.number) for log in (first, second)] == [("original", 1), ("copy", 2)]
    assert invoice.print_count == 2
    html = render_document(invoice, label=first.label, lang="he", number=first.number)
    assert 'dir="rtl"' in html and "מקור" in html and "חשבונית מס" in html
    for legal in (invoice.name, "513456780", "000000018", "987654321", "Herzl 1", "18%", "מסמך ממוחשב"):
        assert legal in html
    copy = render_document(invoice, label="copy", lang="en", number=2)
    assert "Copy" in copy and "Original" not in copy and 'dir="ltr"' in copy


def test_prints_of_quotes_carry_no_original_mark_and_receipts_list_their_checks(senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics))
    log = quote.print_documents()
    assert log.label == "plain"
    assert "Original" not in render_document(quote, label=log.label, lang="en")
    receipt = senv["account.receipt"].create({"partner_id": basics.levi.id, "date": "2025-03-15",
                                              "payment_ids": [check(D("100.00"), "2025-05-01", "31337")]})
    receipt.action_post()
    html = render_document(receipt, label=receipt.print_documents().label, lang="en")
    assert "Original" in html and "31337" in html and "Receipt" in html


def test_credit_notes_print_as_credit_notes_naming_the_invoice(senv, basics):
    invoice = senv["account.invoice"].create({"partner_id": basics.levi.id, "line_ids": [
        {"name": "x", "price_unit": D("10")}]})
    invoice.action_post()
    note = invoice.action_credit_note()["credit_note"]
    note.action_post()
    html = render_document(note, label="original", lang="he")
    assert "חשבונית זיכוי" in html and invoice.name in html
