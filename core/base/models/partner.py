"""Partners: customers, suppliers, contact persons under a company, head offices."""
from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields


def israeli_id_valid(number):
    """Check digit of an Israeli ID (ת.ז.) or company number (ח.פ.): 9 digits, Luhn-like."""
    digits = number.strip().zfill(9)
    if not digits.isdigit() or len(digits) != 9:
        return False
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (1 + index % 2)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class Partner(Model):
    _name = "res.partner"
    _inherit = ["mail.thread"]
    _description = "Partner"
    _order = "name"
    _rec_names_search = ["name", "ref", "email"]

    name = fields.Char("Name", required=True, index=True, tracking=True)
    ref = fields.Char("Reference", index=True, help="Your own code for this partner (customer number)")
    active = fields.Boolean("Active", default=True, tracking=True)
    is_company = fields.Boolean("Is a company")
    parent_id = fields.Many2one("res.partner", "Company", ondelete="cascade",
                                help="The company this contact person works for")
    child_ids = fields.One2many("res.partner", "parent_id", "Contact persons")
    head_office_id = fields.Many2one("res.partner", "Head office", ondelete="restrict", tracking=True,
                                     help="Branch customers inherit the pricing policy of their head office")
    branch_ids = fields.One2many("res.partner", "head_office_id", "Branches")
    customer = fields.Boolean("Customer")
    supplier = fields.Boolean("Supplier")
    function = fields.Char("Job position")
    street = fields.Char("Street")
    city = fields.Char("City")
    zip = fields.Char("Zip")
    country = fields.Char("Country", default="IL")
    phone = fields.Char("Phone")
    mobile = fields.Char("Mobile")
    email = fields.Char("Email", tracking=True)
    tax_id = fields.Char("Tax id", help="Israeli company number (ח.פ.) or ID number (ת.ז.)", tracking=True)
    lang = fields.Selection([("he", "Hebrew"), ("en", "English")], "Language", default="he")
    company_id = fields.Many2one("res.company", "Company", ondelete="restrict")
    user_id = fields.Many2one("res.users", "Salesperson", ondelete="set null")
    comment = fields.Text("Notes")

    @api.constrains("tax_id", "country")
    def _check_tax_id(self):
        for partner in self:
            if partner.tax_id and (partner.country or "IL") == "IL" and not israeli_id_valid(partner.tax_id):
                raise ValidationError(_("%(partner)s: %(tax_id)r is not a valid Israeli tax id (9 digits with a check "
                                        "digit)") % {"partner": partner.name, "tax_id": partner.tax_id}, field="tax_id")

    @api.constrains("head_office_id", "parent_id")
    def _check_hierarchy(self):
        for partner in self:
            for name, message in (("head_office_id", _("%(partner)s: head offices cannot form a circle")),
                                  ("parent_id", _("%(partner)s: companies cannot form a circle"))):
                current, seen = partner[name], {partner.id}
                while current:
                    if current.id in seen:
                        raise ValidationError(message % {"partner": partner.name}, field=name)
                    seen.add(current.id)
                    current = current[name]

    def commercial_partner(self):
        """The partner documents are made out to: the company of a contact person."""
        self.ensure_one()
        return self.parent_id.commercial_partner() if self.parent_id else self

    def pricing_partner(self):
        """The partner whose pricing policy applies: the head office of a branch, else itself."""
        self.ensure_one()
        partner = self.commercial_partner()
        return partner.head_office_id.pricing_partner() if partner.head_office_id else partner
