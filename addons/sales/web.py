"""Web pages of sales: print pages of documents and the customer ledger report; the
customer's amounts on the partner form."""
import datetime as dt

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from core.i18n import format_amount, format_date, gettext

from .render import render_document

FORMATTERS = {"format_money": lambda value, lang: format_amount(value or 0, "ILS", lang=lang),
              "format_day": lambda value, lang: format_date(value, lang=lang)}


def rules():
    return [Rule("/web/sales/print/<int:log_id>", endpoint=print_page),
            Rule("/web/sales/ledger/<int:partner_id>", endpoint=ledger_page)]


def print_page(ctx, log_id):
    """A logged print (original / copy / draft) of a document the user may read."""
    env = ctx.require_user()
    log = env["sale.print.log"].sudo().browse(log_id).exists()
    if not log:
        raise NotFound("This print does not exist")
    record = env[log.res_model].browse(log.res_id).exists()
    if not record:
        raise NotFound("The printed document does not exist (any more)")
    record.name  # noqa: B018 - reading as the user applies access rights and record rules
    html = render_document(record, label=log.label, lang=ctx.lang, number=log.number)
    return ctx.finish(Response(html, mimetype="text/html"))


def _date_arg(ctx, name):
    text = ctx.request.args.get(name) or ""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{name} must be a date as YYYY-MM-DD") from None


def ledger_page(ctx, partner_id):
    """The customer ledger card: a statement with a running balance, between two dates."""
    env = ctx.require_user()
    partner = env["res.partner"].browse(partner_id).exists()
    if not partner:
        raise NotFound("This customer does not exist")
    date_from, date_to = _date_arg(ctx, "date_from"), _date_arg(ctx, "date_to")
    statement = env["account.ledger.entry"].statement(partner, date_from, date_to)
    amounts = customer_amounts(partner)[partner.id]
    kinds = dict(env["account.ledger.entry"]._fields["kind"].options())
    return ctx.render("sales/ledger.html", title=gettext(ctx.lang, "Customer ledger"), partner=partner, statement=statement,
                      date_from=date_from, date_to=date_to, amounts=amounts, kinds=kinds, **FORMATTERS,
                      breadcrumbs=[{"label": "Customers", "url": f"/web/m/res.partner/{partner.id}"},
                                   {"label": "Customer ledger", "url": ""}])


def customer_amounts(partners):
    """The four amounts of each customer (one query each for all of them)."""
    figures = (partners.sales_open_order_amounts(), partners.sales_uninvoiced_amounts(),
               partners.sales_ledger_balances(), partners.sales_postdated_checks())
    return {pid: {"open_orders": figures[0][pid], "uninvoiced": figures[1][pid], "balance": figures[2][pid],
                  "postdated": figures[3][pid]} for pid in partners.ids}


def partner_section(ctx, partner):
    """The customer's open orders, shipped-not-invoiced, balance and post-dated checks."""
    amounts = customer_amounts(partner)[partner.id]
    html = ctx.app.jinja.get_template("sales/partner_section.html").render(
        lang=ctx.lang, partner=partner, amounts=amounts, **FORMATTERS)
    return Markup(html)
