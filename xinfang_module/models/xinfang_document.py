"""发文登记: the notices and letters the office issues (issue 15, item 1).

Printing a notice is issuing it: the first print of a document of an item
takes its document number (文号) from the yearly sequence and records who
issued it and when; a reprint keeps the number and is counted. A notice is
printable only in the states where it means something."""

import base64

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from .tools import check_read_as_user, count_by, date_text, list_separator
from .xinfang_petition import (
    DISCIPLINE,
    LEADER,
    OFFICER,
    REFUSED_STATES,
    TAKEN_IN_STATES,
)

DOCUMENT_KINDS = [
    ("acceptance", "Acceptance Notice (受理告知书)"),
    ("refusal", "Non-acceptance Notice (不予受理告知书)"),
    ("extension", "Extension Notice (延期告知书)"),
    ("reply", "Reply Letter (答复意见书)"),
    ("completion", "Completion Report (办结报告表)"),
    ("slip", "Transfer Slip (交办单)"),
    ("transfer", "Transfer Slip Out (转送单)"),
]
REPORTS = {
    kind: f"xinfang_module.{xmlid}"
    for kind, xmlid in [
        ("acceptance", "xinfang_petition_report_acceptance"),
        ("refusal", "xinfang_petition_report_refusal"),
        ("extension", "xinfang_petition_report_extension"),
        ("reply", "xinfang_petition_report_reply"),
        ("completion", "xinfang_petition_report_completion"),
        ("slip", "xinfang_assignment_report_slip"),
        ("transfer", "xinfang_petition_report_transfer"),
    ]
}
# The notices a petitioner receives, and may download on the query page.
ONLINE_KINDS = ("acceptance", "refusal", "extension", "reply")
# The states of the item in which each document may be issued.
ISSUABLE_STATES = {
    "acceptance": TAKEN_IN_STATES,
    "refusal": REFUSED_STATES,
    "extension": TAKEN_IN_STATES,
    "reply": ("replied", "closed", "filed"),
    "completion": ("closed", "filed"),
    "slip": TAKEN_IN_STATES,
    "transfer": ("redirected",),
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
            "online_release",
            "online_copy",
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
    online_release = fields.Boolean(
        string="Released Online",
        copy=False,
        help="The petitioner downloads the notice, as issued, on the query page.",
    )
    # The notice as released: the petitioner's to download, with the number
    # and the query code. It names the petitioner, so nobody reads it in the
    # back office (a leader reads documents of concealed items).
    online_copy = fields.Binary(
        string="Released Copy",
        # In the table, not an ir.attachment: Odoo reads attachments without
        # the field's group (search_read, /web/content/<id>).
        attachment=False,
        copy=False,
        readonly=True,
        groups="base.group_system",
    )

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

    def action_print(self):
        """Print the document again (the same number, one more print)."""
        self.ensure_one()
        record = self.assignment_id if self.kind == "slip" else self.petition_id
        return self.env.ref(REPORTS[self.kind]).report_action(record)

    def action_release_online(self):
        """Deliver the notice online: the petitioner downloads it, as issued
        now, on the query page (with the number and query code)."""
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only the petition office releases notices."))
        for document in self:
            if document.kind not in ONLINE_KINDS:
                raise UserError(
                    self.env._(
                        "%s is an internal document: it is not released to the "
                        "petitioner.",
                        document.display_name,
                    )
                )
            if document.online_release:
                continue
            petition = document.petition_id
            check_read_as_user(petition)
            report = self.env.ref(REPORTS[document.kind])
            pdf = report._render_qweb_pdf(report.report_name, petition.ids)[0]
            document.sudo()._xinfang_steps().write(
                {"online_release": True, "online_copy": base64.b64encode(pdf)}
            )
            petition.sudo()._xinfang_steps().message_post(
                body=self.env._(
                    "%(document)s released online: the petitioner downloads it "
                    "on the query page.",
                    document=document.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_petition(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "xinfang.petition",
            "res_id": self.petition_id.id,
            "view_mode": "form",
        }

    @api.model
    def _xinfang_issue(self, kind, petitions, assignments=None, issue=True):
        """{record: document} of the items (or the assignments of a slip)
        printed now: refused outside the states where the document means
        something; numbered at the first print, counted at the next. With
        ``issue`` False (a preview), only checked: the documents already
        issued, nothing numbered or counted."""
        # Who issues: the office (and leaders their completion reports), as
        # the report actions say; the report routes do not check their groups.
        issuers = (OFFICER, LEADER) if kind == "completion" else (OFFICER,)
        # Checked for the real user also when the rendering runs as superuser
        # (a mail composer computes its attachments so): only the superuser
        # itself (crons, the server) passes without the group.
        if self.env.uid != SUPERUSER_ID and not any(
            self.env.user.has_group(group) for group in issuers
        ):
            raise AccessError(self.env._("Only the petition office issues notices."))
        # And the items as that user may read them (record rules).
        check_read_as_user(assignments if kind == "slip" else petitions)
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
            if kind == "transfer" and not petition.transfer_out_date:
                raise UserError(
                    self.env._(
                        "%s was redirected without being transferred out (转送): "
                        "there is no transfer slip.",
                        petition.name,
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
        if not issue:
            return by_record
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


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    document_count = fields.Integer(
        compute="_compute_document_count",
        groups=f"{OFFICER},{LEADER},{DISCIPLINE}",
    )

    def _compute_document_count(self):
        counts = count_by(self, "xinfang.document", "petition_id")
        for petition in self:
            petition.document_count = counts.get(petition, 0)

    def action_view_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "xinfang_module.xinfang_document_action"
        )
        action["domain"] = [("petition_id", "=", self.id)]
        return action


class XinfangDocumentReport(models.AbstractModel):
    """The values of a notice: its records, the documents issued by this
    print, and its sentences (one report model per notice, below).

    Only a PDF print issues (numbers, counts): an HTML preview shows the
    notice without a number. Both are refused to whoever may not issue it
    and outside the states where it means something.

    The sentences are written whole in Python, the item's values in named
    placeholders, so a translation is one Chinese sentence with its own
    punctuation (QWeb would cut a sentence at each field it embeds)."""

    _name = "report.xinfang_module.document_base"
    _description = "Petition Notice"
    _xinfang_kind = None

    @api.model
    def _get_report_values(self, docids, data=None):
        Document = self.env["xinfang.document"]
        kind = self._xinfang_kind
        if kind == "slip":
            docs = self.env["xinfang.assignment"].browse(docids)
            petitions, assignments = None, docs
        else:
            docs = self.env["xinfang.petition"].browse(docids)
            petitions, assignments = docs, None
        # Issued by the PDF print before rendering (ir.actions.report); here
        # only checked, whichever route renders.
        documents = Document._xinfang_issue(kind, petitions, assignments, issue=False)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "documents": documents,
            "texts": {
                record: self._texts(record, documents.get(record)) for record in docs
            },
        }

    @api.model
    def _frame_texts(self, petition, day, to_petitioner=True):
        """The parts every letter of the office has: the item's number, the
        date, the legal basis and the contact line (a letter to a body, not
        to a petitioner, carries no legal basis)."""
        company = petition.company_id
        contact = [
            company.xinfang_contact_name
            and self.env._(
                "Contact person: %(name)s", name=company.xinfang_contact_name
            ),
            company.xinfang_contact_phone
            and self.env._("Phone: %(phone)s", phone=company.xinfang_contact_phone),
        ]
        return {
            "date": date_text(self.env, day),
            "number": self.env._("Petition number: %(number)s", number=petition.name),
            "basis": to_petitioner
            and company.xinfang_legal_basis
            and self.env._("Legal basis: %(basis)s", basis=company.xinfang_legal_basis),
            "contact": "\u3000".join(filter(None, contact)),
            "sealed": True,
        }

    @api.model
    def _addressee(self, petition):
        """Whom a notice is written to: the petitioner, or the representatives
        a joint letter names (A4: it is answered through them) and the
        number who signed; nobody by name whom the reader may not read."""
        addressed = petition.sudo().petitioner_id
        if petition.joint:
            addressed = petition.sudo().representative_ids or addressed
        if (
            petition.anonymous
            or not addressed
            or not (
                self.env.uid == SUPERUSER_ID
                or addressed.with_env(self.env(su=False))._filtered_access("read")
                == addressed
            )
        ):
            return self.env._("To the petitioner:")
        names = list_separator(self.env).join(addressed.sorted("id").mapped("name"))
        if petition.joint:
            return self.env._(
                "%(names)s and the other signatories (%(count)s people):",
                names=names,
                count=petition.people_count,
            )
        return self.env._("%(name)s:", name=names)

    @api.model
    def _texts(self, record, document):
        """The sentences of the notice of ``record`` (an item, or an
        assignment for a slip)."""
        petition = record.petition_id if self._xinfang_kind == "slip" else record
        company = petition.company_id
        issued = document.issued_at if document else fields.Datetime.now()
        texts = self._frame_texts(petition, company._xinfang_local_date(issued))
        if self._xinfang_kind == "slip":
            texts["addressee"] = self.env._("%(name)s:", name=record.department_id.name)
        else:
            texts["addressee"] = self._addressee(petition)
        values = {
            "subject": petition.subject,
            "registered": date_text(
                self.env, company._xinfang_local_date(petition.registration_date)
            ),
            "decided": date_text(self.env, petition.decision_date),
            "deadline": date_text(self.env, petition.handling_deadline),
        }
        texts.update(
            getattr(self, f"_texts_{self._xinfang_kind}")(record, petition, values)
        )
        if self._xinfang_kind in ("completion", "slip", "transfer"):
            # Internal documents: no legal basis or contact for a petitioner;
            # the completion report (a form) has no addressee and no seal.
            texts.update(basis=False, contact=False)
        texts["sealed"] = self._xinfang_kind != "completion"
        if self._xinfang_kind == "completion":
            texts["addressee"] = False
        return texts

    def _texts_acceptance(self, record, petition, values):
        return {
            "body": [
                self.env._(
                    "Your petition \u201c%(subject)s\u201d, registered on "
                    "%(registered)s, was accepted on %(decided)s. It will be "
                    "handled and you will receive a reply by %(deadline)s.",
                    **values,
                )
            ]
        }

    def _texts_refusal(self, record, petition, values):
        decision = {
            "rejected": self.env._(
                "Your petition \u201c%(subject)s\u201d, registered on "
                "%(registered)s, was examined and is not accepted.",
                **values,
            ),
            "not_reaccepted": self.env._(
                "Your petition \u201c%(subject)s\u201d, registered on "
                "%(registered)s, raises again facts and grounds that have "
                "already been handled, and is not accepted again.",
                **values,
            ),
            "redirected": self.env._(
                "Your petition \u201c%(subject)s\u201d, registered on "
                "%(registered)s, was examined: it does not fall within our "
                "competence.",
                **values,
            ),
        }[petition.state]
        body = [decision]
        if petition.decision_note:
            body.append(self.env._("Reason: %(reason)s", reason=petition.decision_note))
        if petition.competent_body and petition.transfer_out_date:
            body.append(
                self.env._(
                    "We transferred it to %(body)s on %(date)s: that body will "
                    "handle it and answer you.",
                    body=petition.competent_body,
                    date=date_text(self.env, petition.transfer_out_date),
                )
            )
        elif petition.competent_body:
            body.append(
                self.env._(
                    "Please address your request to %(body)s.",
                    body=petition.competent_body,
                )
            )
        return {"body": body}

    def _texts_extension(self, record, petition, values):
        body = [
            self.env._(
                "The handling of your petition \u201c%(subject)s\u201d is "
                "extended by %(days)s days. Reason: %(reason)s",
                subject=petition.subject,
                days=extension.days,
                reason=extension.reason,
            )
            for extension in petition.extension_ids
            if extension.state == "approved"
        ]
        body.append(self.env._("The new handling deadline is %(deadline)s.", **values))
        return {"body": body}

    def _texts_reply(self, record, petition, values):
        """The reply, then what the petitioner may do next (复查/复核)."""
        company = petition.company_id
        days = company.xinfang_review_request_days
        if petition.petition_type == "initial":
            rights = self.env._(
                "If you disagree with this reply, you may ask %(body)s for a "
                "review (复查) within %(days)s days of receiving this letter.",
                body=company.xinfang_review_body
                or self.env._("the administrative body above the one that handled it"),
                days=days,
            )
        elif petition.petition_type == "review":
            rights = self.env._(
                "If you disagree with this review opinion, you may ask the body "
                "above the reviewing body for a re-examination (复核) within "
                "%(days)s days of receiving this letter.",
                days=days,
            )
        else:
            rights = self.env._(
                "This re-examination opinion is final: a petition on the same "
                "facts and grounds will not be accepted again."
            )
        return {
            "body": [
                self.env._(
                    "About your petition \u201c%(subject)s\u201d: after "
                    "investigation we reply as follows.",
                    **values,
                )
            ],
            "after": [rights],
        }

    def _texts_completion(self, record, petition, values):
        return {"body": []}

    def _texts_transfer(self, record, petition, values):
        """转送单: to the competent body, with the item's data below."""
        return {
            "addressee": self.env._("%(name)s:", name=petition.competent_body),
            "body": [
                self.env._(
                    "The petition below, received on %(registered)s, falls within "
                    "your competence. Under the regulation we transfer it to you "
                    "for handling; please return the receipt.",
                    **values,
                )
            ],
        }

    def _texts_slip(self, record, petition, values):
        return {
            "body": [
                self.env._(
                    "The petition below is assigned to you as %(role)s. Please "
                    "handle it and send your reply opinion by %(deadline)s.",
                    role=dict(record._fields["role"]._description_selection(self.env))[
                        record.role
                    ],
                    deadline=date_text(self.env, record.deadline),
                )
            ]
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


class ReportTransfer(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_transfer"
    _inherit = "report.xinfang_module.document_base"
    _description = "Transfer Slip Out"
    _xinfang_kind = "transfer"


class ReportSlip(models.AbstractModel):
    _name = "report.xinfang_module.report_assignment_slip"
    _inherit = "report.xinfang_module.document_base"
    _description = "Transfer Slip"
    _xinfang_kind = "slip"
