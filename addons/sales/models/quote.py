"""Price quotes: a customer, lines with prices, a validity date; turned into orders."""
import datetime as dt

from core.exceptions import UserError
from core.orm import Model, api, fields

from .tools import tr

ORDERABLE = ("draft", "sent", "accepted")
TERMS = ("partner_id", "contact_id", "user_id", "payment_term_id", "client_ref", "note", "date_promised",
         "currency_id", "company_id")
LINE_TERMS = ("sequence", "product_id", "name", "quantity", "uom_id", "price_unit", "discount", "price_explanation",
              "selected")


class Quote(Model):
    _name = "sale.quote"
    _inherit = ["mail.thread", "sale.document", "sale.status", "sale.printable"]
    _description = "Price quote"
    _order = "date desc, id desc"
    _sequence_code = "sale.quote"

    contact_id = fields.Many2one("res.partner", "Contact person", ondelete="set null")
    validity_date = fields.Date("Valid until", help="After this date the quote expires (a daily job)")
    date_promised = fields.Date("Delivery date", help="Availability warnings look at stock expected by this date")
    @api.depends("line_ids.price_subtotal", "vat_rate")
    def _compute_amounts(self):
        return super()._compute_amounts()

    line_ids = fields.One2many("sale.quote.line", "quote_id", "Lines", copy=True)
    order_ids = fields.One2many("sale.order", "quote_id", "Orders")

    @api.ui_callable
    def action_create_order(self, line_ids=None):
        """A customer order from this quote (see ``create_orders``); opens it."""
        self.ensure_one()
        order = self.create_orders(line_ids)
        return {"url": f"/web/m/sale.order/{order.id}", "order": order}

    def create_orders(self, line_ids=None):
        """One customer order per quote: terms and lines (all, or ``line_ids``) copied.

        Without ``line_ids`` the lines ticked "To order" are taken, or all when none is.
        The quotes are accepted; each quote and its order link to each other.
        """
        for quote in self:
            if quote.status_code not in ORDERABLE:
                raise UserError(tr(self.env, "Quote {name} is {status}: only a draft, sent or accepted quote becomes "
                                   "an order", name=quote.name, status=quote._status_label()))
        quotes = self.read([*TERMS, "line_ids"], many2one_ids=True)  # the whole batch in a few queries
        lines = {row["id"]: row for row in self.env["sale.quote.line"].browse(
            tuple(lid for row in quotes for lid in row["line_ids"])).read(LINE_TERMS, many2one_ids=True)}
        foreign = [lid for lid in (line_ids or ()) if lid not in lines]
        if foreign and self:
            raise UserError(tr(self.env, "Quote {name} has no line {line}", name=self[0].name, line=foreign[0]))
        wanted = None if line_ids is None else set(line_ids)
        values, chosen, today = [], [], dt.date.today()
        for quote, row in zip(self, quotes):
            ids = row["line_ids"]
            if wanted is not None:
                ids = [lid for lid in ids if lid in wanted]
            elif any(lines[lid]["selected"] for lid in ids):
                ids = [lid for lid in ids if lines[lid]["selected"]]
            if not ids:
                raise UserError(tr(self.env, "Quote {name} has no lines to order", name=quote.name))
            chosen.extend(ids)
            values.append({**{name: row[name] for name in TERMS}, "quote_id": quote.id, "date": today,
                           "line_ids": [{**{name: lines[lid][name] for name in LINE_TERMS if name != "selected"},
                                         "quote_line_id": lid} for lid in ids]})
        orders = self.env["sale.order"].create(values)
        ticked = tuple(lid for lid in chosen if lines[lid]["selected"])
        if ticked:
            self.env["sale.quote.line"].browse(ticked).write({"selected": False})
        self.filtered(lambda q: q.status_code != "accepted")._move("accepted")
        return orders

    @api.ui_callable
    def action_accept(self):
        self._move("accepted")
        return True

    @api.ui_callable
    def action_reject(self):
        self._move("rejected")
        return True

    @api.ui_callable
    def action_reset_draft(self):
        """An expired quote can be revived (a new validity date is then needed)."""
        self._move("draft")
        return True

    @api.ui_callable
    def action_send(self):
        """Email each quote (the outbox sends it after commit): the template's subject and text,
        the printable quote as the HTML body; the quote is then sent."""
        from ..render import render_document
        template = self.env.ref("sales.mail_template_quote").sudo()
        rows = []
        for quote in self:
            values = template.render_for(quote)
            if not values["email_to"]:
                raise UserError(tr(self.env, "{customer} has no email address: add one to send quote {name}",
                                   customer=quote.partner_id.name, name=quote.name))
            rows.append({"subject": values["subject"], "body_text": values["body_text"],
                         "body_html": render_document(quote, lang=values["lang"]), "email_to": values["email_to"],
                         "res_model": self._name, "res_id": quote.id})
        mails = self.env["mail.mail"].sudo().create(rows)
        for quote, row in zip(self, rows):
            quote.message_post(row["body_text"], subject=row["subject"], message_type="email")
        self.filtered(lambda q: q.status_code == "draft")._move("sent")
        return mails

    @api.ui_callable
    def action_mark_sent(self):
        self._move("sent")
        return True

    def expire_quotes(self):
        """Daily job: draft and sent quotes past their validity date expire."""
        quotes = self.sudo().search([("status_code", "in", ["draft", "sent"]),
                                     ("validity_date", "<", dt.date.today())])
        if quotes:
            quotes._move("expired", system=True)
        return len(quotes)

    def _check_editable(self):
        closed = self.filtered(lambda q: q.status_code not in ("draft", "sent"))
        if closed:
            raise UserError(tr(self.env, "Quote {name} is {status}: its lines can no longer change",
                               name=closed[0].name, status=closed[0]._status_label()))


class QuoteLine(Model):
    _name = "sale.quote.line"
    _inherit = ["sale.document.line", "sale.availability.line"]
    _description = "Price quote line"
    _order = "sequence, id"
    _parent_field = "quote_id"
    _FREE_FIELDS = frozenset({"selected"})

    quote_id = fields.Many2one("sale.quote", "Quote", required=True, ondelete="cascade", index=True)
    selected = fields.Boolean("To order", copy=False, help="Tick lines to order only these")
    order_line_ids = fields.One2many("sale.order.line", "quote_line_id", "Order lines")

    def _document(self):
        return self.quote_id
