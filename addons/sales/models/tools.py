"""Messages in the language of the user at hand (``env.lang``), not of the process."""
from core.i18n import gettext, translate_label


def tr(env, text, **values):
    """``text`` translated to the user's language, then formatted with ``values``.

    Extracted like ``gettext(lang, text)``: the English text is the msgid.
    """
    message = gettext(env.lang, text)
    return message.format(**values) if values else message


def label(env, text):
    """A model description or selection label in the user's language."""
    return translate_label(env.lang, text)


def sums_by_partner(model, columns, domain, partner_ids):
    """``{partner_id: [sum of each column]}`` of ``model`` records matching ``domain``.

    One aggregate query whatever the number of customers (``read_group`` would add a
    second one for the customers' names, which the batch APIs do not need). The domain is
    compiled by the ORM (record rules of the model's environment apply).
    """
    import sqlalchemy as sa
    from decimal import Decimal
    cls = type(model)
    entity = cls._entity
    domain = [("partner_id", "in", list(partner_ids))] + list(domain)
    sums = [sa.type_coerce(sa.func.sum(getattr(entity, name)), getattr(entity, name).type) for name in columns]
    statement = sa.select(entity.partner_id, *sums).where(model._where(domain)).group_by(entity.partner_id)
    zero = Decimal("0.00")
    result = {pid: [zero] * len(columns) for pid in partner_ids}
    for row in model.env.execute(statement):
        result[row[0]] = [value if value is not None else zero for value in row[1:]]
    return result


def sequence_of(env, code):
    """The ``ir.sequence`` of ``code``, found once for a batch (``next_numbers`` draws the batch's numbers)."""
    from core.exceptions import UserError
    sequence = env["ir.sequence"].sudo().search([("code", "=", code)], limit=1)
    if not sequence:
        raise UserError(tr(env, "No sequence with code {code} is defined", code=code))
    return sequence
