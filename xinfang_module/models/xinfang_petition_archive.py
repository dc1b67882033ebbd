"""Filing (归档, G2): the filing limit after closure, and the item's place in
its volume (xinfang_archive.py)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .xinfang_petition import OFFICER

# The catalogue's columns the office fills while the volume is open.
CATALOGUE_FIELDS = frozenset({"archive_pages", "archive_remarks"})
# Written by filing only.
FILING_FIELDS = frozenset(
    {"archive_volume_id", "archive_number", "archive_date", "archive_user_id"}
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    filing_deadline = fields.Date(
        compute="_compute_filing_deadline",
        store=True,
        index=True,
        help="G2: a closed item is filed within the filing limit of its closure.",
    )
    archive_volume_id = fields.Many2one(
        "xinfang.archive.volume",
        string="Volume",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    archive_number = fields.Integer(
        string="Item No.",
        readonly=True,
        copy=False,
        aggregator=None,
        help="The item number (件号) in its volume.",
    )
    archive_date = fields.Date(string="Filed On", readonly=True, copy=False)
    archive_user_id = fields.Many2one(
        "res.users", string="Filed By", readonly=True, copy=False
    )
    archive_pages = fields.Integer(
        string="Pages", copy=False, help="Pages of the item's paper file (页数)."
    )
    archive_remarks = fields.Char(string="Catalogue Remarks", copy=False)

    _sql_constraints = [
        (
            "archive_number_unique",
            "UNIQUE(archive_volume_id, archive_number)",
            "An item number is given once in a volume.",
        ),
        (
            "archive_pages_positive",
            "CHECK(archive_pages >= 0)",
            "Pages cannot be negative.",
        ),
    ]

    @api.depends(
        "close_date",
        "company_id.xinfang_filing_days",
        "company_id.xinfang_filing_working",
    )
    def _compute_filing_deadline(self):
        cache = {}
        for petition in self:
            company = petition.company_id or self.env.company
            petition.filing_deadline = company._xinfang_add_days(
                petition.close_date, "filing", cache=cache
            )

    def write(self, vals):
        catalogue = CATALOGUE_FIELDS & set(vals)
        if catalogue and not self._xinfang_trusted():
            self._check_group(OFFICER)
            for petition in self:
                if not petition.archive_volume_id:
                    raise UserError(
                        self.env._(
                            "%s is not filed: pages and remarks are written in "
                            "its volume's catalogue.",
                            petition.display_name,
                        )
                    )
                if petition.archive_volume_id.state != "open":
                    raise UserError(
                        self.env._(
                            "Volume %(volume)s is closed: its catalogue is fixed "
                            "(%(petition)s).",
                            volume=petition.archive_volume_id.display_name,
                            petition=petition.display_name,
                        )
                    )
        result = super().write(vals)
        if vals.get("confidential"):
            self._xinfang_restrict_copies()
        return result

    def _xinfang_restrict_copies(self):
        """An item made confidential after its volume's durable copies were
        written: those copies are the office manager's from now on."""
        volumes = self.sudo().archive_volume_id
        if volumes:
            self.env["ir.attachment"].sudo().search(
                [
                    ("res_model", "=", "xinfang.archive.volume"),
                    ("res_id", "in", volumes.ids),
                    ("xinfang_restricted", "in", ("office", "discipline")),
                ]
            ).write({"xinfang_restricted": "manager"})
            volumes.filtered(
                lambda volume: volume.package_scope in ("office", "discipline")
            )._xinfang_steps().write({"package_scope": "manager"})

    def _do_file(self, archive_class=None, volume=None):
        """归档: closed items into the open volume of their year and class,
        numbered in date order; one note per item, in one batch."""
        self._check_group(OFFICER)
        self.check_access("write")
        for petition in self.filtered("archive_volume_id"):
            raise UserError(
                self.env._(
                    "%(petition)s is already filed, in volume %(volume)s.",
                    petition=petition.display_name,
                    volume=petition.archive_volume_id.sudo().display_name,
                )
            )
        # An item filed before volumes existed (18.0.1.9.0) is put in one.
        self.filtered(lambda p: p.state != "filed")._check_state(
            ("closed",), self.env._("filed")
        )
        numbers = self.env["xinfang.archive.volume"]._xinfang_file(
            self, archive_class=archive_class, volume=volume
        )
        today = fields.Date.context_today(self)
        steps = self._xinfang_steps()
        # The note below tells the step, its volume and number at once.
        steps.with_context(mail_notrack=True).write(
            {"state": "filed", "archive_date": today, "archive_user_id": self.env.uid}
        )
        # One number per item: the writes are flushed in one batch.
        for petition in steps:
            volume_id, number = numbers[petition]
            petition.write({"archive_volume_id": volume_id, "archive_number": number})
        volumes = {
            volume.id: volume.display_name
            for volume in self.env["xinfang.archive.volume"]
            .sudo()
            .browse({volume_id for volume_id, _n in numbers.values()})
        }
        self._message_log_batch(
            bodies={
                petition.id: self.env._(
                    "Filed (归档) in volume %(volume)s as item %(number)s.",
                    volume=volumes[numbers[petition][0]],
                    number=numbers[petition][1],
                )
                for petition in self
            }
        )
