"""The one rounding rule of every sales document (README: "Amounts and rounding").

A line total is rounded to the agora once; the document's amount before VAT is the sum
of its rounded line totals; VAT is computed once on that sum and rounded to the agora;
the total is the two added. All rounding is half-up (0.005 → 0.01), in Decimal.
"""
from decimal import ROUND_HALF_UP, Decimal

AGORA = Decimal("0.01")
HUNDRED = Decimal(100)


def round_agora(amount):
    """``amount`` rounded half-up to the agora."""
    return Decimal(amount).quantize(AGORA, rounding=ROUND_HALF_UP)


def line_total(quantity, price_unit, discount):
    """quantity × unit price × (1 − discount %), rounded to the agora."""
    gross = Decimal(quantity or 0) * Decimal(price_unit or 0)
    return round_agora(gross * (HUNDRED - Decimal(discount or 0)) / HUNDRED)


def document_totals(line_totals, vat_rate):
    """``(amount before VAT, VAT, total)`` of a document from its rounded line totals."""
    untaxed = sum((Decimal(total) for total in line_totals), Decimal("0.00"))
    tax = round_agora(untaxed * Decimal(vat_rate or 0) / HUNDRED)
    return untaxed, tax, untaxed + tax


def with_vat(amount, vat_rate):
    """An amount before VAT plus its VAT, each rounded by the rule above."""
    return document_totals([round_agora(amount)], vat_rate)[2]


def vat_rates(env, pairs):
    """``{(company_id, date): rate}`` for many documents with one query.

    The company's date-effective rates (base's ``res.vat.rate``) decide by the tax
    point date; a date without a rate is left out (the caller refuses it).
    """
    company_ids = list({company_id for company_id, _date in pairs if company_id})
    if not company_ids:
        return {}
    rates = env["res.vat.rate"].sudo().search([("company_id", "in", company_ids)], order="date_from desc")
    rows = [(r.company_id.id, r.date_from, r.date_to, r.rate) for r in rates]
    found = {}
    for company_id, date in pairs:
        for rate_company, date_from, date_to, rate in rows:
            if rate_company == company_id and date and date_from <= date and (not date_to or date <= date_to):
                found[(company_id, date)] = rate
                break
    return found
