"""发文登记: the notices and letters the office issues (issue 15, item 1).

Printing a notice is issuing it: the first print of a document of an item
takes its document number (文号) from the yearly sequence and records who
issued it and when; a reprint keeps the number and is counted. A notice is
printable only in the states where it means something."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from .xinfang_petition import LEADER, OFFICER, REFUSED_STATES, TAKEN_IN_STATES

# kind: (report xmlid, states of the item in which it may be issued)
DOCUMENT_KINDS = [
    ("acceptance", "Acceptance Notice (受理告知书)"),
    ("refusal", "Non-acceptance Notice (不予受理告知书)"),
    ("extension", "Extension Notice (延期告知书)"),
    ("reply", "Reply Letter (答复意见书)"),
    ("completion", "Completion Report (办结报告表)"),
    ("slip", "Transfer Slip (交办单)"),
]
ISSUABLE_STATES = {
    "acceptance": TAKEN_IN_STATES,
    "refusal": REFUSED_STATES,
    "extension": TAKEN_IN_STATES,
    "reply": ("replied", "closed", "filed"),
    "completion": ("closed", "filed"),
    "slip": TAKEN_IN_STATES,
}


class XinfangDocument(models.Model):
    _name = "xinfang.document"
    _description = "Issued Petition Document"
    _inherit = ["xinfang.guard.mixin", "xinfang.numbered.mixin"]
    _xinfang_sequence_code = "xinfang.document"
    _order = "issued_at desc, id desc"
    _check_company_auto = True
    # Written by printing only.
    _xinfang_step_fields = frozenset(
        {
            "name",
            "petition_id",
            "assignment_id",
            "kind",
            "issued_by",
            "issued_at",
            "print_count",
        }
    )

    name = fields.Char(string="Document Number (文号)")
    petition_id = fields.Many2one(
        "xinfang.petition", required=True, index=True, ondelete="restrict"
    )
    assignment_id = fields.Many2one(
        "xinfang.assignment", index="btree_not_null", ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="petition_id.company_id", store=True, index=True
    )
    confidential = fields.Boolean(related="petition_id.confidential", store=True)
    kind = fields.Selection(DOCUMENT_KINDS, required=True, index=True)
    issued_by = fields.Many2one("res.users", required=True)
    issued_at = fields.Datetime(required=True)
    print_count = fields.Integer(string="Prints", default=1)

    def init(self):
        # A document of an item (of an assignment, for a slip) is issued
        # once: reprints keep its number.
        tools.create_unique_index(
            self.env.cr,
            "xinfang_document_once_index",
            self._table,
            ["petition_id", "kind", "COALESCE(assignment_id, 0)"],
        )

    @api.depends("name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for document in self:
            document.display_name = f"{kinds.get(document.kind, '')} {document.name}"

    @api.model
    def _xinfang_issue(self, kind, petitions, assignments=None):
        """{record: document} of the items (or the assignments of a slip)
        printed now: refused outside the states where the document means
        something; numbered at the first print, counted at the next."""
        # Who issues: the office (and leaders their completion reports), as
        # the report actions say; the report routes do not check their groups.
        issuers = (OFFICER, LEADER) if kind == "completion" else (OFFICER,)
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in issuers
        ):
            raise AccessError(self.env._("Only the petition office issues notices."))
        label = dict(self._fields["kind"]._description_selection(self.env))[kind]
        states = dict(
            self.env["xinfang.petition"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        # A letter with nothing to say takes no number.
        required = {
            "reply": ("reply_facts", "reply_basis", "reply_conclusion"),
            "completion": ("completion_report",),
        }.get(kind, ())
        records = assignments if kind == "slip" else petitions
        # The same id twice is one document (a number is never drawn twice).
        records = records.browse(list(dict.fromkeys(records.ids)))
        for record in records:
            petition = record.petition_id if kind == "slip" else record
            if petition.state not in ISSUABLE_STATES[kind]:
                raise UserError(
                    self.env._(
                        "%(document)s of %(item)s cannot be issued: the item is "
                        "%(state)s.",
                        document=label,
                        item=petition.name,
                        state=states[petition.state],
                    )
                )
            empty = [fname for fname in required if not petition[fname]]
            if empty:
                raise UserError(
                    self.env._(
                        "%(document)s of %(item)s cannot be issued: fill in "
                        "%(fields)s first.",
                        document=label,
                        item=petition.name,
                        fields=", ".join(
                            petition._fields[fname].get_description(self.env)["string"]
                            for fname in empty
                        ),
                    )
                )
            if kind == "extension" and not petition.extension_ids.filtered(
                lambda extension: extension.state == "approved"
            ):
                raise UserError(
                    self.env._(
                        "%(item)s has no approved extension.", item=petition.name
                    )
                )
        Document = self.sudo()._xinfang_steps()
        field = "assignment_id" if kind == "slip" else "petition_id"
        existing = Document.search([("kind", "=", kind), (field, "in", records.ids)])
        by_record = {document[field]: document for document in existing}
        for document in existing:
            document.print_count += 1
        first_prints = records.filtered(lambda record: record not in by_record)
        now = fields.Datetime.now()
        created = Document.create(
            [
                {
                    "kind": kind,
                    "petition_id": (
                        record.petition_id if kind == "slip" else record
                    ).id,
                    "assignment_id": record.id if kind == "slip" else False,
                    "issued_by": self.env.uid,
                    "issued_at": now,
                }
                for record in first_prints
            ]
        )
        for document in created:
            by_record[document[field]] = document
            document.petition_id.sudo()._xinfang_steps().message_post(
                body=self.env._(
                    "%(document)s issued, number %(number)s.",
                    document=label,
                    number=document.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {record: by_record[record] for record in records}


class XinfangDocumentReport(models.AbstractModel):
    """The values of a notice: its records and the documents issued by this
    print (one report model per notice, below)."""

    _name = "report.xinfang_module.document_base"
    _description = "Petition Notice"
    _xinfang_kind = None

    @api.model
    def _get_report_values(self, docids, data=None):
        Document = self.env["xinfang.document"]
        if self._xinfang_kind == "slip":
            assignments = self.env["xinfang.assignment"].browse(docids)
            documents = Document._xinfang_issue("slip", None, assignments)
            docs = assignments
        else:
            docs = self.env["xinfang.petition"].browse(docids)
            documents = Document._xinfang_issue(self._xinfang_kind, docs)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "documents": documents,
        }


class ReportAcceptance(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_acceptance"
    _inherit = "report.xinfang_module.document_base"
    _description = "Acceptance Notice"
    _xinfang_kind = "acceptance"


class ReportRefusal(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_refusal"
    _inherit = "report.xinfang_module.document_base"
    _description = "Non-acceptance Notice"
    _xinfang_kind = "refusal"


class ReportExtension(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_extension"
    _inherit = "report.xinfang_module.document_base"
    _description = "Extension Notice"
    _xinfang_kind = "extension"


class ReportReply(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_reply"
    _inherit = "report.xinfang_module.document_base"
    _description = "Reply Letter"
    _xinfang_kind = "reply"


class ReportCompletion(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_completion"
    _inherit = "report.xinfang_module.document_base"
    _description = "Completion Report"
    _xinfang_kind = "completion"


class ReportSlip(models.AbstractModel):
    _name = "report.xinfang_module.report_assignment_slip"
    _inherit = "report.xinfang_module.document_base"
    _description = "Transfer Slip"
    _xinfang_kind = "slip"
