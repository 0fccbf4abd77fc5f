"""Questions the sales addon asks, and events it announces (pricelist, agents, credit answer)."""
from core.hooks import hookspec


@hookspec(firstresult=True)
def sales_line_prices(env, partner, lines, date, currency):
    """Return the price of quote, order or invoice lines, or None to leave it to sales.

    Called once per document for all its lines that were given no price. ``lines`` is a
    list of ``{"key", "product_id", "quantity"}``; answer ``{key: {"price_unit":
    Decimal, "discount": Decimal (percent), "explanation": str}}`` (lines left out get
    the product's ``list_price`` and no discount).
    """


@hookspec
def sales_document_defaults(env, model_name, partners):
    """Return ``{partner_id: {field: value}}``: defaults of new documents of these customers.

    Called once per batch of new quotes, orders, invoices or receipts (``model_name``);
    values the caller gave win, answers of several addons are merged. E.g. the agents
    addon answers the customer's agent.
    """


@hookspec
def sales_order_confirm_check(env, orders):
    """Return ``[{"order_id", "block": bool, "message": str}]`` about orders being confirmed.

    A ``block`` refuses the confirmation of all these orders (nothing is written); other
    answers are warnings, kept on the order (``confirm_warning``) and in its log. E.g.
    the credit addon blocks a customer above the credit ceiling.
    """


@hookspec(firstresult=True)
def sales_allocation_number(env, invoices):
    """Return ``{invoice_id: allocation number}`` for tax invoices that need one.

    Called when posting invoices to licensed dealers above the threshold in force that
    were given no allocation number by hand (a provider asks the Tax Authority).
    """


@hookspec
def sales_invoice_posted(env, invoices):
    """Fires after tax invoices and credit notes are posted (numbered, in the ledger)."""


@hookspec
def sales_receipt_posted(env, receipts):
    """Fires after receipts are posted (numbered, in the ledger, allocated to invoices)."""


@hookspec
def sales_check_bounced(env, payments):
    """Fires after checks bounced: the debt they paid is open again in the ledger."""
