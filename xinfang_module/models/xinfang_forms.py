"""The office's daily forms (issue 15, item 2), printed in its form frame:
the registration form of an item (来信/来访/来电登记表 by channel), the
processing slip (处理签/呈阅单) with the proposed opinion and the leaders'
instructions, the register of a reception day (领导接待日来访登记表) and the
register (登记簿) of a period per channel.

A form shows the petitioner only to who may read them: everybody else reads
身份保密 in their place, whoever renders it (also as superuser)."""

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError

from .tools import check_read_as_user, date_text, list_separator
from .xinfang_petition import LEADER, OFFICER, REGISTRAR


class XinfangFormReport(models.AbstractModel):
    """What every form has: the records as the real user reads them, and
    the identity of each item's petitioner or 身份保密."""

    _name = "report.xinfang_module.form_base"
    _description = "Petition Office Form"
    _xinfang_model = "xinfang.petition"
    _xinfang_groups = (OFFICER, LEADER)

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._xinfang_model].browse(docids)
        user = self.env.user
        if self.env.uid != SUPERUSER_ID and not any(
            user.has_group(group) for group in self._xinfang_groups
        ):
            raise AccessError(
                self.env._("Only the petition office and its leaders print its forms.")
            )
        if not docs:
            raise UserError(self.env._("Nothing to print."))
        check_read_as_user(docs)
        return {
            **self._common_values(),
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            **self._values(docs),
        }

    def _values(self, docs):
        return {"people": self._people(docs.mapped("petitioner_id"))}

    def _common_values(self):
        """What every form's template uses: the comma between a person's
        name, gender and ID (full-width in Chinese)."""
        return {"comma": "，" if (self.env.lang or "").startswith("zh") else ", "}

    @api.model
    def _people(self, petitioners):
        """{petitioner: the petitioner, or False where the user may not read
        them}."""
        readable = petitioners.with_env(self.env(su=False))._filtered_access("read")
        return {
            petitioner: petitioner.sudo() if petitioner in readable else False
            for petitioner in petitioners
        }


class ReportRegistrationForm(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_registration"
    _inherit = "report.xinfang_module.form_base"
    _description = "Registration Form"

    _xinfang_groups = (REGISTRAR, LEADER)

    def _values(self, docs):
        # The form's title by channel.
        titles = {
            "letter": self.env._("Letter Registration Form (来信登记表)"),
            "visit": self.env._("Visit Registration Form (来访登记表)"),
            "phone": self.env._("Call Registration Form (来电登记表)"),
        }
        return {
            **super()._values(docs),
            "signatories": self._signatories(docs),
            "titles": {
                doc: titles.get(doc.channel)
                or self.env._("Petition Registration Form (信访登记表)")
                for doc in docs
            },
        }

    def _signatories(self, docs):
        """{doc: a joint letter's co-signers and designated representatives,
        as two enumerations}: 身份保密 in place of whom the user may not read
        (one access check for all the documents)."""
        joint = docs.sudo().filtered(lambda p: p.joint and not p.anonymous)
        people = self._people(joint.cosigner_ids | joint.representative_ids)
        separator = list_separator(self.env)

        def names(petitioners, phones=False):
            # Representatives are answered through: their phone with them.
            return separator.join(
                (
                    self.env._(
                        "%(name)s (%(phone)s)",
                        name=people[petitioner].name,
                        phone=people[petitioner].phone,
                    )
                    if phones and people[petitioner].phone
                    else people[petitioner].name
                )
                if people[petitioner]
                else self.env._("Identity confidential")
                for petitioner in petitioners.sorted("id")
            )

        return {
            doc: {
                "cosigners": names(petition.cosigner_ids),
                "representatives": names(petition.representative_ids, phones=True),
            }
            if petition in joint
            else {}
            for doc, petition in zip(docs, docs.sudo(), strict=True)
        }


class ReportProcessingSlip(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_processing_slip"
    _inherit = "report.xinfang_module.form_base"
    _description = "Processing Slip"


class ReportReceptionDay(models.AbstractModel):
    _name = "report.xinfang_module.report_reception_day_register"
    _inherit = "report.xinfang_module.form_base"
    _description = "Reception Day Register"
    _xinfang_model = "xinfang.reception.day"

    def _values(self, docs):
        visits = docs.visit_ids.with_env(self.env(su=False))._filtered_access("read")
        return {
            "visits": {day: visits & day.visit_ids for day in docs},
            "people": self._people(visits.sudo().petitioner_ids),
        }


class ReportRegister(models.AbstractModel):
    _name = "report.xinfang_module.report_petition_register"
    _inherit = "report.xinfang_module.form_base"
    _description = "Petition Register"
    _xinfang_model = "xinfang.register.wizard"

    def _values(self, docs):
        wizard = docs[:1]
        items = wizard._items()
        return {
            "wizard": wizard,
            "period": self.env._(
                "%(start)s to %(end)s",
                start=date_text(self.env, wizard.date_from),
                end=date_text(self.env, wizard.date_to),
            ),
            "items": items,
            "people": self._people(items.petitioner_id),
        }
