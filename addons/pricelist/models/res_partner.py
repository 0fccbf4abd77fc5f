"""The customer's pricing policy, added to res.partner from outside (model extension).

A branch (``head_office_id`` set) uses its head office's policy for whatever it does not
define itself; what "defines" means for each part is in the addon's README.
"""
from core.exceptions import AccessError, ValidationError
from core.i18n import _
from core.orm import Model, api, fields
from core.orm.fields import x2many_commands

POLICY_FIELDS = ("pricelist_id", "general_discount")
POLICY_LINES = ("special_price_ids", "family_discount_ids")
MANAGER = "pricelist.group_pricelist_manager"


class PartnerPricing(Model):
    _inherit = "res.partner"

    pricelist_id = fields.Many2one("pricelist.pricelist", "Price list", ondelete="restrict", tracking=True,
                                   help="Empty: the price list of the head office")
    general_discount = fields.Decimal("General discount (%)", digits=2, tracking=True,
                                      help="Empty: the general discount of the head office")
    special_price_ids = fields.One2many("pricelist.special_price", "partner_id", "Special prices")
    family_discount_ids = fields.One2many("pricelist.family_discount", "partner_id", "Family discounts")
    effective_pricelist_id = fields.Many2one("pricelist.pricelist", "Price list in force",
                                             compute="_compute_effective_policy",
                                             help="This customer's price list, else its head office's")
    effective_general_discount = fields.Decimal("General discount in force (%)", digits=2,
                                                compute="_compute_effective_policy")

    def pricing_chain(self):
        """The partners whose policy applies, nearest first: the customer, its head office, theirs..."""
        self.ensure_one()
        chain, partner = [], self.commercial_partner()
        while partner and partner not in chain:
            chain.append(partner)
            partner = partner.head_office_id
        return chain

    def _compute_effective_policy(self):
        for partner in self:
            chain = partner.pricing_chain() if partner.id else []
            partner.effective_pricelist_id = next((p.pricelist_id for p in chain if p.pricelist_id), None)
            partner.effective_general_discount = next(
                (p.general_discount for p in chain if p.general_discount is not None), None)

    @api.constrains("general_discount")
    def _check_general_discount(self):
        for partner in self:
            if partner.general_discount is not None and not 0 <= partner.general_discount <= 100:
                raise ValidationError(_("A discount is between 0 and 100%"), field="general_discount")

    def _check_policy_change(self, vals):
        """Only price list managers (and administrators) change a customer's price list or general discount."""
        if self.env.su or not any(name in vals for name in POLICY_FIELDS):
            return
        user = self.env.user
        if user.has_group(MANAGER) or user.has_group("base.group_system"):
            return
        for name in POLICY_FIELDS:
            if name not in vals:
                continue
            new = self._fields[name].convert(vals[name], self)
            current = [p[name].id if name == "pricelist_id" else p[name] for p in self] or [None]
            if any(value != new for value in current):
                raise AccessError(_("Only price list managers may change a customer's price list "
                                    "or general discount"))

    def create(self, vals_list):
        for vals in [vals_list] if isinstance(vals_list, dict) else vals_list:
            self.browse()._check_policy_change(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_policy_change(vals)
        return super().write(self._without_unchanged_lines(vals))

    def _without_unchanged_lines(self, vals):
        """``vals`` without the line updates that change nothing.

        The customer form posts every line of the Pricing tab; a salesperson saving the
        customer (who may read special prices but not change them) must not be refused
        for lines left as they were.
        """
        result = dict(vals)
        for name in POLICY_LINES:
            if name not in vals:
                continue
            field = self._fields[name]
            lines = self.env[field.comodel]
            kept = []
            for op, target, values in x2many_commands(field, vals[name]):
                if op != "update":
                    kept.append(_command(op, target, values))
                elif not all(_same(lines.browse(target), key, value) for key, value in values.items()):
                    kept.append(("update", target, values))
            if kept:
                result[name] = kept
            else:
                result.pop(name)
        return result

    def unlink(self):
        """Special prices go first, so their deletion is in the price history."""
        self.env["pricelist.special_price"].sudo().search([("partner_id", "in", list(self._ids))]).unlink()
        return super().unlink()


def _same(line, name, value):
    field = line._fields.get(name)
    if field is None:
        return False
    current = line[name]
    if field.type == "many2one":
        return (current.id or None) == field.convert(value, line)
    return current == field.convert(value, line)


def _command(op, target, values):
    """A normalised x2many command back in the form ``write`` takes."""
    if op == "create":
        return ("create", values)
    if op in ("set", "clear"):
        return ("set", values or [])
    return (op, target)
