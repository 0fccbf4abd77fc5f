"""Print-ready HTML of sales documents (quote, order, delivery note, invoice, receipt), in
the reader's language and direction, with the company's details and the legal lines of an
Israeli tax invoice. Used by the print pages and by the quote email.
"""
import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from core.i18n import format_amount, format_date, format_decimal, gettext, translate_label
from core.web.templating import install_globals

TEMPLATES = Path(__file__).parent / "templates"
TITLES = {"sale.quote": "Price quote", "sale.order": "Customer order", "sale.delivery": "Delivery note",
          "account.receipt": "Receipt"}


@functools.lru_cache(maxsize=1)
def _jinja():
    # the templates are files of the addon: one environment per process is enough
    jinja = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True)
    install_globals(jinja)
    return jinja


def title_of(record):
    if record._name == "account.invoice":
        return "Credit note" if record.kind == "credit_note" else "Tax invoice"
    return TITLES[record._name]


def render_document(record, label="plain", lang=None, number=None):
    """The print page of one document; ``label`` original / copy / draft / plain."""
    lang = lang or record.env.lang
    record = record.with_context(lang=lang)
    company = record.company_id.sudo() if "company_id" in record._fields and record.company_id else \
        record.env.ref("base.main_company").sudo()
    currency = record.currency_id.name if "currency_id" in record._fields and record.currency_id else "ILS"
    values = {
        "doc": record, "kind": record._name, "company": company, "lang": lang, "label": label, "number": number,
        "title": title_of(record), "partner": record.partner_id.sudo(),
        "money": lambda value: format_amount(value or 0, currency, lang=lang),
        "qty": lambda value: format_decimal((value or 0).normalize() if value else 0, lang=lang),
        "day": lambda value: format_date(value, lang=lang) if value else "",
        "field_label": lambda name: translate_label(lang, record._fields[name].string),
        "option": lambda rec, name: translate_label(lang, dict(rec._fields[name].options(rec)).get(rec[name], "")),
        "t": lambda text: gettext(lang, text),
    }
    return _jinja().get_template("print_document.html").render(**values)
