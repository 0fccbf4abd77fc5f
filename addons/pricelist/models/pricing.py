"""The batch price API: customer + date + currency + lines -> price, discount and why.

    env["pricelist.pricing"].compute(partner, [{"key": 1, "product_id": 7, "quantity": 3}],
                                     date="2026-03-01", currency=env.ref("base.ILS"))
    -> {1: {"price_unit": Decimal("20.00"), "discount": Decimal("5.00"), "explanation": "...", ...}}

One call costs a fixed number of queries whatever the number of lines (see policy_data).
"""
import datetime as dt

from core.exceptions import UserError
from core.i18n import _
from core.orm import AbstractModel

from ..money import to_decimal
from ..policy_data import PolicyData
from ..resolution import Resolver


class Pricing(AbstractModel):
    _name = "pricelist.pricing"
    _description = "Price computation"

    def compute(self, partner, lines, date=None, currency=None):
        """``{key: result}`` for ``lines`` (dicts with ``key``, ``product_id``, ``quantity``) of one customer.

        A result holds ``price_unit`` (Decimal, before discount), ``discount`` (percent),
        ``explanation`` (text in the user's language) and where they come from:
        ``source`` (special / pricelist / list_price), ``price_partner_id``,
        ``special_price_id``, ``pricelist_id``, ``item_id``, ``discount_kind`` (family /
        general / None), ``discount_partner_id``, ``discount_family_id``.
        """
        partner_id = self._partner_id(partner)
        requests = []
        for index, line in enumerate(lines or ()):
            if not isinstance(line, dict):
                raise UserError(_("Each line must be a dictionary with a product and a quantity"))
            requests.append({**line, "key": line.get("key", index), "partner_id": partner_id})
        keys = [request["key"] for request in requests]
        if len(set(keys)) != len(keys):
            raise UserError(_("Two lines have the same key"))
        return dict(zip(keys, self.compute_many(requests, date=date, currency=currency)))

    def compute_many(self, requests, date=None, currency=None):
        """Results (see ``compute``) for ``requests`` = dicts with ``partner_id``, ``product_id``,
        ``quantity``, in the same order: many customers in one batch."""
        date, currency = self._date(date), self._currency(currency)
        checked = [self._check_request(index, request) for index, request in enumerate(requests or ())]
        if not checked:
            return []
        self.env["res.partner"]._check_access("read")
        self.env["product.product"]._check_access("read")
        partner_ids = {partner_id for partner_id, _product, _quantity in checked}
        product_ids = {product_id for _partner, product_id, _quantity in checked}
        data = PolicyData(self.env, date, currency.id).load((partner_id, product_id)
                                                            for partner_id, product_id, _quantity in checked)
        self._check_found(data, partner_ids, product_ids)
        resolver = Resolver(data, self.env.lang, currency.digits or 0)
        return [resolver.resolve(*request).as_dict() for request in checked]

    def pricelist_prices(self, pricelist, product_ids, quantity=1, date=None):
        """``{product id: (price, item id) or None}``: what ``pricelist`` itself gives (no customer)."""
        pricelist.ensure_one()
        date = self._date(date)
        quantity = to_decimal(quantity)
        data = PolicyData(self.env, date, pricelist.currency_id.id).load_catalog(product_ids)
        data.load_items({pricelist.id: set(product_ids)})
        resolver = Resolver(data, self.env.lang, pricelist.currency_id.digits or 0)
        result = {}
        for product_id in product_ids:
            found = resolver.price_in(data.pricelists[pricelist.id], data.products[product_id], quantity) \
                if product_id in data.products else None
            result[product_id] = (found[0], found[1].id) if found else None
        return result

    # -- input ----------------------------------------------------------------------------
    def _partner_id(self, partner):
        if hasattr(partner, "_ids"):
            if len(partner) != 1:
                raise UserError(_("Prices are computed for one customer at a time"))
            return partner.id
        if isinstance(partner, bool) or not isinstance(partner, int):
            raise UserError(_("The customer must be a partner record or its id"))
        return partner

    def _check_request(self, index, request):
        if not isinstance(request, dict):
            raise UserError(_("Each line must be a dictionary with a product and a quantity"))
        key = request.get("key", index)
        product_id, partner_id = request.get("product_id"), request.get("partner_id")
        product_id = product_id.id if hasattr(product_id, "_ids") else product_id
        partner_id = partner_id.id if hasattr(partner_id, "_ids") else partner_id
        if type(product_id) is not int:  # noqa: E721 (a bool is not an id)
            raise UserError(_("Line {key}: a product is required").format(key=key))
        if type(partner_id) is not int:  # noqa: E721
            raise UserError(_("Line {key}: a customer is required").format(key=key))
        quantity = request.get("quantity")
        if type(quantity) is not int or quantity <= 0:  # noqa: E721 (whole quantities: the fast path)
            try:
                quantity = to_decimal(quantity)
                valid = quantity.is_finite() and quantity > 0
            except (TypeError, ValueError, ArithmeticError):
                valid = False
            if not valid:
                raise UserError(_("Line {key}: the quantity must be a number above zero").format(key=key))
        return partner_id, product_id, quantity

    def _check_found(self, data, partner_ids, product_ids):
        missing = sorted(set(partner_ids) - set(data.partners))
        if missing:
            raise UserError(_("Customer {id} does not exist").format(id=missing[0]))
        missing = sorted(set(product_ids) - set(data.products))
        if missing:
            raise UserError(_("Product {id} does not exist").format(id=missing[0]))

    def _date(self, date):
        if date is None or date is False:
            return dt.date.today()
        if isinstance(date, dt.datetime):
            return date.date()
        if isinstance(date, dt.date):
            return date
        try:
            return dt.date.fromisoformat(str(date))
        except ValueError:
            raise UserError(_("{date} is not a date (YYYY-MM-DD)").format(date=date)) from None

    def _currency(self, currency):
        currencies = self.env["res.currency"].sudo()
        if currency is None or currency is False:
            company = self.env.user.company_id if self.env.user else None
            return company.currency_id if company else self.env.ref("base.ILS")
        if hasattr(currency, "_ids"):
            currency = currency.id
        found = currencies.browse(currency).exists() if isinstance(currency, int) and \
            not isinstance(currency, bool) else currencies.browse()
        if not found:
            raise UserError(_("Unknown currency {currency}").format(currency=currency))
        return found
