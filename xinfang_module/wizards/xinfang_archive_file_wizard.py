from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class XinfangArchiveFileWizard(models.TransientModel):
    """归档: the office files closed items, each in the open volume of its
    year and class; the class proposed is the one that takes the items'
    channel, and the office may choose another."""

    _name = "xinfang.archive.file.wizard"
    _description = "File Petitions"

    petition_ids = fields.Many2many("xinfang.petition", readonly=True)
    petition_count = fields.Integer(compute="_compute_petition_count")
    class_id = fields.Many2one(
        "xinfang.archive.class",
        help="Empty: each item goes to the class that takes its channel.",
    )
    proposal = fields.Char(
        string="Filed In",
        compute="_compute_proposal",
        help="The class and year of closure each item is filed in.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ids = self.env.context.get("active_ids") or []
        if self.env.context.get("active_model") == "xinfang.petition" and ids:
            values["petition_ids"] = [Command.set(ids)]
        return values

    @api.depends("petition_ids")
    def _compute_petition_count(self):
        for wizard in self:
            wizard.petition_count = len(wizard.petition_ids)

    @api.depends("petition_ids", "class_id")
    def _compute_proposal(self):
        # The classes' channels are read as filing reads them.
        Class = self.env["xinfang.archive.class"].sudo()
        Volume = self.env["xinfang.archive.volume"]
        for wizard in self:
            counts = {}
            classes = {}
            for petition in wizard.petition_ids:
                company = petition.company_id
                if company not in classes:
                    classes[company] = Class.search(
                        [("company_id", "in", (company.id, False))]
                    )
                chosen = wizard.class_id or Class._xinfang_class_for(
                    petition, classes[company]
                )
                key = (Volume._xinfang_year(petition), chosen.display_name or "?")
                counts[key] = counts.get(key, 0) + 1
            wizard.proposal = "; ".join(
                self.env._(
                    "%(year)s %(class_name)s: %(count)s",
                    year=year,
                    class_name=name,
                    count=count,
                )
                for (year, name), count in sorted(counts.items())
            )

    def action_file(self):
        self.ensure_one()
        if not self.petition_ids:
            raise UserError(self.env._("Choose the closed items to file."))
        self.petition_ids._do_file(archive_class=self.class_id or None)
        return {"type": "ir.actions.act_window_close"}
