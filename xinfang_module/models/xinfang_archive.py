"""Archives (G2, issue 17): closed items filed within the filing limit into
yearly volumes of a class, numbered in date order, and the volume's cover,
catalogue (卷内目录) and note sheet (备考表).

篇1-2 §(八)3 and 篇1-3 §十: the items are split by class (来访案件 /
领导批示信件, or 文书 / 案件) and numbered by the date of the letter or the
visit, year by year; 篇8 §九5: each volume has its catalogue and note sheet.
A volume is numbered within its year and class; an item gets the next item
number (件号) of the open volume of its year (of closure) and class. Closing
a volume fixes its catalogue: nothing is added, removed or renumbered after.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .tools import date_text
from .xinfang_petition import MANAGER, OFFICER

RETENTIONS = [
    ("permanent", "Permanent"),
    ("long", "Long Term (30 Years)"),
    ("short", "Short Term (10 Years)"),
    ("three", "3 Years"),
]
# Years each retention period keeps a volume (None: for ever).
RETENTION_YEARS = {"permanent": None, "long": 30, "short": 10, "three": 3}

VOLUME_STATES = [
    ("open", "Open for Filing"),
    ("closed", "Compiled"),
    ("transferred", "Transferred to the Archive Office"),
    ("destroyed", "Destroyed"),
]


class XinfangArchiveClass(models.Model):
    """A class of volumes (归档类别): which items it takes (by channel), the
    code in the volumes' numbers and the retention of its volumes."""

    _name = "xinfang.archive.class"
    _description = "Archive Class"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code in the volumes' numbers (档号), e.g. LF for 来访案件.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the class is offered to every company."
    )
    channel_ids = fields.Many2many(
        "ir.model.fields.selection",
        string="Channels",
        # By the field's id: no search in ir.model.fields, which the office
        # may not read.
        domain=lambda self: [
            (
                "field_id",
                "=",
                self.env["ir.model.fields"]._get("xinfang.petition", "channel").id,
            )
        ],
        help="Items that came by these channels are filed in this class. A "
        "class without channels takes the items no other class takes.",
    )
    retention = fields.Selection(
        RETENTIONS,
        required=True,
        default="long",
        help="How long the volumes of this class are kept (保管期限).",
    )

    _sql_constraints = [
        (
            "code_company_unique",
            "UNIQUE(code, company_id)",
            "Each archive class has its own code.",
        )
    ]

    @api.constrains("code", "company_id")
    def _check_code(self):
        # A shared class's code is taken in every company.
        for archive_class in self:
            # Every company's classes, whatever the user's current ones.
            clash = (
                self.sudo()
                .with_context(active_test=False)
                .search_count(
                    [
                        ("id", "!=", archive_class.id),
                        ("code", "=", archive_class.code),
                        "|",
                        ("company_id", "=", False),
                        ("company_id", "=", archive_class.company_id.id)
                        if archive_class.company_id
                        else (1, "=", 1),
                    ]
                )
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "Code %s is already an archive class's: volume numbers "
                        "would repeat.",
                        archive_class.code,
                    )
                )

    @api.model
    def _xinfang_class_for(self, petition, classes=None):
        """The class an item is filed in: the first (by sequence) that names
        its channel, else the first that names no channel."""
        if classes is None:
            classes = self.search(
                [("company_id", "in", (petition.company_id.id, False))]
            )
        fallback = self.browse()
        for archive_class in classes:
            if not archive_class.channel_ids:
                fallback = fallback or archive_class
            elif petition.channel in archive_class.channel_ids.mapped("value"):
                return archive_class
        return fallback


class XinfangArchiveVolume(models.Model):
    """A volume (案卷) of a year and class. Made by filing, numbered within
    its year and class; one open volume per year and class at a time."""

    _name = "xinfang.archive.volume"
    _description = "Archive Volume"
    _inherit = ["xinfang.guard.mixin", "mail.thread"]
    _order = "year desc, class_id, number desc"
    _check_company_auto = True
    _xinfang_step_fields = frozenset(
        {
            "company_id",
            "year",
            "class_id",
            "number",
            "state",
            "last_number",
            "compiler_id",
            "close_date",
            "checker_id",
            "check_date",
            "transfer_date",
        }
    )

    name = fields.Char(
        string="Volume Number",
        compute="_compute_name",
        store=True,
        help="档号: year, class code and volume number.",
    )
    title = fields.Char(string="Volume Title", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    year = fields.Integer(required=True, index=True, readonly=True, aggregator=None)
    class_id = fields.Many2one(
        "xinfang.archive.class",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    number = fields.Integer(
        string="Volume No.", required=True, readonly=True, aggregator=None
    )
    retention = fields.Selection(
        RETENTIONS, required=True, tracking=True, string="Retention Period"
    )
    state = fields.Selection(
        VOLUME_STATES,
        default="open",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    location = fields.Char(
        tracking=True, help="Where the paper volume is kept (cabinet, shelf)."
    )
    note = fields.Text(
        string="Note Sheet Remarks",
        help="What the note sheet (备考表) says of the volume: missing or "
        "damaged material, replacements.",
    )
    last_number = fields.Integer(
        string="Last Item No.",
        readonly=True,
        aggregator=None,
        help="The item number (件号) last given in this volume.",
    )
    item_ids = fields.One2many("xinfang.petition", "archive_volume_id")
    item_count = fields.Integer(string="Items", compute="_compute_item_count")
    item_hidden_count = fields.Integer(
        string="Items Not Shown to You", compute="_compute_item_count"
    )
    compiler_id = fields.Many2one(
        "res.users",
        string="Compiled By",
        readonly=True,
        help="Who compiled and closed the volume (立卷人).",
    )
    close_date = fields.Date(string="Compiled On", readonly=True, tracking=True)
    checker_id = fields.Many2one(
        "res.users",
        string="Checked By",
        readonly=True,
        help="Who checked the compiled volume (检查人).",
    )
    check_date = fields.Date(string="Checked On", readonly=True, tracking=True)
    transfer_date = fields.Date(
        string="Transferred to the Archive On", readonly=True, tracking=True
    )

    _sql_constraints = [
        (
            "number_unique",
            "UNIQUE(company_id, year, class_id, number)",
            "A volume number is given once per year and class.",
        )
    ]

    def init(self):
        # One open volume per year and class: two filings at once wait for
        # each other instead of opening two volumes.
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS xinfang_archive_volume_open_key
                   ON xinfang_archive_volume (company_id, year, class_id)
                   WHERE state = 'open'"""
            )
        )

    @api.depends("year", "class_id.code", "number")
    def _compute_name(self):
        for volume in self:
            volume.name = (
                f"{volume.year}-{volume.class_id.code}-{volume.number:03d}"
                if volume.year and volume.class_id
                else False
            )

    @api.depends_context("uid")
    def _compute_item_count(self):
        # Every item counts, also those the reader may not open: the numbers
        # run without gaps.
        counts = dict(
            self.env["xinfang.petition"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("archive_volume_id", "in", self.ids)],
                ["archive_volume_id"],
                ["__count"],
            )
        )
        readable = dict(
            self.env["xinfang.petition"]
            .with_context(active_test=False)
            ._read_group(
                [("archive_volume_id", "in", self.ids)],
                ["archive_volume_id"],
                ["__count"],
            )
        )
        for volume in self:
            volume.item_count = counts.get(volume._origin, 0)
            volume.item_hidden_count = volume.item_count - readable.get(
                volume._origin, 0
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Volumes are opened by filing.
        self._xinfang_check_create_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._xinfang_check_step_fields(vals)
        if not self._xinfang_trusted():
            self.env["xinfang.petition"]._check_group(OFFICER)
            if "retention" in vals and any(
                volume.state == "destroyed" for volume in self
            ):
                raise UserError(
                    self.env._("A destroyed volume keeps its retention period.")
                )
            if (
                "retention" in vals
                and any(volume.state != "open" for volume in self)
                and not self.env.user.has_group(MANAGER)
            ):
                # It decides when the volume may be destroyed.
                raise UserError(
                    self.env._(
                        "The retention period of a compiled volume is changed "
                        "by the office manager only."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Volumes are archive records: they are never deleted. A volume "
                "whose retention ended is destroyed with approval."
            )
        )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_close(self):
        """立卷: the compiler closes the volume; its catalogue is fixed."""
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("open",), self.env._("compiled"))
        for volume in self:
            if not volume.item_count:
                raise UserError(
                    self.env._(
                        "Volume %s holds no item: file items into it first.",
                        volume.display_name,
                    )
                )
        self._xinfang_steps().write(
            {
                "state": "closed",
                "compiler_id": self.env.uid,
                "close_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_check(self):
        """检查: the office manager checks a closed volume; not its compiler."""
        self.env["xinfang.petition"]._check_group(MANAGER)
        self.check_access("write")
        self._check_state(("closed",), self.env._("checked"))
        for volume in self:
            if volume.check_date:
                raise UserError(
                    self.env._("Volume %s is already checked.", volume.display_name)
                )
            if volume.compiler_id == self.env.user:
                raise UserError(
                    self.env._(
                        "Volume %s was compiled by you: another person checks it.",
                        volume.display_name,
                    )
                )
        self._xinfang_steps().write(
            {
                "checker_id": self.env.uid,
                "check_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_transfer(self):
        """移交: a checked volume goes to the archive office."""
        self.env["xinfang.petition"]._check_group(OFFICER)
        self.check_access("write")
        self._check_state(("closed",), self.env._("transferred"))
        unchecked = self.filtered(lambda volume: not volume.check_date)
        if unchecked:
            raise UserError(
                self.env._(
                    "Volume %s is not checked yet: the office manager checks it "
                    "before it is transferred.",
                    unchecked[0].display_name,
                )
            )
        self._xinfang_steps().write(
            {"state": "transferred", "transfer_date": fields.Date.context_today(self)}
        )
        return True

    def _xinfang_one(self):
        if len(self) != 1:
            raise UserError(self.env._("Choose one volume."))

    def action_view_items(self):
        self._xinfang_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_petition_action"
        )
        action.update(
            domain=[("archive_volume_id", "=", self.id)],
            context={"active_test": False, "search_default_archive_volume": 1},
        )
        return action

    # ------------------------------------------------------------------
    # Filing
    # ------------------------------------------------------------------

    @api.model
    def _xinfang_file(self, petitions, archive_class=None, volume=None):
        """File closed ``petitions`` (already checked by the caller): each in
        the open volume of its company, year of closure and class (``volume``
        or ``archive_class`` when given), numbered after the volume's last
        item in the order of registration. Queries per batch do not grow with
        the volume: each volume's last number is read and written once."""
        Class = self.env["xinfang.archive.class"].sudo()
        classes = {}
        groups = defaultdict(list)
        for petition in petitions:
            company = petition.company_id
            if volume:
                target = (company, volume.year, volume.class_id)
            else:
                if company not in classes:
                    classes[company] = Class.search(
                        [("company_id", "in", (company.id, False))]
                    )
                chosen = archive_class or Class._xinfang_class_for(
                    petition, classes[company]
                )
                if not chosen:
                    raise UserError(
                        self.env._(
                            "No archive class takes %s: add one in Petitions > "
                            "Configuration > Archive Classes.",
                            petition.display_name,
                        )
                    )
                target = (company, self._xinfang_year(petition), chosen)
            groups[target].append(petition)
        if volume:
            self._xinfang_check_target(volume, petitions)
        Volume = self.sudo()
        numbers = {}
        for (company, year, chosen), members in groups.items():
            target = (
                volume.sudo()
                if volume
                else Volume._xinfang_open_volume(company, year, chosen)
            )
            # Two filings into one volume: the second waits here for the
            # first's numbers.
            target.flush_recordset(["last_number"])
            self.env.cr.execute(
                SQL(
                    "SELECT last_number FROM xinfang_archive_volume "
                    "WHERE id = %s FOR UPDATE",
                    target.id,
                )
            )
            last = self.env.cr.fetchone()[0] or 0
            members.sort(key=lambda p: (p.registration_date or p.create_date, p.id))
            for offset, petition in enumerate(members, start=1):
                numbers[petition] = (target.id, last + offset)
            target._xinfang_steps().write({"last_number": last + len(members)})
        return numbers

    def _xinfang_check_target(self, volume, petitions):
        if volume.state != "open":
            raise UserError(
                self.env._(
                    "Volume %s is closed: items are filed into an open volume.",
                    volume.display_name,
                )
            )
        for petition in petitions:
            if petition.company_id != volume.company_id:
                raise UserError(
                    self.env._(
                        "%(petition)s is of another company than volume " "%(volume)s.",
                        petition=petition.display_name,
                        volume=volume.display_name,
                    )
                )
            if self._xinfang_year(petition) != volume.year:
                raise UserError(
                    self.env._(
                        "%(petition)s was closed in %(year)s: it is filed in a "
                        "volume of that year, not in %(volume)s.",
                        petition=petition.display_name,
                        year=self._xinfang_year(petition),
                        volume=volume.display_name,
                    )
                )

    @api.model
    def _xinfang_year(self, petition):
        """The year an item is filed in: of its closure (an item imported
        closed without a date: of its filing)."""
        return (petition.close_date or petition.company_id._xinfang_today()).year

    def _xinfang_open_volume(self, company, year, archive_class):
        """The open volume of the year and class, opened when there is none."""
        volume = self.search(
            [
                ("company_id", "=", company.id),
                ("year", "=", year),
                ("class_id", "=", archive_class.id),
                ("state", "=", "open"),
            ],
            limit=1,
        )
        if volume:
            return volume
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(MAX(number), 0) FROM xinfang_archive_volume
                    WHERE company_id = %s AND year = %s AND class_id = %s""",
                company.id,
                year,
                archive_class.id,
            )
        )
        number = self.env.cr.fetchone()[0] + 1
        # The title in the office's language.
        office = self.with_context(lang=company._xinfang_lang())
        volume = office._xinfang_steps().create(
            {
                "company_id": company.id,
                "year": year,
                "class_id": archive_class.id,
                "number": number,
                "retention": archive_class.retention,
                "title": office.env._(
                    "%(company)s %(year)s %(class_name)s, Volume %(number)s",
                    company=company.name,
                    year=year,
                    class_name=archive_class.with_env(office.env).name,
                    number=number,
                ),
            }
        )
        return self.browse(volume.id)

    @api.constrains("year")
    def _check_year(self):
        for volume in self:
            if not 1949 <= volume.year <= 9999:
                raise ValidationError(
                    self.env._("%s is not a year of a volume.", volume.year)
                )


class ReportArchiveVolume(models.AbstractModel):
    """A volume's cover, catalogue (卷内目录) and note sheet (备考表). Every
    item is listed, so that the numbers run without gaps; an item the reader
    may not open keeps its number, document number and pages, not its title
    or department."""

    _name = "report.xinfang_module.report_archive_volume"
    _description = "Volume Catalogue"

    @api.model
    def _get_report_values(self, docids, data=None):
        volumes = self.env["xinfang.archive.volume"].browse(docids)
        volumes.check_access("read")
        Petition = self.env["xinfang.petition"]
        withheld = self.env._("(withheld: confidential item)")
        catalogue = {}
        for volume in volumes:
            items = (
                Petition.sudo()
                .with_context(active_test=False)
                .search([("archive_volume_id", "=", volume.id)], order="archive_number")
            )
            readable = set(items.with_env(self.env)._filtered_access("read").ids)
            rows = []
            for item in items:
                shown = item.id in readable
                rows.append(
                    {
                        "number": item.archive_number,
                        "document": item.name,
                        "responsible": (
                            item.department_id.name or volume.company_id.name
                        )
                        if shown
                        else "",
                        "title": item.subject if shown else withheld,
                        "date": date_text(
                            self.env,
                            volume.company_id._xinfang_local_date(
                                item.registration_date
                            ),
                        )
                        if shown and item.registration_date
                        else "",
                        "pages": item.archive_pages or "",
                        "remarks": (item.archive_remarks or "") if shown else "",
                    }
                )
            days = [
                volume.company_id._xinfang_local_date(item.registration_date)
                for item in items
                if item.registration_date
            ]
            pages = sum(items.mapped("archive_pages"))
            catalogue[volume] = {
                "rows": rows,
                "pages": pages,
                "summary": self.env._(
                    "This volume holds %(items)s item(s), %(pages)s page(s).",
                    items=len(rows),
                    pages=pages,
                ),
                "first": date_text(self.env, min(days)) if days else "",
                "last": date_text(self.env, max(days)) if days else "",
            }
        return {
            "doc_ids": volumes.ids,
            "doc_model": "xinfang.archive.volume",
            "docs": volumes,
            "catalogue": catalogue,
            "date_text": lambda day: date_text(self.env, day) if day else "",
        }
