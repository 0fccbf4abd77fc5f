"""What every sales document with priced lines shares: customer, dates, VAT, totals, numbers.

``sale.document`` (quotes, orders, invoices) and ``sale.document.line`` (their lines)
are mixins. Totals follow the one rounding rule of ``rounding.py``; the VAT rate is the
company's rate in force on the document's tax point date (its ``date``).
"""
import datetime as dt

from core.exceptions import UserError, ValidationError
from core.orm import AbstractModel, api, fields

from .rounding import document_totals, line_total, vat_rates
from .tools import label, sequence_of, tr


def today():
    return dt.date.today()


class SalesDocument(AbstractModel):
    _name = "sale.document"
    _description = "Sales document"

    _sequence_code = None       # the ir.sequence of the numbers (SO-2026-00001)
    _number_on_create = True    # else the number is drawn when the document is posted

    name = fields.Char("Number", readonly=True, copy=False, index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict", index=True)
    date = fields.Date("Date", required=True, default=lambda self: today(), index=True,
                       help="The tax point: the VAT rate in force on this date applies")
    company_id = fields.Many2one("res.company", "Company", required=True, ondelete="restrict")
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", "Salesperson", ondelete="set null",
                              default=lambda self: self.env.uid if self.env.uid else None)
    payment_term_id = fields.Many2one("sale.payment.term", "Payment terms", ondelete="restrict")
    client_ref = fields.Char("Customer reference")
    note = fields.Text("Terms and conditions")
    vat_rate = fields.Decimal("VAT (%)", digits=2, readonly=True, copy=False,
                              help="The company's rate in force on the document's date (set with the date)")
    amount_untaxed = fields.Monetary("Before VAT", compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary("VAT", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary("Total", compute="_compute_amounts", store=True)

    # the rounding rule step by step: the rate is set with the date, the sums are computed
    def _rates_for(self, pairs):
        """``{(company_id, date): rate}``; a pair without a rate is refused clearly."""
        rates = vat_rates(self.env, set(pairs))
        for company_id, date in pairs:
            if (company_id, date) not in rates:
                company = self.env["res.company"].sudo().browse(company_id)
                raise UserError(tr(self.env, "{company}: no VAT rate is defined for {date}",
                                   company=company.name, date=date))
        return rates

    @api.depends("vat_rate")
    def _compute_amounts(self):
        """Before VAT, VAT and total in one pass (one UPDATE for a batch). Each document model
        redeclares this with ``line_ids.price_subtotal`` added to its depends."""
        for doc in self:
            doc.amount_untaxed, doc.amount_tax, doc.amount_total = document_totals(
                [line.price_subtotal for line in doc.line_ids], doc.vat_rate)

    # -- creation: company, currency, customer defaults and numbers for the whole batch --
    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(vals) for vals in ([vals_list] if single else vals_list)]
        self._fill_document_defaults(vals_list)
        date_field = self._fields["date"]
        for vals in vals_list:
            vals["date"] = date_field.convert(vals.get("date") or today(), self)
        rates = self._rates_for([(vals["company_id"], vals["date"]) for vals in vals_list])
        for vals in vals_list:
            vals["vat_rate"] = rates[(vals["company_id"], vals["date"])]
        missing = [vals for vals in vals_list if not vals.get("name")] if self._number_on_create else []
        if missing:
            numbers = sequence_of(self.env, self._sequence_code).next_numbers(
                [vals.get("date") or today() for vals in missing])  # one UPDATE for the batch
            for vals, number in zip(missing, numbers):
                vals["name"] = number
        return super().create(vals_list)

    def _fill_document_defaults(self, vals_list):
        company = None
        for vals in vals_list:
            if not vals.get("company_id"):
                company = company or self._default_company()
                vals["company_id"] = company.id
        companies = self.env["res.company"].sudo().browse(tuple({v["company_id"] for v in vals_list}))
        currency = {c.id: c.currency_id.id for c in companies}
        for vals in vals_list:
            vals.setdefault("currency_id", currency.get(vals["company_id"]))
        partner_ids = {vals["partner_id"] for vals in vals_list if isinstance(vals.get("partner_id"), int)}
        if not partner_ids:
            return
        partners = self.env["res.partner"].browse(tuple(partner_ids))
        answers = self.env.hooks.sales_document_defaults(env=self.env, model_name=self._name, partners=partners)
        merged = {}
        for answer in answers:
            for partner_id, values in (answer or {}).items():
                merged.setdefault(partner_id, {}).update(values)
        for vals in vals_list:
            for name, value in merged.get(vals.get("partner_id"), {}).items():
                if name in self._fields and name not in vals:
                    vals[name] = value

    def write(self, vals):
        result = super().write(vals)
        if "date" in vals or "company_id" in vals:
            docs = self.filtered(lambda d: d.date and d.company_id)
            rates = self._rates_for([(doc.company_id.id, doc.date) for doc in docs])
            groups = {}
            for doc in docs:
                groups.setdefault(rates[(doc.company_id.id, doc.date)], []).append(doc.id)
            for rate, ids in groups.items():
                super(SalesDocument, self.browse(ids)).write({"vat_rate": rate})
        return result

    def unlink(self):
        numbered = self.filtered("name")
        if numbered:
            raise UserError(tr(self.env, "{document} {name} has a number: numbered documents are never deleted, "
                               "cancel it instead", document=label(self.env, self._description),
                               name=numbered[0].name))
        return super().unlink()

    def _default_company(self):
        user = self.env.user
        if user is not None and self.env.uid:
            company = user.sudo().exists().company_id
            if company:
                return company
        return self.env.ref("base.main_company")

    # -- prices ------------------------------------------------------------------
    @api.ui_callable
    def action_update_prices(self):
        """Ask again for the price and discount of every line (one hook call per document)."""
        self._check_editable()
        lines = self.mapped("line_ids")
        values = lines._price_values([{"_parent": line[line._parent_field].id, "product_id": line.product_id.id,
                                       "quantity": line.quantity, "_line": line.id} for line in lines if line.product_id])
        for vals in values:
            lines.browse(vals.pop("_line")).write({k: v for k, v in vals.items() if not k.startswith("_")})
        return True

    def _check_editable(self):
        """Documents that are no longer drafts refuse changes to their lines (overridden)."""


class SalesDocumentLine(AbstractModel):
    _name = "sale.document.line"
    _description = "Sales document line"
    _order = "sequence, id"

    _parent_field = None        # the many2one to the document ("quote_id", "order_id", ...)
    _FREE_FIELDS = frozenset()  # fields that may change once the document is no longer a draft

    sequence = fields.Integer("Sequence", default=10)
    product_id = fields.Many2one("product.product", "Product", ondelete="restrict", index=True)
    name = fields.Text("Description", required=True)
    quantity = fields.Decimal("Quantity", digits=3, required=True, default=1)
    uom_id = fields.Many2one("uom.uom", "Unit", ondelete="restrict")
    price_unit = fields.Monetary("Unit price", required=True, default=0)
    discount = fields.Decimal("Discount (%)", digits=2, default=0)
    price_subtotal = fields.Monetary("Line total", readonly=True, copy=False,
                                     help="Quantity × unit price − discount, rounded to the agora")
    price_explanation = fields.Text("Why this price")

    @api.constrains("quantity", "price_unit", "discount")
    def _check_amounts(self):
        for line in self:
            if line.quantity is None or line.quantity <= 0:
                raise ValidationError(tr(self.env, "The quantity of a line must be more than zero"),
                                      field="quantity")
            if line.price_unit is not None and line.price_unit < 0:
                raise ValidationError(tr(self.env, "A unit price cannot be negative"), field="price_unit")
            if line.discount is not None and not 0 <= line.discount <= 100:
                raise ValidationError(tr(self.env, "A discount is a percentage between 0 and 100"),
                                      field="discount")

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(vals) for vals in ([vals_list] if single else vals_list)]
        parent_ids = {vals.get(self._parent_field) for vals in vals_list} - {None, False}
        self.env[self._fields[self._parent_field].comodel].browse(tuple(parent_ids))._check_editable()
        self._fill_from_products(vals_list)
        fields_ = self._fields
        for vals in vals_list:  # set with the line, not computed after: the totals then run once
            vals["price_subtotal"] = line_total(
                fields_["quantity"].convert(vals.get("quantity", 1), self) or 0,
                fields_["price_unit"].convert(vals.get("price_unit", 0), self) or 0,
                fields_["discount"].convert(vals.get("discount", 0), self) or 0)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - self._FREE_FIELDS:
            self.mapped(self._parent_field)._check_editable()
        result = super().write(vals)
        if {"quantity", "price_unit", "discount"} & set(vals):
            groups = {}
            for line in self:
                groups.setdefault(line_total(line.quantity, line.price_unit, line.discount), []).append(line.id)
            for total, ids in groups.items():
                super(SalesDocumentLine, self.browse(ids)).write({"price_subtotal": total})
        return result

    def unlink(self):
        self.mapped(self._parent_field)._check_editable()
        return super().unlink()

    def _fill_from_products(self, vals_list):
        """Description, unit, and — for lines given no price — the price of the hook."""
        product_ids = {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        if not product_ids:
            return
        products = {p["id"]: p for p in self.env["product.product"].sudo().browse(tuple(product_ids))
                    .read(["default_code", "name", "uom_id", "list_price"])}
        for vals in vals_list:
            product = products.get(vals.get("product_id"))
            if product is None:
                continue
            if not vals.get("name"):
                code = product["default_code"]
                vals["name"] = f"[{code}] {product['name']}" if code else product["name"]
            if "uom_id" not in vals and product["uom_id"]:
                vals["uom_id"] = product["uom_id"]["id"]
        for vals in vals_list:  # an empty cell of a form is no price: ask for one
            for name in ("price_unit", "discount", "price_explanation"):
                if name in vals and vals[name] in (None, ""):
                    del vals[name]
        asking = [vals for vals in vals_list if vals.get("product_id") and "price_unit" not in vals]
        if asking:
            for vals in asking:
                vals["_parent"] = vals.get(self._parent_field)
            answered = self._price_values(asking, products=products)
            for vals, answer in zip(asking, answered):
                vals.pop("_parent", None)
                vals["price_unit"] = answer["price_unit"]
                vals.setdefault("discount", answer["discount"])
                vals.setdefault("price_explanation", answer["price_explanation"])

    def _price_values(self, lines, products=None):
        """``[{price_unit, discount, price_explanation}]`` for ``lines`` (dicts with
        ``_parent``, ``product_id``, ``quantity``): one ``sales_line_prices`` call per document."""
        parent_model = self.env[self._fields[self._parent_field].comodel]
        parents = parent_model.browse(tuple({vals["_parent"] for vals in lines if vals.get("_parent")}))
        if products is None:
            products = {p["id"]: p for p in self.env["product.product"].sudo()
                        .browse(tuple({vals["product_id"] for vals in lines})).read(["list_price"])}
        by_parent = {}
        for index, vals in enumerate(lines):
            by_parent.setdefault(vals.get("_parent"), []).append(index)
        results = [None] * len(lines)
        hook = self.env.hooks.sales_line_prices
        for parent in (parents if hook.get_hookimpls() else ()):  # no price addon: the list prices
            indexes = by_parent.get(parent.id, [])
            asked = [{"key": index, "product_id": lines[index]["product_id"],
                      "quantity": fields.Decimal(digits=3).convert(lines[index].get("quantity", 1))}
                     for index in indexes]
            answer = hook(env=self.env, partner=parent.partner_id, lines=asked, date=parent.date,
                          currency=parent.currency_id) or {}
            for index in indexes:
                results[index] = answer.get(index)
        values, list_price = [], None
        for index, vals in enumerate(lines):
            found = results[index]
            if found:
                item = {"price_unit": found["price_unit"], "discount": found.get("discount") or 0,
                        "price_explanation": found.get("explanation") or None}
            else:
                list_price = list_price or tr(self.env, "The product's sales price")
                item = {"price_unit": products[vals["product_id"]]["list_price"] or 0, "discount": 0,
                        "price_explanation": list_price}
            if "_line" in vals:
                item["_line"] = vals["_line"]
            values.append(item)
        return values
