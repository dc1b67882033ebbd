"""Records nobody can quietly rewrite (issue 11): one suite a reviewer reads.

- the access matrix, declared as a table: the table is the documentation;
- every guarded field written by every role, through ``write`` and the form:
  refused (and the record unchanged), except by the step or role that owns it;
- the office's correction and the manager's lifting of a protection;
- relations that would open what a user may not read;
- who is told of what: never the accused, never every member.
"""

from odoo import Command
from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import XinfangCase

# Effective rights of one user per group (groups imply one another), as
# "rwcu" letters: read, write, create, unlink. Record rules narrow them.
ACCESS_MATRIX = {
    # Columns: registrar, handler, officer, leader, discipline, manager, outsider.
    "xinfang.petition": ("rwc-", "rw--", "rwc-", "r---", "rwc-", "rwc-", "----"),
    "xinfang.petitioner": ("rwc-", "r---", "rwc-", "r---", "rwc-", "rwcu", "----"),
    "xinfang.category": ("r---", "r---", "r---", "r---", "r---", "rwcu", "r---"),
    "xinfang.assignment": ("----", "rw--", "rwc-", "r---", "rw--", "rwc-", "----"),
    "xinfang.extension": ("----", "r-c-", "r-c-", "r---", "r-c-", "rwc-", "----"),
    "xinfang.supervision": ("----", "rw--", "rwc-", "r---", "rw--", "rwc-", "----"),
    "xinfang.callback": ("----", "rw--", "rwc-", "rw--", "rwc-", "rwc-", "----"),
    "xinfang.callback.bulletin": (
        "----",
        "----",
        "r---",
        "r---",
        "----",
        "rwc-",
        "----",
    ),
    "xinfang.visit": ("rwc-", "r---", "rwc-", "rw--", "rwc-", "rwc-", "----"),
    "xinfang.visit.checklist": ("rwc-", "r---", "rwc-", "rw--", "r---", "rwcu", "----"),
    "xinfang.reception.day": ("r---", "r---", "rwc-", "rw--", "r---", "rwcu", "----"),
    "xinfang.screening": ("----", "rwc-", "rwc-", "r---", "rwc-", "rwcu", "----"),
    "xinfang.contingency.step": (
        "r---",
        "r---",
        "r---",
        "r---",
        "r---",
        "rwcu",
        "r---",
    ),
    "xinfang.petition.correction": (
        "----",
        "----",
        "rwc-",
        "----",
        "----",
        "rwc-",
        "----",
    ),
    "xinfang.petition.protection": (
        "----",
        "----",
        "----",
        "----",
        "----",
        "rwc-",
        "----",
    ),
    # Odoo's models the office configures: the settings record (the petition
    # settings only, see TestOfficeConfiguration) and the departments (Odoo
    # lets every employee write one; the model refuses all but HR and the
    # office manager, see TestRelationsAndDefaults).
    "res.config.settings": ("----", "----", "----", "----", "----", "rwc-", "----"),
    "hr.department": ("rw--", "rw--", "rw--", "rw--", "rw--", "rwc-", "rw--"),
}
MODES = ("read", "write", "create", "unlink")


# The matrix's columns: one test user per group (tests/common.py).
COLUMNS = (
    "xf_t_registrar",
    "xf_t_handler",
    "xf_t_officer",
    "xf_t_leader",
    "xf_t_discipline",
    "xf_t_manager",
    "xf_t_outsider",
)


@tagged("post_install", "-at_install", "xinfang_security")
class TestAccessMatrix(XinfangCase):
    @users(*COLUMNS)
    def test_matrix(self):
        column = COLUMNS.index(self.env.user.login)
        Access = self.env["ir.model.access"]
        found = {
            model: "".join(
                mode[0] if Access.check(model, mode, False) else "-" for mode in MODES
            )
            for model in ACCESS_MATRIX
        }
        expected = {model: rights[column] for model, rights in ACCESS_MATRIX.items()}
        self.assertEqual(found, expected)

    @users("xf_t_registrar", "xf_t_handler", "xf_t_officer", "xf_t_manager")
    def test_no_unlink_right_the_model_refuses(self):
        # Petitions are archived, never deleted: nobody holds the right but
        # the system administrator.
        with self.assertRaises(AccessError):
            self.p_draft_other.with_env(self.env).unlink()
        self.assertTrue(self.p_draft_other.exists())


class GuardCase(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.xinfang_discipline_department_id = cls.dept_discipline

    def _accept_and_route(self, petition, department=None):
        petition.with_user(self.officer)._do_accept()
        petition.with_user(self.officer)._do_assign(
            department or petition.department_id
        )
        return petition

    def assertRefused(self, user, record, vals, exception=UserError):
        """The write is refused and the record keeps every value."""
        names = list(vals)
        before = record.sudo().read(names)
        with self.assertRaises(exception):
            record.with_user(user).write(vals)
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(names), before)


@tagged("post_install", "-at_install", "xinfang_security")
class TestStepFields(GuardCase):
    def test_lifecycle_fields_refused_for_every_role(self):
        petition = self._accept_and_route(self.p_medical)
        forged = [
            {"state": "closed"},
            {"state": "replied"},
            {"close_date": "2026-01-05"},
            {"completion_approver_id": self.manager.id},
            {"completion_report": "已办结"},
            {"decision_date": "2026-01-01"},
            {"leader_instruction": "同意"},
            {"owner_signoff_date": "2026-01-05"},
            {"owner_leader_id": self.leader.id},
            {"escalated": True},
            {"criticism_suggestion": "通报批评"},
            {"handling_deadline": "2030-01-01"},
            {"deadline_status": "overdue"},
            {"extension_days": 30},
            {"repeat_of_id": self.p_nursing.id},
        ]
        for user in (self.handler, self.officer, self.manager):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused(user, petition, vals)
        # The leader and the registrar may not write the item at all.
        self.assertRefused(self.leader, petition, {"state": "closed"}, AccessError)
        self.assertRefused(self.registrar, petition, {"state": "closed"}, AccessError)

    def test_registrar_cannot_accept_their_own_draft(self):
        draft = self.p_draft_other
        self.assertRefused(self.registrar2, draft, {"state": "accepted"})
        with self.assertRaises(UserError):
            self.env["xinfang.petition"].with_user(self.registrar).create(
                {"channel": "phone", "subject": "x", "state": "closed"}
            )
        with self.assertRaises(UserError):
            self.env["xinfang.petition"].with_user(self.registrar).create(
                {"channel": "phone", "subject": "x", "registrar_id": self.officer.id}
            )

    def test_handler_writes_only_the_reply_while_handling(self):
        petition = self._accept_and_route(self.p_concealed)
        for vals in (
            {"subject": "改写"},
            {"content": "改写"},
            {"category_id": self.cat_nursing.id},
            {"department_id": self.dept_nursing.id},
            {"conceal_identity": False},
            {"confidential": True},
            {"anonymous": True},
            {"accused_department_id": self.dept_nursing.id},
            {"active": False},
            {"priority": "1"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(self.handler, petition, vals)
        petition.with_user(self.handler).write({"reply_facts": "经查属实"})
        self.assertEqual(petition.reply_facts, "经查属实")
        # The petitioner stays hidden from the handler.
        with self.assertRaises(AccessError):
            petition.petitioner_id.with_user(self.handler).read(["name"])

    def test_reply_frozen_once_submitted(self):
        petition = self._accept_and_route(self.p_medical)
        petition.with_user(self.handler).write(
            {"reply_facts": "事实", "reply_basis": "依据", "reply_conclusion": "结论"}
        )
        petition.with_user(self.handler).action_submit_reply()
        self.assertRefused(self.handler, petition, {"reply_facts": "改写"})
        self.assertRefused(self.officer, petition, {"reply_facts": "改写"})

    def test_the_form_shows_what_each_role_may_change(self):
        petition = self._accept_and_route(self.p_medical)
        with Form(petition.with_user(self.handler)) as form:
            with self.assertRaises(AssertionError):
                form.subject = "改写"
            with self.assertRaises(AssertionError):
                form.priority = "1"
            form.reply_facts = "经查属实"
        self.assertEqual(petition.reply_facts, "经查属实")
        with Form(petition.with_user(self.officer)) as form:
            with self.assertRaises(AssertionError):
                form.content = "改写"
            form.priority = "1"
        self.assertEqual(
            (petition.priority, petition.subject), ("1", "门诊候诊时间过长")
        )

    def test_office_changes_its_fields_after_registration(self):
        petition = self.p_medical
        petition.with_user(self.officer).write(
            {"priority": "1", "place": "门诊楼", "conceal_identity": True}
        )
        self.assertTrue(petition.conceal_identity)
        # Lifting it again is the office manager's step, not a write.
        self.assertRefused(self.officer, petition, {"conceal_identity": False})
        self.assertRefused(self.manager, petition, {"conceal_identity": False})

    def test_manager_imports_historical_items(self):
        """The one door for paper records: Odoo's import, as office manager."""
        Petition = self.env["xinfang.petition"].with_context(import_file=True)
        fields_ = ["channel", "subject", "content", "state", "close_date"]
        rows = [["letter", "2019年来信", "内容", "closed", "2019-05-06"]]
        result = Petition.with_user(self.manager).load(fields_, rows)
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["xinfang.petition"].browse(result["ids"])
        self.assertEqual(
            (imported.state, str(imported.close_date)), ("closed", "2019-05-06")
        )
        result = Petition.with_user(self.officer).load(fields_, rows)
        self.assertFalse(result["ids"])
        self.assertIn("step", result["messages"][0]["message"])


@tagged("post_install", "-at_install", "xinfang_security")
class TestCorrectionAndProtection(GuardCase):
    def _correct(self, user, petition, reason="来信误读", **vals):
        wizard = (
            petition.env["xinfang.petition.correction"]
            .with_user(user)
            .with_context(default_petition_id=petition.id)
            .create({"reason": reason, **vals})
        )
        result = wizard.action_confirm()
        self.env.cr.precommit.run()  # the tracking values are written here
        return result

    def test_office_corrects_the_letter_with_a_reason(self):
        petition = self.p_medical
        self._correct(
            self.officer, petition, subject="门诊候诊时间太长", people_count=2
        )
        self.assertEqual(
            (petition.subject, petition.people_count), ("门诊候诊时间太长", 2)
        )
        log = petition.message_ids[0]
        self.assertIn("来信误读", log.body)
        self.assertIn("Subject", log.body)

    def test_correction_tracks_old_and_new_values(self):
        # Tracking on, as in the web client (the fixtures' context disables
        # it), on an item whose creation is behind us (Odoo does not track
        # the fields of a record created in the same transaction).
        self.env.cr.precommit.run()
        petition = self.p_medical.with_env(self.env(context={}))
        self._correct(self.officer, petition, content="更正后的内容")
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", petition.id),
                ("mail_message_id.model", "=", "xinfang.petition"),
                ("field_id.name", "=", "content"),
            ]
        )
        self.assertEqual(
            (tracking.old_value_text, tracking.new_value_text), ("内容", "更正后的内容")
        )

    def test_correction_needs_the_office_and_a_change(self):
        with self.assertRaises(AccessError):
            self._correct(self.handler, self.p_medical, subject="x")
        with self.assertRaisesRegex(UserError, "Nothing was changed"):
            self._correct(self.officer, self.p_medical)

    def test_correction_cannot_name_an_unreadable_person(self):
        # The whistle-blower of a confidential item is not the officer's to name.
        wang = self.p_confidential.petitioner_id
        self.p_nursing.sudo().petitioner_id = self.li  # keep wang on one item
        self.p_draft_other.sudo().petitioner_id = self.li
        self.assertFalse(wang.with_user(self.officer).has_access("read"))
        wizard = (
            self.env["xinfang.petition.correction"]
            .with_user(self.officer)
            .create(
                {
                    "petition_id": self.p_medical.id,
                    "reason": "x",
                    "channel": "letter",
                    "registration_date": self.p_medical.registration_date,
                    "subject": self.p_medical.subject,
                    "petition_type": "initial",
                    "petitioner_id": wang.id,
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.p_medical.petitioner_id, self.zhang)

    def _lift(self, user, petition, lift, reason="经查不属检举"):
        return (
            self.env["xinfang.petition.protection"]
            .with_user(user)
            .create({"petition_id": petition.id, "lift": lift, "reason": reason})
            .action_confirm()
        )

    def test_manager_lifts_concealment_with_a_reason(self):
        petition = self.p_concealed
        self.assertFalse(self.li.with_user(self.handler).has_access("read"))
        with self.assertRaises(AccessError):
            self._lift(self.officer, petition, "conceal_identity")
        self._lift(self.manager, petition, "conceal_identity")
        self.assertFalse(petition.conceal_identity)
        # Access follows at once, and the log names nobody.
        self.assertTrue(self.li.with_user(self.handler).has_access("read"))
        log = petition.message_ids[0]
        self.assertIn("经查不属检举", log.body)
        self.assertNotIn("李秀英", log.body)

    def test_lifting_confidentiality_of_a_confidential_category_is_refused(self):
        with self.assertRaisesRegex(UserError, "reclassify"):
            self._lift(self.manager, self.p_confidential, "confidential")


@tagged("post_install", "-at_install", "xinfang_security")
class TestRelationsAndDefaults(GuardCase):
    def test_confidential_category_enforced_at_registration(self):
        petition = (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create(
                {
                    "channel": "letter",
                    "subject": "举报",
                    "category_id": self.cat_accusation.id,
                    "confidential": False,
                    "conceal_identity": False,
                }
            )
        )
        self.assertTrue(petition.sudo().confidential)
        self.assertTrue(petition.sudo().conceal_identity)

    def test_registrar_cannot_name_a_whistleblower(self):
        wang = self.wang
        self.p_nursing.sudo().petitioner_id = self.li
        self.p_draft_other.sudo().petitioner_id = self.li
        self.assertFalse(wang.with_user(self.registrar).has_access("read"))
        Petition = self.env["xinfang.petition"].with_user(self.registrar)
        with self.assertRaises(UserError):
            Petition.create(
                {"channel": "letter", "subject": "x", "petitioner_id": wang.id}
            )
        draft = Petition.create({"channel": "letter", "subject": "x"})
        self.assertRefused(self.registrar, draft, {"petitioner_id": wang.id})
        with self.assertRaises(UserError):
            self.env["xinfang.visit"].with_user(self.registrar).create(
                {"subject": "来访", "petitioner_ids": [Command.set(wang.ids)]}
            )

    def test_handler_cannot_join_another_department(self):
        department = self.dept_nursing
        for vals in (
            {"xinfang_user_ids": [Command.link(self.handler.id)]},
            {"manager_id": self.handler.employee_ids[:1].id},
        ):
            with self.assertRaises(AccessError):
                department.with_user(self.handler).write(vals)
        self.assertNotIn(
            self.p_nursing,
            self.env["xinfang.petition"].with_user(self.handler).search([]),
        )

    def test_department_stays_on_a_category_change(self):
        petition = self._accept_and_route(self.p_medical)
        petition.with_user(self.officer).category_id = self.cat_nursing
        self.assertEqual(petition.department_id, self.dept_medical)


@tagged("post_install", "-at_install", "xinfang_security")
class TestOtherRecords(GuardCase):
    def test_assignment_forgery_refused(self):
        petition = self._accept_and_route(self.p_medical)
        assignment = petition.assignment_ids
        for vals in (
            {"state": "done"},
            {"petition_id": self.p_nursing.id},
            {"department_id": self.dept_nursing.id},
            {"deadline": "2030-01-01"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(self.handler, assignment, vals)
                self.assertRefused(self.officer, assignment, vals)
        with self.assertRaises(UserError):
            self.env["xinfang.assignment"].with_user(self.officer).create(
                {
                    "petition_id": self.p_nursing.id,
                    "department_id": self.dept_medical.id,
                }
            )
        assignment.with_user(self.handler).write({"reply": "科室意见"})

    def test_assignment_never_to_the_accused(self):
        accused = self.handler.employee_ids[:1]
        self.p_medical.sudo().accused_employee_id = accused
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        with self.assertRaises(UserError):
            petition._do_assign(self.dept_medical, handler=accused)

    def test_extension_forgery_refused(self):
        petition = self._accept_and_route(self.p_medical)
        with self.assertRaises(UserError):
            self.env["xinfang.extension"].with_user(self.handler).create(
                {
                    "petition_id": petition.id,
                    "days": 30,
                    "reason": "x",
                    "state": "approved",
                }
            )
        extension = petition.with_user(self.handler)._do_request_extension(10, "调查")
        self.assertRefused(self.manager, extension, {"state": "approved"})
        self.assertRefused(self.manager, extension, {"days": 60})
        extension.with_user(self.manager).action_approve()
        self.assertEqual(petition.extension_days, 10)

    def test_supervision_answers_are_dated_by_the_step(self):
        petition = self._accept_and_route(self.p_medical)
        notice = (
            self.env["xinfang.supervision"]
            .sudo()
            .create(
                {
                    "petition_id": petition.id,
                    "department_id": self.dept_medical.id,
                    "kind": "notice",
                    "deadline": "2026-01-01",
                }
            )
        )
        self.assertRefused(
            self.handler, notice, {"state": "answered", "response_date": "2025-01-01"}
        )
        notice.with_user(self.officer).action_cancel()
        self.assertRefused(self.handler, notice, {"response": "已办理"})
        self.assertRefused(self.officer, notice, {"state": "answered"})

    def test_escalation_cannot_be_erased(self):
        petition = self._accept_and_route(self.p_medical)
        petition._escalate("测试")
        self.assertRefused(self.officer, petition, {"criticism_suggestion": False})
        self.assertRefused(self.manager, petition, {"escalated": False})

    def test_callback_forgery_refused(self):
        petition = self.p_medical.sudo()
        petition.write({"state": "closed", "close_date": "2026-01-05"})
        Callback = self.env["xinfang.callback"]
        with self.assertRaises(UserError):
            Callback.with_user(self.officer).create(
                {"petition_id": petition.id, "selection_rule": "sampled"}
            )
        callback = Callback.with_user(self.officer).create({"petition_id": petition.id})
        self.assertRefused(self.officer, callback, {"state": "done"})
        self.assertRefused(self.officer, callback, {"selection_key": "0000"})
        callback.with_user(self.officer).write(
            {"rating": "satisfied", "q_solved": "yes"}
        )
        callback.with_user(self.officer).action_done()
        self.assertRefused(self.manager, callback, {"rating": "dissatisfied"})
        sampled = Callback.sudo().create(
            {"petition_id": self.p_nursing.id, "selection_rule": "sampled"}
        )
        sampled.officer_ids = self.officer
        with self.assertRaises(AccessError):
            sampled.with_user(self.officer).action_cancel()
        self.assertEqual(sampled.state, "planned")
        # A department head named on a callback of the office's does not
        # cancel it (insider review).
        manual = Callback.with_user(self.officer).create(
            {
                "petition_id": self.p_medical.id,
                "officer_ids": [(6, 0, self.handler.ids)],
            }
        )
        with self.assertRaises(AccessError):
            manual.with_user(self.handler).action_cancel()
        self.assertEqual(manual.state, "planned")
        manual.with_user(self.officer).action_cancel()
        self.assertEqual(manual.state, "cancelled")


@tagged("post_install", "-at_install", "xinfang_security")
class TestMoreForgeries(GuardCase):
    def test_a_leader_does_not_take_over_another_leaders_case(self):
        other = self.env["res.users"].create(
            {
                "name": "另一位领导",
                "login": "xf_t_leader2",
                "groups_id": [
                    Command.set(self.env.ref("xinfang_module.group_xinfang_leader").ids)
                ],
            }
        )
        self.p_medical.with_user(self.leader).action_own_case()
        with self.assertRaisesRegex(UserError, "already owned"):
            self.p_medical.with_user(other).action_own_case()
        self.assertEqual(self.p_medical.owner_leader_id, self.leader)

    def test_who_ticked_a_contingency_step_is_recorded_not_written(self):
        visit = self.env["xinfang.visit"].create(
            {"subject": "集体访", "people_count": 8, "said": "x"}
        )
        line = visit.checklist_ids[:1]
        self.assertTrue(line, "an alarming visit gets the contingency checklist")
        line.with_user(self.officer).write({"done": True, "done_by_id": self.leader.id})
        self.assertEqual(line.done_by_id, self.officer)
        line.with_user(self.officer).write({"done_by_id": self.leader.id})
        self.assertEqual(line.done_by_id, self.officer)

    def test_sorting_by_petitioner_reveals_no_name_order(self):
        # Petitioners sort by id, not by name: a handler sorting his items by
        # petitioner learns nothing of a concealed name's place.
        Petition = self.env["xinfang.petition"].with_user(self.officer)
        items = Petition.search(
            [("id", "in", (self.p_medical | self.p_concealed).ids)],
            order="petitioner_id, id",
        )
        self.assertEqual(
            items.mapped("petitioner_id").ids,
            sorted((self.p_medical | self.p_concealed).petitioner_id.ids),
        )

    def test_the_accused_in_the_department_does_not_read_the_complaint(self):
        accused = self.handler.employee_ids[:1]
        self.p_medical.sudo().accused_employee_id = accused
        self.assertFalse(self.p_medical.with_user(self.handler).has_access("read"))
        self.assertNotIn(
            self.p_medical,
            self.env["xinfang.petition"].with_user(self.handler).search([]),
        )
        self._accept_and_route(self.p_medical)
        self.assertFalse(
            self.env["xinfang.assignment"]
            .with_user(self.handler)
            .search([("petition_id", "=", self.p_medical.id)])
        )
        # His department still handles it, through its other members.
        self.assertTrue(self.p_medical.with_user(self.officer).has_access("read"))


@tagged("post_install", "-at_install", "xinfang_security")
class TestInsiderDoors(GuardCase):
    """The doors a review as an insider found open, each closed."""

    def test_derived_copies_of_the_flags_are_not_written(self):
        petition = self.p_concealed.sudo()
        petition.write({"state": "closed", "close_date": "2026-01-05"})
        callback = (
            self.env["xinfang.callback"]
            .with_user(self.officer)
            .create({"petition_id": petition.id})
        )
        self.assertTrue(callback.conceal_identity)
        self.assertRefused(self.officer, callback, {"conceal_identity": False})
        self.assertRefused(self.officer, callback, {"department_id": False})
        created = (
            self.env["xinfang.callback"]
            .with_user(self.officer)
            .create({"petition_id": petition.id, "conceal_identity": False})
        )
        self.assertTrue(created.conceal_identity)

    def test_context_defaults_are_no_door(self):
        Petition = self.env["xinfang.petition"].with_user(self.registrar)
        with self.assertRaises(UserError):
            Petition.with_context(default_state="closed").create(
                {"channel": "letter", "subject": "x"}
            )
        with self.assertRaises(UserError):
            self.env["xinfang.petition.decision"].with_user(self.handler).with_context(
                default_petition_id=self.p_confidential.id
            ).create({"decision": "accept"})

    def test_dialogs_name_only_readable_items(self):
        for model, vals in (
            ("xinfang.petition.decision", {"decision": "accept"}),
            ("xinfang.petition.assign", {}),
            ("xinfang.petition.send.back", {"reason": "r"}),
            ("xinfang.petition.close", {"completion_report": "r"}),
            ("xinfang.repeat.wizard", {}),
        ):
            with self.assertRaises(UserError, msg=model):
                self.env[model].with_user(self.handler).create(
                    {"petition_id": self.p_confidential.id, **vals}
                )
        draft = (
            self.env["xinfang.petition"]
            .with_user(self.registrar)
            .create(
                {"channel": "letter", "subject": "x", "petitioner_id": self.zhang.id}
            )
        )
        wizard = (
            self.env["xinfang.repeat.wizard"]
            .with_user(self.registrar)
            .create({"petition_id": draft.id})
        )
        with self.assertRaises(AccessError):
            self.env["xinfang.repeat.wizard.line"].with_user(self.registrar).create(
                {"wizard_id": wizard.id, "candidate_id": self.p_confidential.id}
            )

    def test_instruction_only_from_the_leader_asked_on_an_open_item(self):
        other = self.env["res.users"].create(
            {
                "name": "另一位领导",
                "login": "xf_t_leader3",
                "groups_id": [
                    Command.set(self.env.ref("xinfang_module.group_xinfang_leader").ids)
                ],
            }
        )
        petition = self.p_medical
        petition.with_user(self.officer)._do_request_instruction(self.leader)
        with self.assertRaisesRegex(UserError, "only they record"):
            petition.with_user(other)._do_record_instruction("同意")
        self.p_nursing.sudo().write({"state": "closed"})
        with self.assertRaises(UserError):
            self.p_nursing.with_user(self.leader)._do_record_instruction("同意")
        self.assertFalse(self.p_nursing.leader_instruction)

    def test_co_handler_does_not_submit_the_main_reply(self):
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical, self.dept_nursing)
        petition.with_user(self.handler).write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        with self.assertRaisesRegex(UserError, "main department"):
            petition.with_user(self.handler_nursing).action_submit_reply()
        petition.with_user(self.handler).action_submit_reply()
        self.assertEqual(petition.state, "review")

    def test_co_department_writes_its_part_while_assigned(self):
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical, self.dept_nursing)
        co = petition.assignment_ids.filtered(lambda a: a.role != "main")
        action = co.with_user(self.handler_nursing).action_open_reply()
        with Form(
            co.with_user(self.handler_nursing), view=action["views"][0][0]
        ) as form:
            form.reply = "护理部核实：夜班巡视记录齐全"
        self.assertEqual(co.reply, "护理部核实：夜班巡视记录齐全")
        # Another department does not write it; once done, nobody does.
        with self.assertRaises(AccessError):
            co.with_user(self.handler_nursing).browse(
                petition.assignment_ids.filtered(lambda a: a.role == "main").id
            ).write({"reply": "x"})
        co._xinfang_steps().write({"state": "done"})
        self.assertRefused(self.handler_nursing, co, {"reply": "改"})

    def test_the_person_behind_a_registered_letter(self):
        with self.assertRaises(UserError):
            self.zhang.with_user(self.registrar).write({"id_number": False})
        self.zhang.with_user(self.officer).write({"phone": "13900009999"})
        self.assertEqual(self.zhang.phone, "13900009999")

    def test_visits_registered_as_petitions_are_evidence(self):
        visit = (
            self.env["xinfang.visit"]
            .with_user(self.officer)
            .create({"subject": "来访", "said": "反映候诊时间长"})
        )
        self.assertRefused(self.officer, visit, {"state": "cancelled"})
        self.assertRefused(self.officer, visit, {"registrar_id": self.registrar.id})
        self.assertRefused(self.officer, visit, {"confidential": True})
        visit.with_user(self.officer).action_create_petition()
        self.assertRefused(self.officer, visit, {"said": "改写"})
        self.assertRefused(self.leader, visit, {"said": "改写"}, AccessError)

    def test_checklist_steps_stay_on_their_visit(self):
        visit = self.env["xinfang.visit"].create(
            {"subject": "集体访", "people_count": 8, "said": "x"}
        )
        other = self.env["xinfang.visit"].create({"subject": "另一来访", "said": "y"})
        line = visit.checklist_ids[:1]
        for vals in ({"visit_id": other.id}, {"name": "改名"}):
            with self.assertRaises(UserError):
                line.with_user(self.officer).write(vals)

    def test_nobody_adds_readers_by_hand(self):
        petition = self._accept_and_route(self.p_medical)
        assignment = petition.assignment_ids.with_user(self.handler)
        assignment.message_subscribe(partner_ids=self.handler_nursing.partner_id.ids)
        self.assertNotIn(
            self.handler_nursing.partner_id, assignment.sudo().message_partner_ids
        )
        message = petition.with_user(self.handler).message_post(body="内部备注")
        with self.assertRaises(UserError):
            self.env["mail.notification"].with_user(self.handler).create(
                {
                    "mail_message_id": message.id,
                    "res_partner_id": self.handler_nursing.partner_id.id,
                }
            )
        with self.assertRaises(UserError):
            message.with_user(self.handler).write(
                {
                    "notification_ids": [
                        Command.create(
                            {"res_partner_id": self.handler_nursing.partner_id.id}
                        )
                    ]
                }
            )


@tagged("post_install", "-at_install", "xinfang_security")
class TestInsiderDoorsSecondRound(GuardCase):
    def test_messages_are_not_edited_through_odoo_superuser_path(self):
        petition = self.p_medical
        message = petition.with_user(self.handler).message_post(
            body="原话", message_type="comment"
        )
        # As /mail/message/update_content does: the thread as superuser.
        with self.assertRaises(UserError):
            petition.with_user(self.handler).sudo()._message_update_content(
                message, "改写", attachment_ids=[]
            )
        self.assertIn("原话", message.body)

    def test_a_message_is_its_authors_and_names_only_readers(self):
        petition = self.p_medical.with_user(self.handler)
        with self.assertRaises(UserError):
            petition.message_post(body="主任批示", author_id=self.manager.partner_id.id)
        hidden = self.env["ir.attachment"].create(
            {
                "name": "人事档案.pdf",
                "raw": b"x",
                "res_model": "res.partner",
                "res_id": 0,
            }
        )
        with self.assertRaises(UserError):
            petition.message_post(body="附件", attachment_ids=hidden.ids)
        message = petition.message_post(
            body="请护理部看看",
            partner_ids=self.handler_nursing.partner_id.ids,
            message_type="comment",
        )
        self.assertNotIn(self.handler_nursing.partner_id, message.sudo().partner_ids)

    def test_a_form_does_not_preview_an_unreadable_item(self):
        with self.assertRaises(AccessError):
            self.env["xinfang.callback"].with_user(self.handler_nursing).onchange(
                {"petition_id": self.p_concealed.id},
                ["petition_id"],
                {"subject": {}, "petitioner_id": {"fields": {"display_name": {}}}},
            )

    def test_a_dialog_is_not_turned_to_an_unreadable_item(self):
        step = (
            self.env["xinfang.petition.extension.request"]
            .with_user(self.handler)
            .create({"petition_id": self.p_medical.id, "days": 5, "reason": "r"})
        )
        with self.assertRaises(UserError):
            step.write({"petition_id": self.p_confidential.id})

    def test_a_visit_frozen_by_a_petition_its_writer_cannot_read(self):
        visit = (
            self.env["xinfang.visit"]
            .with_user(self.registrar)
            .create({"subject": "来访", "said": "反映候诊时间长"})
        )
        action = visit.with_user(self.officer).action_create_petition()
        petition = self.env["xinfang.petition"].browse(action["res_id"])
        petition.sudo().write({"state": "pending", "registrar_id": self.officer.id})
        self.assertFalse(petition.with_user(self.registrar).has_access("read"))
        self.assertRefused(self.registrar, visit, {"said": "篡改"})

    def test_visit_steps_are_not_forged_at_creation(self):
        Visit = self.env["xinfang.visit"].with_user(self.registrar)
        with self.assertRaises(UserError):
            Visit.with_context(default_state="cancelled").create({"subject": "s"})
        visit = Visit.with_context(default_alert_sent=True).create(
            {"subject": "集体访", "people_count": 9, "name": "LF-FAKE", "said": "x"}
        )
        self.assertTrue(visit.alert_sent)  # sent by the server, not skipped
        self.assertTrue(visit.checklist_ids)
        self.assertNotEqual(visit.name, "LF-FAKE")
        line = (
            self.env["xinfang.visit.checklist"]
            .with_user(self.registrar)
            .create(
                {
                    "visit_id": visit.id,
                    "name": "自加步骤",
                    "done": True,
                    "done_by_id": self.leader.id,
                    "done_time": "2020-01-01 00:00:00",
                }
            )
        )
        self.assertEqual(line.done_by_id, self.registrar)
        self.assertNotEqual(str(line.done_time)[:4], "2020")

    def test_only_the_office_says_a_file_names_nobody(self):
        petition = self._accept_and_route(self.p_concealed)
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.handler)
            .create(
                {
                    "name": "科室材料.pdf",
                    "raw": b"x",
                    "res_model": "xinfang.petition",
                    "res_id": petition.id,
                    "xinfang_working_copy": True,
                }
            )
        )
        self.assertFalse(attachment.sudo().xinfang_working_copy)
        with self.assertRaises(UserError):
            attachment.sudo().with_user(self.registrar).write(
                {"xinfang_working_copy": True}
            )


@tagged("post_install", "-at_install", "xinfang_security")
class TestInsiderDoorsThirdRound(GuardCase):
    def test_a_first_onchange_on_an_open_record_is_checked_too(self):
        petition = self._accept_and_route(self.p_medical)
        assignment = petition.assignment_ids.with_user(self.handler)
        with self.assertRaises(AccessError):
            assignment.onchange(
                {"petition_id": self.p_confidential.id},
                [],
                {"petition_id": {"fields": {"display_name": {}}}},
            )

    def test_activities_reach_readers_and_stay_their_owners(self):
        petition = self._accept_and_route(self.p_medical)
        Activity = self.env["mail.activity"]
        vals = {
            "res_model_id": self.env["ir.model"]._get_id("xinfang.petition"),
            "res_id": petition.id,
            "summary": "机密摘要",
        }
        with self.assertRaises(UserError):
            Activity.with_user(self.handler).create(
                {**vals, "user_id": self.handler_nursing.id}
            )
        office_todo = Activity.with_user(self.officer).create(
            {**vals, "user_id": self.officer.id}
        )
        for call in (
            lambda a: a.write({"user_id": self.handler.id}),
            lambda a: a.unlink(),
            lambda a: a.action_feedback(feedback="x"),
        ):
            with self.assertRaises(UserError):
                call(office_todo.with_user(self.handler))
        self.assertTrue(office_todo.exists())
        own = Activity.with_user(self.handler).create(
            {**vals, "user_id": self.handler.id}
        )
        hidden = self.env["ir.attachment"].create(
            {"name": "身份证.jpg", "raw": b"x", "res_model": "res.partner", "res_id": 0}
        )
        with self.assertRaises(UserError):
            own.with_user(self.handler).action_feedback(
                feedback="x", attachment_ids=hidden.ids
            )

    def test_named_partners_are_readers_even_through_superuser_posts(self):
        petition = self.p_medical
        # As /mail/message/post does: the thread as superuser.
        message = (
            petition.with_user(self.handler)
            .sudo()
            .message_post(
                body="请护理部看看",
                partner_ids=self.handler_nursing.partner_id.ids,
                message_type="comment",
            )
        )
        self.assertFalse(message.partner_ids & self.handler_nursing.partner_id)
        with self.assertRaises(UserError):
            petition.with_user(self.handler).message_notify(
                body="领导意见",
                author_id=self.leader.partner_id.id,
                partner_ids=self.handler.partner_id.ids,
            )

    def test_one_stops_following_oneself_only(self):
        petition = self.p_medical
        petition.message_subscribe(
            partner_ids=(self.officer | self.handler).partner_id.ids
        )
        with self.assertRaises(UserError):
            petition.with_user(self.handler).message_unsubscribe(
                partner_ids=self.officer.partner_id.ids
            )
        petition.with_user(self.handler).message_unsubscribe(
            partner_ids=self.handler.partner_id.ids
        )
        self.assertIn(self.officer.partner_id, petition.message_partner_ids)
        self.assertNotIn(self.handler.partner_id, petition.message_partner_ids)


@tagged("post_install", "-at_install", "xinfang_security")
class TestOfficeConfiguration(GuardCase):
    """The office manager keeps the petition settings and the departments
    without being a system administrator, and reaches nothing else."""

    SETTINGS_VIEW = "xinfang_module.res_config_settings_view_form_xinfang"

    def test_manager_saves_the_petition_settings_on_their_form(self):
        Settings = self.env["res.config.settings"].with_user(self.manager)
        with Form(Settings, view=self.SETTINGS_VIEW) as form:
            self.assertTrue(form.xinfang_settings_limited)
            form.xinfang_acceptance_days = 10
            form.xinfang_callback_rate = 40
            # The working calendar is the company's, HR's to choose.
            with self.assertRaises(AssertionError):
                form.xinfang_resource_calendar_id = self.env["resource.calendar"]
        action = form.record.execute()
        self.assertEqual(action["tag"], "reload")
        self.assertEqual(self.company.xinfang_acceptance_days, 10)
        self.assertEqual(self.company.xinfang_callback_rate, 40)
        # The one button of the page works for them too.
        form.record.action_xinfang_load_prc_holidays()
        self.assertTrue(self.company.resource_calendar_id.global_leave_ids)

    def test_manager_reads_and_sets_no_other_setting(self):
        self.env["ir.config_parameter"].set_param(
            "mail.twilio_account_token", "twilio-secret"
        )
        Settings = self.env["res.config.settings"].with_user(self.manager)
        self.assertEqual(
            Settings.default_get(["company_id"])["company_id"], self.company.id
        )
        self.assertNotIn(
            "twilio_account_token", Settings.default_get(["twilio_account_token"])
        )
        # An administrator's saved settings keep the secret in their record:
        # the office manager reads their own records only.
        admin = self.env.ref("base.user_admin")
        admin_settings = (
            self.env["res.config.settings"]
            .with_user(admin)
            .create({"twilio_account_token": "twilio-secret"})
        )
        self.assertNotIn(admin_settings, Settings.search([]))
        with self.assertRaises(AccessError):
            admin_settings.with_user(self.manager).read(["twilio_account_token"])
        # Odoo's default_get reads parameters as superuser for anyone who
        # calls it: nobody but an administrator gets another app's secret.
        for user in (self.handler, self.registrar, self.leader):
            self.assertNotIn(
                "twilio_account_token",
                self.env["res.config.settings"]
                .with_user(user)
                .default_get(["twilio_account_token"]),
            )
        settings = Settings.create({})
        # The general settings page asks for other settings: refused, saying
        # where the petition settings are.
        with self.assertRaisesRegex(AccessError, "Configuration > Settings"):
            Settings.onchange({}, [], {"twilio_account_token": {}})
        for seen in (
            settings.read(),
            Settings.search_read([], ["twilio_account_token"]),
        ):
            self.assertNotIn("twilio-secret", str(seen))
        for door in (
            lambda: Settings.create({"twilio_account_token": "forged"}),
            lambda: settings.write({"twilio_account_token": "forged"}),
            lambda: Settings.create({"group_multi_currency": True}),
        ):
            with self.assertRaises(AccessError):
                door()
        # Saving sets no parameter, group or module: only an administrator's
        # save does.
        settings.sudo().twilio_account_token = "forged"
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("mail.twilio_account_token"),
            "twilio-secret",
        )
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.env["res.config.settings"]
            .with_user(admin)
            .default_get(["twilio_account_token"])["twilio_account_token"],
            "twilio-secret",
        )

    def test_manager_writes_only_the_petition_fields_of_their_company(self):
        company = self.company.with_user(self.manager)
        company.write({"xinfang_handling_days": 45})
        self.assertEqual(self.company.xinfang_handling_days, 45)
        for vals in (
            {"name": "Renamed"},
            {"xinfang_handling_days": 50, "name": "Renamed"},
            {"resource_calendar_id": False},
        ):
            with self.assertRaises(AccessError):
                company.write(vals)
        other = self.env["res.company"].create({"name": "Other hospital (test)"})
        for door in (
            lambda: other.with_user(self.manager).write({"xinfang_handling_days": 1}),
            lambda: other.with_user(self.manager).action_xinfang_load_prc_holidays(),
        ):
            with self.assertRaises(AccessError):
                door()
        self.assertEqual(other.xinfang_handling_days, 60)
        self.assertEqual(self.company.name, self.env.company.name)

    def test_routing_departments_are_the_companys_own(self):
        other = self.env["res.company"].create({"name": "Other hospital (test)"})
        theirs = self.env["hr.department"].create(
            {"name": "纪检 (other)", "company_id": other.id}
        )
        with self.assertRaises(ValidationError):
            self.company.with_user(self.manager).write(
                {"xinfang_discipline_department_id": theirs.id}
            )
        self.assertEqual(
            self.company.xinfang_discipline_department_id, self.dept_discipline
        )

    def test_an_employee_does_not_move_themselves_to_another_department(self):
        # Odoo's "employees edit their own data" (HR settings) is on.
        self.env["ir.config_parameter"].set_param("hr.hr_employee_self_edit", True)
        with self.assertRaises(AccessError):
            self.handler.with_user(self.handler).write(
                {"department_id": self.dept_nursing.id}
            )
        self.assertEqual(self.handler.employee_ids.department_id, self.dept_medical)
        self.assertNotIn(
            self.p_nursing,
            self.env["xinfang.petition"].with_user(self.handler).search([]),
        )

    def test_other_roles_reach_no_settings(self):
        for user in (self.registrar, self.handler, self.officer, self.leader):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create({})
                with self.assertRaises(AccessError):
                    self.company.with_user(user).write({"xinfang_handling_days": 1})
        self.assertEqual(self.company.xinfang_handling_days, 60)

    def test_manager_configures_the_departments(self):
        Department = self.env["hr.department"].with_user(self.manager)
        action = self.env.ref("xinfang_module.hr_department_action_xinfang_config")
        domain = action.domain or []
        self.assertIn(self.dept_medical, Department.search(domain))
        with Form(
            Department,
            view="xinfang_module.hr_department_view_form_xinfang_config",
        ) as form:
            form.name = "检验科 (test)"
            form.xinfang_user_ids.add(self.handler)
        department = form.record
        self.assertEqual(department.xinfang_user_ids, self.handler)
        self.assertIn(self.handler, department._xinfang_contacts())
        with self.assertRaises(AccessError):
            department.with_user(self.manager).unlink()


@tagged("post_install", "-at_install", "xinfang_security")
class TestInsiderDoorsFourthRound(GuardCase):
    def test_a_dialog_is_its_users_own(self):
        # A reason written in a dialog about an item others may not read.
        self._accept_and_route(self.p_medical)
        dialog = (
            self.env["xinfang.petition.send.back"]
            .with_user(self.officer)
            .create({"petition_id": self.p_medical.id, "reason": "依据不充分"})
        )
        Dialog = self.env["xinfang.petition.send.back"]
        for user in (self.handler_nursing, self.leader, self.handler):
            with self.subTest(user=user.login):
                self.assertFalse(Dialog.with_user(user).search_read([], ["reason"]))
                with self.assertRaises(AccessError):
                    dialog.with_user(user).write({"reason": "改"})
        self.assertEqual(dialog.reason, "依据不充分")

    def test_an_archived_item_stays_its_departments(self):
        petition = self._accept_and_route(self.p_medical)
        petition._xinfang_steps().write({"active": False})
        archived = petition.with_user(self.handler).with_context(active_test=True)
        self.assertTrue(archived.xinfang_handled)
        archived.message_post(body="已核实", subtype_xmlid="mail.mt_note")

    def test_the_main_department_saves_its_reply_from_the_form(self):
        # Routed with a co-department the handler may not read: saving the
        # form reads the item back, lines included, as the web client does.
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical, self.dept_nursing)
        spec = {
            "state": {},
            "assignment_ids": {
                "fields": {"department_id": {"fields": {"display_name": {}}}}
                | {"role": {}, "state": {}, "reply": {}}
            },
            "extension_ids": {"fields": {"days": {}}},
            "supervision_ids": {"fields": {"name": {}}},
        }
        saved = self.p_medical.with_user(self.handler).web_save(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}, spec
        )
        departments = [
            line["department_id"]["id"] for line in saved[0]["assignment_ids"]
        ]
        self.assertEqual(departments, self.dept_medical.ids)

    def test_an_item_is_reviewed_once(self):
        petition = self._accept_and_route(self.p_medical)
        petition._xinfang_steps().write({"state": "replied"})
        petition.with_user(self.officer)._do_request_review()
        with self.assertRaisesRegex(UserError, "already reviewed"):
            petition.with_user(self.officer)._do_request_review()


@tagged("post_install", "-at_install", "xinfang_security")
class TestWhoIsTold(GuardCase):
    def test_complaint_routed_without_handler_never_tells_the_accused(self):
        # A member of the medical department is accused; the department's
        # petition contact is told, not every member.
        accused_user = self.env["res.users"].create(
            {
                "name": "被举报医生",
                "login": "xf_t_accused",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("xinfang_module.group_xinfang_handler").id,
                        ]
                    )
                ],
            }
        )
        accused = self.env["hr.employee"].create(
            {
                "name": "被举报医生",
                "user_id": accused_user.id,
                "department_id": self.dept_medical.id,
            }
        )
        petition = self.p_medical.sudo()
        petition.accused_employee_id = accused
        petition = petition.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical)
        activities = petition.sudo().activity_ids
        self.assertIn(self.handler, activities.user_id)
        self.assertNotIn(accused_user, activities.user_id)
        self.assertNotIn(accused_user.partner_id, petition.sudo().message_partner_ids)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", accused_user.partner_id.ids)])
        )
        self.assertFalse(mails)
        # The activity names the number only.
        self.assertNotIn(petition.subject, " ".join(activities.mapped("summary")))

    def test_department_without_contact_tells_the_office(self):
        lonely = self.env["hr.department"].create(
            {"name": "无联络员科室", "xinfang_handles": True}
        )
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(lonely)
        users = petition.sudo().activity_ids.user_id
        self.assertIn(self.officer, users)
        self.assertIn(self.manager, users)
        self.assertNotIn(self.handler, users)

    def test_acceptance_reminders_go_to_the_office(self):
        Supervision = self.env["xinfang.supervision"]
        rows = [
            (
                self.p_medical.id,
                None,
                self.dept_medical.id,
                self.p_medical.acceptance_deadline,
            )
        ]
        ((users, state),) = Supervision._recipients(self.company, rows)
        self.assertEqual(state, "sent")
        self.assertIn(self.officer, users)
        self.assertNotIn(self.handler, users)

    def test_no_recipient_is_said(self):
        lonely = self.env["hr.department"].create(
            {"name": "无联络员科室", "xinfang_handles": True}
        )
        petition = self._accept_and_route(self.p_medical, lonely)
        rows = [(petition.id, None, lonely.id, petition.handling_deadline)]
        ((users, state),) = self.env["xinfang.supervision"]._recipients(
            self.company, rows
        )
        self.assertEqual(state, "no_recipient")
        self.assertIn(self.officer, users)


@tagged("post_install", "-at_install", "xinfang_security")
class TestIdentityDoors(GuardCase, MockEmail):
    """A concealed and a confidential item, through every read door, as the
    item's own handler, another department's handler, a leader, a registrar
    and an outsider: no name, ID number or phone, and no traceback for a
    legitimate reader. The items have lived: routed with tracking, a visit,
    the office's notes, activities, followers and queued e-mails."""

    SECRETS = ("李秀英", "440106198807205317", "13800002222", "王志明", "025-84560000")
    # Every document printed from a petition or its assignment.
    REPORTS = (
        "xinfang_module.xinfang_petition_report_acceptance",
        "xinfang_module.xinfang_petition_report_refusal",
        "xinfang_module.xinfang_petition_report_extension",
        "xinfang_module.xinfang_petition_report_reply",
        "xinfang_module.xinfang_petition_report_completion",
        "xinfang_module.xinfang_assignment_report_slip",
    )
    # Search paths through relations to the identity.
    PATHS = (
        ("petitioner_id.name", "=", "李秀英"),
        ("petitioner_id.id_number", "=", "440106198807205317"),
        ("petitioner_id.phone", "=", "13800002222"),
        ("petitioner_id.name", "=", "王志明"),
        ("visit_id.petitioner_ids.phone", "=", "13800002222"),
        ("visit_id.petitioner_ids.name", "ilike", "李秀"),
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 王志明 is the whistle-blower of the confidential item only.
        (cls.p_nursing | cls.p_draft_other).petitioner_id = cls.zhang
        # 李秀英 came in person: the concealed item is registered from a visit.
        cls.visit = cls.env["xinfang.visit"].create(
            {
                "subject": cls.p_concealed.subject,
                "petitioner_ids": [Command.set(cls.li.ids)],
            }
        )
        cls.p_concealed.visit_id = cls.visit
        # The items live with tracking, as in production: the office routes
        # them, notes who came, and discipline is told of the confidential one.
        tracked = (cls.p_concealed | cls.p_confidential).with_context(
            mail_notrack=False, mail_create_nolog=False
        )
        for petition in tracked:
            # Confidential items: the office manager (with discipline) only.
            office = cls.manager if petition.confidential else cls.officer
            petition.with_user(office)._do_accept()
            petition.with_user(office)._do_assign(petition.department_id)
            petition.with_user(office).message_post(
                body="材料齐全，已交办",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _doors(self, user):
        # Each door is a request of its own: nothing read before is cached.
        self.env.invalidate_all()
        Petition = self.env["xinfang.petition"].with_user(user)
        items = self.p_concealed | self.p_confidential
        ids = items.ids
        seen = []
        readable = Petition.search([("id", "in", ids)])
        seen.append(readable.read(["petitioner_id", "subject", "visit_id"]))
        seen.append(
            readable.web_read(
                {
                    "petitioner_id": {"fields": {"display_name": {}}},
                    # As the form asks: the visit's name, which the user
                    # may not read otherwise.
                    "visit_id": {"fields": {"display_name": {}}},
                }
            )
        )
        seen.append(Petition.search_read([("id", "in", ids)], ["petitioner_id"]))
        many2ones = [
            name
            for name, field in Petition._fields.items()
            if field.type == "many2one" and field.store
        ]
        for group_by in many2ones:
            seen.append(
                Petition.read_group([("id", "in", ids)], [group_by], [group_by])
            )
        identity = ["petitioner_id/name", "petitioner_id/id_number"]
        identity.append("petitioner_id/phone")
        if user.has_group("base.group_allow_export"):
            self.env.invalidate_all()
            seen.append(readable.export_data(["name", *identity]))
        else:
            with self.assertRaises(UserError):
                readable.export_data(["name", *identity])
        # Name searches, and searches through relations to the identity.
        Petitioner = self.env["xinfang.petitioner"].with_user(user)
        # (The demo shares the names: name searches are checked by record.)
        people = (self.li | self.wang).ids
        seen.extend(
            name
            for id_, name in Petitioner.name_search("李") + Petitioner.name_search("王")
            if id_ in people
        )
        for path in self.PATHS:
            if Petition.search([path]) & items:
                seen.append(path)
        # The chatter as the web client gets it: bodies, authors, tracking.
        Message = self.env["mail.message"].with_user(user)
        messages = Message.search(
            [("model", "=", "xinfang.petition"), ("res_id", "in", ids)]
        )
        store = Store()
        messages._to_store(store)
        seen.append(store.get_result())
        for model, records in (
            ("mail.activity", ("res_model", "res_id")),
            ("mail.followers", ("res_model", "res_id")),
        ):
            found = (
                self.env[model]
                .with_user(user)
                .search(
                    [(records[0], "=", "xinfang.petition"), (records[1], "in", ids)]
                )
            )
            seen.append(found.read())
        # Every printed document, as the user would print it.
        Report = self.env["ir.actions.report"].with_user(user)
        for xmlid in self.REPORTS:
            report = self.env.ref(xmlid)
            docs = (
                readable
                if report.model == "xinfang.petition"
                else (readable.assignment_ids)
            )
            if docs:
                try:
                    seen.append(Report._render_qweb_html(xmlid, docs.ids)[0])
                except (AccessError, UserError) as refusal:
                    seen.append(str(refusal))
        return str(seen)

    def test_no_identity_through_any_door(self):
        for user in (self.handler, self.handler_nursing, self.leader):
            with self.subTest(user=user.login):
                text = self._doors(user)
                for secret in self.SECRETS:
                    self.assertNotIn(secret, text)

    def test_the_intake_desk_recognises_people_not_items(self):
        # The registrar names petitioners at intake (repeats) but reads no
        # item once it left registration: no item, visit path or report.
        text = self._doors(self.registrar)
        self.assertNotIn(self.p_concealed.subject, text)
        self.assertNotIn(self.p_confidential.subject, text)
        self.assertNotIn("visit_id", text)
        self.assertNotIn("王志明", text)

    def test_the_sweep_sees_what_the_office_sees(self):
        # The same doors show the identity to whom may read it: the sweep
        # above can fail.
        text = self._doors(self.manager)
        for secret in self.SECRETS:
            self.assertIn(secret, text)

    def test_no_identity_in_the_mail_queue(self):
        # A concealed item routed now: what is queued and sent names nobody
        # to those who may not read the person, and reaches no other
        # department; the handler is told (the check sees mail).
        petition = self._petition(
            self.li,
            self.cat_quality,
            subject="反映收受红包（二）",
            state="pending",
            conceal_identity=True,
        ).with_context(mail_notrack=False, mail_create_nolog=False)
        with self.mock_mail_gateway():
            self._accept_and_route(petition)
            self.env.flush_all()
        told = self.handler | self.handler_nursing | self.leader | self.registrar
        queued = self._new_mails.filtered(
            lambda mail: mail.recipient_ids & told.partner_id
        )
        self.assertTrue(queued.recipient_ids & self.handler.partner_id)
        self.assertFalse(self._new_mails.recipient_ids.user_ids & self.handler_nursing)
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id.model", "=", "xinfang.petition"),
                ("mail_message_id.res_id", "=", petition.id),
                ("res_partner_id", "in", told.partner_id.ids),
            ]
        )
        sent = [
            mail
            for mail in self._mails
            if set(mail["email_to"]) & set(told.mapped("email_formatted"))
        ]
        text = str(
            [(mail.subject, mail.body_html) for mail in queued]
            + [(n.mail_message_id.subject, n.mail_message_id.body) for n in notified]
            + [(mail["subject"], mail["body"]) for mail in sent]
        )
        self.assertIn(petition.name, text)
        for secret in self.SECRETS:
            self.assertNotIn(secret, text)

    def test_an_export_walks_only_to_readable_items(self):
        # 张建华 of a readable item also filed a confidential report; superuser
        # code (record rules, masks) has read his items into the cache.
        report = self._petition(
            self.zhang, self.cat_accusation, subject="举报回扣（二）", state="pending"
        )
        self.zhang.sudo().petition_ids.mapped("subject")
        # A person's items are the record rules' only: not exported at all,
        # from the person or through the item.
        leader_items = self.p_medical.with_user(self.leader)
        with self.assertRaises(AccessError):
            leader_items.with_context(import_compat=False).export_data(
                ["name", "petitioner_id/petition_ids/subject"]
            )
        with self.assertRaises(AccessError):
            self.zhang.with_user(self.leader).export_data(["petition_ids/subject"])
        rows = leader_items.export_data(["name", "subject", "petitioner_id/name"])
        self.assertNotIn(report.subject, str(rows))
        self.assertIn(self.p_medical.subject, str(rows))

    def test_an_export_masks_whom_it_may_not_name(self):
        # One concealed row does not refuse the leader's whole list.
        items = self.p_concealed | self.p_medical
        self.env.invalidate_all()
        rows = items.with_user(self.leader).export_data(
            ["name", "petitioner_id/name", "petitioner_id/phone"]
        )["datas"]
        self.assertIn([self.p_concealed.name, "Identity concealed", ""], rows)
        self.assertIn([self.p_medical.name, "张建华", "13900001111"], rows)

    def test_masked_petitioner_is_no_link(self):
        self.assertFalse(self.p_concealed.with_user(self.handler).petitioner_readable)
        self.assertTrue(self.p_medical.with_user(self.handler).petitioner_readable)
        self.assertTrue(self.p_concealed.with_user(self.officer).petitioner_readable)

    def test_outsider_is_refused(self):
        with self.assertRaises(AccessError):
            self._doors(self.outsider)


@tagged("post_install", "-at_install", "xinfang_security")
class TestTheAccusedAfterTheFact(GuardCase):
    """An insider's review (issue 18): a person named accused once the item
    has reached him loses its callback, its petitioner, his activities and
    his subscriptions, as if he had never had it; and nobody is made a
    callback officer of an item they may not read."""

    def _closed_with_callback(self, petition):
        petition.sudo().write({"state": "closed", "close_date": "2026-01-05"})
        return (
            self.env["xinfang.callback"]
            .with_user(self.officer)
            .create({"petition_id": petition.id})
        )

    def _accuse(self, petition, user):
        petition.with_user(self.officer).accused_employee_id = user.employee_ids[:1]

    def test_the_accused_reads_neither_the_callback_nor_the_petitioner(self):
        callback = self._closed_with_callback(self.p_medical)
        zhang = self.p_medical.petitioner_id
        self.assertTrue(callback.with_user(self.handler).has_access("read"))
        self.assertTrue(zhang.with_user(self.handler).has_access("read"))
        self._accuse(self.p_medical, self.handler)
        self.assertFalse(callback.with_user(self.handler).has_access("read"))
        self.assertFalse(zhang.with_user(self.handler).has_access("read"))
        self.assertFalse(
            self.env["xinfang.callback"]
            .with_user(self.handler)
            .search([("petition_id", "=", self.p_medical.id)])
        )
        # Not even as its officer (the planner never names him: see
        # test_callback).
        callback.sudo().officer_ids = self.handler
        self.assertFalse(callback.with_user(self.handler).has_access("read"))
        self.assertTrue(callback.with_user(self.officer).has_access("read"))
        self.assertTrue(zhang.with_user(self.officer).has_access("read"))

    def test_an_accused_department_reads_nothing_of_the_item(self):
        callback = self._closed_with_callback(self.p_medical)
        zhang = self.p_medical.petitioner_id
        self.p_medical.with_user(self.officer).accused_department_id = self.dept_medical
        for record in (self.p_medical, callback, zhang):
            self.assertFalse(record.with_user(self.handler).has_access("read"))
        self.assertFalse(
            self.env["xinfang.petition"]
            .with_user(self.handler)
            .search([("id", "=", self.p_medical.id)])
        )
        # The rules' negation keeps every item that accuses nobody.
        self.assertTrue(
            self.p_nursing.with_user(self.handler_nursing).has_access("read")
        )
        self.assertTrue(callback.with_user(self.officer).has_access("read"))

    def test_an_accused_officer_leader_or_registrar_reads_nothing_of_it(self):
        zhao = self.env["xinfang.petitioner"].create({"name": "赵国庆"})
        petition = self._petition(
            zhao, self.cat_quality, subject="窗口服务态度差", registrar=self.registrar2
        )
        callback = self._closed_with_callback(petition)
        for user in (self.officer, self.leader, self.registrar2):
            employee = user.employee_ids[:1] or self.env["hr.employee"].create(
                {"name": user.name, "user_id": user.id}
            )
            # Registrars read no callback.
            records = (petition, zhao) + (
                (callback,)
                if user.has_group("xinfang_module.group_xinfang_officer")
                or user == self.leader
                else ()
            )
            for record in records:
                self.assertTrue(record.with_user(user).has_access("read"))
            petition.with_user(self.manager).accused_employee_id = employee
            for record in (petition, callback, zhao):
                self.assertFalse(record.with_user(user).has_access("read"), user.login)
            # Every other item, and the office manager, as before.
            other = self.p_draft_other if user == self.registrar2 else self.p_nursing
            self.assertTrue(other.with_user(user).has_access("read"))
            self.assertTrue(callback.with_user(self.manager).has_access("read"))
            petition.with_user(self.manager).accused_employee_id = False

    def test_naming_the_accused_takes_his_activities_and_subscriptions(self):
        petition = self._accept_and_route(self.p_medical)
        assignment = petition.sudo().assignment_ids
        callback = self._closed_with_callback(petition)
        records = (petition.sudo(), assignment, callback.sudo())
        for record in records:
            record.message_subscribe((self.handler | self.officer).partner_id.ids)
            for user in (self.handler, self.officer):
                record.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id
                )
        self._accuse(petition, self.handler)
        for record in records:
            self.assertNotIn(self.handler.partner_id, record.message_partner_ids)
            self.assertNotIn(self.handler, record.activity_ids.user_id)
            # The others keep theirs.
            self.assertIn(self.officer.partner_id, record.message_partner_ids)
            self.assertIn(self.officer, record.activity_ids.user_id)

    def test_accusing_the_department_that_has_it_takes_it_back(self):
        # The department no longer reads the item: it could neither reply
        # nor return it, and the office could not route it again while the
        # department held the main assignment.
        petition = self._accept_and_route(self.p_medical)
        assignment = petition.sudo().assignment_ids
        self.assertEqual(assignment.state, "assigned")
        # A plain write, as the form's field does: no button decides.
        petition.with_user(self.officer).write(
            {"accused_department_id": self.dept_medical.id}
        )
        self.assertEqual(assignment.state, "returned")
        self.assertIn(self.dept_medical.name, assignment.return_reason)
        self.assertEqual(petition.sudo().state, "accepted")
        route_again = petition.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("xinfang_module.mail_activity_type_reroute")
        )
        self.assertIn(self.officer, route_again.user_id)
        # The routing dialog does not propose the accused department.
        dialog = (
            self.env["xinfang.petition.assign"]
            .with_user(self.officer)
            .with_context(default_petition_id=petition.id)
            .default_get(["petition_id", "main_department_id"])
        )
        self.assertFalse(dialog.get("main_department_id"))
        # Co-departments alone would leave it handled by nobody (and take
        # the office's to-do): refused.
        with self.assertRaises(UserError):
            petition.with_user(self.officer)._do_assign(
                self.env["hr.department"], self.dept_nursing
            )
        self.assertTrue(route_again.exists())
        self.assertNotIn(self.handler, petition.sudo().activity_ids.user_id)
        self.assertFalse(
            assignment.activity_ids.filtered(lambda a: a.user_id == self.handler)
        )
        self.assertIn(self.dept_medical.name, petition.sudo().message_ids[0].body)
        # The office routes it again, elsewhere; the other department reads it.
        petition.with_user(self.officer)._do_assign(self.dept_nursing)
        self.assertEqual(petition.sudo().state, "handling")
        self.assertFalse(route_again.exists())
        self.assertTrue(petition.with_user(self.handler_nursing).has_access("read"))
        self.assertFalse(petition.with_user(self.handler).has_access("read"))

    def test_accusing_the_named_handler_unnames_him(self):
        head = self._department_head(self.dept_medical, "xf_t_head_medical")
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical, handler=self.handler.employee_ids)
        assignment = petition.sudo().assignment_ids
        self.assertEqual(assignment.handler_id, self.handler.employee_ids)
        self._accuse(petition, self.handler)
        # The department keeps the item; its head is told, not the accused.
        self.assertEqual(assignment.state, "assigned")
        self.assertFalse(assignment.handler_id)
        users = petition.sudo().activity_ids.user_id
        self.assertIn(head, users)
        self.assertNotIn(self.handler, users)
        self.assertTrue(petition.with_user(head).has_access("read"))

    def test_accusing_the_whole_department_by_its_people_takes_it_back(self):
        # Its only member and petition contact accused, the department has
        # nobody left to read the item: the assignment is withdrawn as if
        # the department were named.
        petition = self._accept_and_route(self.p_nursing, self.dept_nursing)
        assignment = petition.sudo().assignment_ids
        self._accuse(petition, self.handler_nursing)
        self.assertEqual(assignment.state, "returned")
        self.assertEqual(petition.sudo().state, "accepted")
        # The same values sent again (a form saves what it shows) take
        # nothing more: no second note, no second activity.
        petition.with_user(self.officer)._do_assign(self.dept_medical)
        activities = petition.sudo().activity_ids
        messages = petition.sudo().message_ids
        petition.with_user(self.officer).write(
            {"accused_employee_id": self.handler_nursing.employee_ids[:1].id}
        )
        self.assertEqual(petition.sudo().state, "handling")
        self.assertEqual(petition.sudo().activity_ids, activities)
        self.assertEqual(petition.sudo().message_ids, messages)

    def test_accusing_a_co_department_withdraws_its_part_only(self):
        petition = self.p_medical.with_user(self.officer)
        petition._do_accept()
        petition._do_assign(self.dept_medical, self.dept_nursing)
        main, co = petition.sudo().assignment_ids.sorted(lambda a: a.role != "main")
        petition.accused_department_id = self.dept_nursing
        self.assertEqual((main.state, co.state), ("assigned", "returned"))
        self.assertEqual(petition.sudo().state, "handling")
        self.assertFalse(
            petition.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("xinfang_module.mail_activity_type_reroute")
            )
        )

    def test_discipline_members_an_item_accuses_read_nothing_of_it(self):
        petition = self.p_medical
        petition.sudo().write({"category_id": self.cat_accusation.id})
        self.assertTrue(petition.sudo().confidential)
        petition.sudo().write({"state": "closed", "close_date": "2026-01-05"})
        callback = (
            self.env["xinfang.callback"]
            .with_user(self.manager)
            .create({"petition_id": petition.id})
        )
        records = (petition, petition.sudo().petitioner_id, callback)
        for record in records:
            self.assertTrue(record.with_user(self.discipline).has_access("read"))
        petition.with_user(self.manager).accused_department_id = self.dept_discipline
        for record in records:
            self.assertFalse(record.with_user(self.discipline).has_access("read"))
            self.assertTrue(record.with_user(self.manager).has_access("read"))

    def test_a_callback_officer_may_read_the_callback(self):
        # A leader reads an item that conceals its petitioner, not its
        # callbacks: named its officer, the callback was on nobody's list.
        callback = self._closed_with_callback(self.p_concealed)
        self.assertTrue(self.p_concealed.with_user(self.leader).has_access("read"))
        self.assertFalse(callback.with_user(self.leader).has_access("read"))
        with self.assertRaises(ValidationError) as refused:
            callback.with_user(self.officer).write(
                {"officer_ids": [Command.link(self.leader.id)]}
            )
        self.assertIn("or its callback", str(refused.exception))
        self.assertNotIn(self.leader, callback.sudo().officer_ids)

    def test_a_callback_officer_may_read_the_item(self):
        callback = self._closed_with_callback(self.p_medical).with_user(self.officer)
        # assertRaises, not assertRaisesRegex: Odoo's rolls the write back.
        with self.assertRaises(ValidationError) as refused:
            callback.write({"officer_ids": [Command.link(self.handler_nursing.id)]})
        self.assertIn("may not read the item", str(refused.exception))
        self.assertNotIn(self.handler_nursing, callback.sudo().officer_ids)
        # The handling department's handler reads it.
        callback.write({"officer_ids": [Command.link(self.handler.id)]})
        self.assertIn(self.handler, callback.sudo().officer_ids)
        self._accuse(self.p_medical, self.handler)
        with self.assertRaises(ValidationError) as refused:
            self.env["xinfang.callback"].with_user(self.officer).create(
                {
                    "petition_id": self.p_medical.id,
                    "officer_ids": [Command.set(self.handler.ids)],
                }
            )
        self.assertIn("may not read the item", str(refused.exception))
        # Nor through a default of the context (a form's default_officer_ids).
        with self.assertRaises(ValidationError):
            self.env["xinfang.callback"].with_user(self.officer).with_context(
                default_officer_ids=[Command.set(self.handler_nursing.ids)]
            ).create({"petition_id": self.p_medical.id})
