from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools import file_path

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestPetitionLifecycle(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.xinfang_discipline_department_id = cls.dept_discipline

    def _accepted(self, petition=None):
        petition = petition or self.p_medical
        petition.with_user(self.officer)._do_accept()
        return petition

    def _handling(self, petition=None):
        petition = self._accepted(petition)
        petition.with_user(self.officer)._do_assign(petition.department_id)
        return petition

    def _write_reply(self, petition):
        petition.with_user(self.handler).write(
            {
                "reply_facts": "经核查，候诊时间确实较长",
                "reply_basis": "《医疗机构管理条例》",
                "reply_conclusion": "已增设挂号窗口",
            }
        )

    def test_full_path_registration_to_filing(self):
        petition = self.p_medical
        self._accepted(petition)
        self.assertEqual(petition.state, "accepted")
        today = fields.Date.context_today(petition.with_user(self.officer))
        self.assertEqual(petition.decision_date, today)
        main, co = petition.with_user(self.officer)._do_assign(
            self.dept_medical, self.dept_nursing
        )
        self.assertEqual(petition.state, "handling")
        self.assertEqual((main.role, co.role), ("main", "co"))
        self.assertEqual(main.deadline, petition.handling_deadline)
        activity_users = petition.activity_ids.mapped("user_id")
        self.assertIn(self.handler, activity_users)
        self.assertIn(self.handler_nursing, activity_users)
        # The co-handling department now sees the item.
        self.assertTrue(petition.with_user(self.handler_nursing).has_access("read"))

        self._write_reply(petition)
        petition.with_user(self.handler).action_submit_reply()
        self.assertEqual(petition.state, "review")
        petition.with_user(self.officer)._do_return_reply("事实部分不清")
        self.assertEqual((petition.state, petition.reply_return_count), ("handling", 1))
        petition.with_user(self.handler).action_submit_reply()
        petition.with_user(self.officer).action_approve_reply()
        self.assertEqual(petition.state, "replied")
        self.assertEqual(petition.reply_date, today)
        self.assertEqual(set(petition.assignment_ids.mapped("state")), {"done"})

        petition.with_user(self.leader)._do_close("已按期办结", "letter", date.today())
        self.assertEqual(petition.state, "closed")
        self.assertEqual(petition.completion_approver_id, self.leader)
        petition.with_user(self.officer)._do_file()
        self.assertEqual(petition.state, "filed")
        self.assertEqual(petition.deadline_status, "none")
        bodies = " ".join(petition.message_ids.mapped("body"))
        for text in ("受理", "交办", "退办", "已答复", "办结", "归档"):
            self.assertIn(text, bodies)

    def test_wrong_groups_refused(self):
        petition = self.p_medical
        for user in (self.handler, self.leader, self.registrar):
            with self.assertRaises(AccessError):
                petition.with_user(user)._do_accept()
        self._accepted(petition)
        with self.assertRaises(AccessError):
            petition.with_user(self.handler)._do_assign(self.dept_medical)
        petition.with_user(self.officer)._do_assign(self.dept_medical)
        self._write_reply(petition)
        petition.with_user(self.handler)._do_submit_reply()
        with self.assertRaises(AccessError):
            petition.with_user(self.handler)._do_approve_reply()
        petition.with_user(self.officer)._do_approve_reply()
        with self.assertRaises(AccessError):
            petition.with_user(self.officer)._do_close("报告", "phone", date.today())
        petition.with_user(self.manager)._do_close("报告", "phone", date.today())

    def test_preconditions(self):
        petition = self.p_medical
        with self.assertRaisesRegex(UserError, "cannot be routed"):
            petition.with_user(self.officer)._do_assign(self.dept_medical)
        with self.assertRaisesRegex(UserError, "reason"):
            petition.with_user(self.officer)._do_refuse("rejected", "")
        with self.assertRaisesRegex(UserError, "body"):
            petition.with_user(self.officer)._do_refuse("redirected", "非本院职责")
        self._handling(petition)
        with self.assertRaisesRegex(UserError, "cannot be accepted"):
            petition.with_user(self.officer)._do_accept()
        with self.assertRaisesRegex(UserError, "facts, basis and conclusion"):
            petition.with_user(self.handler)._do_submit_reply()
        self._write_reply(petition)
        petition.with_user(self.handler)._do_submit_reply()
        petition.with_user(self.officer)._do_approve_reply()
        with self.assertRaisesRegex(UserError, "completion report"):
            petition.with_user(self.manager)._do_close("", "phone", date.today())
        with self.assertRaisesRegex(UserError, "how and when"):
            petition.with_user(self.manager)._do_close("报告")

    def test_anonymous_closed_with_publication_note(self):
        petition = self.p_nursing
        petition.anonymous = True
        self._handling(petition)
        petition.write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        petition._do_submit_reply()
        petition.with_user(self.officer)._do_approve_reply()
        petition.with_user(self.manager)._do_close(
            "报告", publication_note="在院务公开栏公布"
        )
        self.assertEqual(petition.publication_note, "在院务公开栏公布")

    def test_refusals_end_the_item(self):
        for state, body in (
            ("rejected", None),
            ("not_reaccepted", None),
            ("redirected", "市卫生健康委员会"),
        ):
            petition = self._petition(
                self.zhang, self.cat_quality, subject=state, state="pending"
            )
            petition.with_user(self.officer)._do_refuse(state, "理由", body, "letter")
            self.assertEqual(petition.state, state)
            self.assertEqual(petition.competent_body, body or False)
            self.assertEqual(petition.next_deadline, False)

    def test_leader_instruction(self):
        petition = self.p_medical
        with freeze_time("2026-03-06 02:00:00"):  # a Friday
            petition.with_user(self.officer)._do_request_instruction(self.leader)
            # 2 working days: Monday and Tuesday.
            self.assertEqual(petition.instruction_deadline, date(2026, 3, 10))
            activity = petition.activity_ids.filtered(
                lambda a: a.user_id == self.leader
            )
            self.assertEqual(activity.date_deadline, date(2026, 3, 10))
            with self.assertRaises(AccessError):
                petition.with_user(self.officer)._do_record_instruction("请医务科办理")
            petition.with_user(self.leader)._do_record_instruction("请医务科办理")
        self.assertEqual(petition.leader_instruction, "请医务科办理")
        self.assertEqual(petition.routing_deadline, date(2026, 3, 10))
        self.assertFalse(
            petition.activity_ids.filtered(lambda a: a.user_id == self.leader)
        )
        with self.assertRaisesRegex(UserError, "not a leader"):
            petition.with_user(self.officer)._do_request_instruction(self.handler)

    def test_conflict_guard(self):
        petition = self._accepted()
        petition.accused_department_id = self.dept_medical
        with self.assertRaisesRegex(UserError, "cannot be handled there"):
            petition.with_user(self.officer)._do_assign(self.dept_medical)
        with self.assertRaisesRegex(UserError, "cannot be handled there"):
            petition.with_user(self.officer)._do_assign(
                self.dept_nursing, self.dept_medical
            )
        petition.accused_department_id = False
        petition.accused_employee_id = self.handler.employee_ids
        with self.assertRaisesRegex(UserError, "cannot be handed to them"):
            petition.with_user(self.officer)._do_assign(
                self.dept_medical, handler=self.handler.employee_ids
            )
        petition.with_user(self.officer)._do_assign(self.dept_medical)

    def test_confidential_routes_only_to_discipline(self):
        petition = self.p_confidential.with_user(self.manager)
        petition._do_accept()
        with self.assertRaisesRegex(UserError, "confidential"):
            petition._do_assign(self.dept_medical)
        assignment = petition._do_assign(self.dept_discipline)
        self.assertEqual(assignment.department_id, self.dept_discipline)
        self.assertFalse(assignment.with_user(self.handler).has_access("read"))
        self.assertTrue(assignment.with_user(self.discipline).has_access("read"))

    def test_personnel_and_discipline_matters_routed_within_limit(self):
        dept_hr = self.env["hr.department"].create(
            {"name": "人事科 (test)", "xinfang_handles": True}
        )
        self.company.xinfang_hr_department_id = dept_hr
        category = self.env["xinfang.category"].create(
            {"name": "Personnel (test)", "personnel": True}
        )
        with freeze_time("2026-03-06 02:00:00"):  # Friday
            personnel = self._petition(
                self.zhang, category, subject="劳动合同", state="pending"
            )
            personnel.with_user(self.officer)._do_accept()
            self.p_confidential.with_user(self.manager)._do_accept()
        # 2 working days: Monday 9 and Tuesday 10 March.
        self.assertEqual(personnel.routing_deadline, date(2026, 3, 10))
        self.assertEqual(personnel.next_deadline, date(2026, 3, 10))
        self.assertEqual(self.p_confidential.routing_deadline, date(2026, 3, 10))
        self.assertFalse(self._accepted().routing_deadline)
        with self.assertRaisesRegex(UserError, "personnel matter"):
            personnel.with_user(self.officer)._do_assign(self.dept_medical)
        personnel.with_user(self.officer)._do_assign(dept_hr)
        self.assertEqual(personnel.state, "handling")

    def test_return_and_reroute(self):
        with freeze_time("2026-03-02 02:00:00"):  # Monday
            petition = self._handling()
            assignment = petition.assignment_ids
            self.assertEqual(assignment.return_deadline, date(2026, 3, 9))
        with freeze_time("2026-03-09 09:00:00"):
            assignment.with_user(self.handler).action_return("不属于本科室职责")
        self.assertEqual(assignment.state, "returned")
        self.assertEqual(petition.state, "accepted")
        petition.with_user(self.officer)._do_assign(self.dept_nursing)
        self.assertEqual(petition.department_id, self.dept_nursing)
        self.assertEqual(petition.state, "handling")
        late = petition.assignment_ids.filtered(lambda a: a.state == "assigned")
        with freeze_time(str(late.return_deadline + timedelta(days=1))):
            with self.assertRaisesRegex(UserError, "return window"):
                late.with_user(self.handler_nursing).action_return("太晚了")

    def test_extension_cap(self):
        petition = self._handling()
        deadline = petition.handling_deadline
        first = petition.with_user(self.handler)._do_request_extension(
            20, "需要司法鉴定"
        )
        with self.assertRaises(AccessError):
            first.with_user(self.officer).action_approve()
        first.with_user(self.manager).action_approve()
        self.assertEqual(petition.handling_deadline, deadline + timedelta(days=20))
        second = petition.with_user(self.handler)._do_request_extension(15, "再次延期")
        with self.assertRaisesRegex(UserError, "limit is 30 days"):
            second.with_user(self.manager).action_approve()
        second.with_user(self.manager).action_refuse()
        self.assertEqual(petition.extension_days, 20)
        third = petition.with_user(self.handler)._do_request_extension(10, "最后一次")
        third.with_user(self.manager).action_approve()
        self.assertEqual(petition.handling_deadline, deadline + timedelta(days=30))

    def test_extension_visibility(self):
        petition = self._handling()
        extension = petition.with_user(self.handler)._do_request_extension(
            10, "需要专家会诊"
        )
        Extension = self.env["xinfang.extension"]
        for user, visible in (
            (self.handler, True),
            (self.officer, True),
            (self.leader, True),
            (self.manager, True),
            (self.handler_nursing, False),
            (self.registrar, False),
            (self.outsider, False),
        ):
            try:
                found = Extension.with_user(user).search([("id", "=", extension.id)])
            except AccessError:
                found = Extension
            self.assertEqual(bool(found), visible, user.login)
        with self.assertRaises(AccessError):
            extension.with_user(self.handler).write({"days": 30})

    def _replied(self, petition):
        self._handling(petition)
        petition.write(
            {"reply_facts": "f", "reply_basis": "b", "reply_conclusion": "c"}
        )
        petition._do_submit_reply()
        petition.with_user(self.officer)._do_approve_reply()
        return petition

    def test_review_chain_and_three_level_closure(self):
        with freeze_time("2026-04-01 02:00:00"):
            original = self._replied(self.p_medical)
        with freeze_time("2026-04-20 02:00:00"):
            review = original.with_user(self.officer)._do_request_review()
            self.assertEqual(review.petition_type, "review")
            self.assertEqual(review.parent_id, original)
            self.assertEqual(review.original_doc_number, original.name)
            self.assertEqual(review.state, "pending")
            self.assertEqual(review.acceptance_deadline, date(2026, 5, 20))
            with self.assertRaisesRegex(UserError, "Close the 复查"):
                self._replied(review)._do_request_review()
            review.with_user(self.manager)._do_close("复查决定", "letter", date.today())
            reexam = review.with_user(self.officer)._do_request_review()
            self.assertEqual(reexam.petition_type, "reexamination")
            self._replied(reexam)
            with self.assertRaisesRegex(UserError, "chain is closed"):
                reexam._do_request_review()
            # The same person on the same matter: three-level closure.
            again = (
                self.env["xinfang.petition"]
                .with_user(self.registrar)
                .create(
                    {
                        "channel": "letter",
                        "petitioner_id": self.zhang.id,
                        "category_id": self.cat_quality.id,
                        "subject": original.subject,
                        "content": "再次反映",
                    }
                )
            )
            again.with_context(xinfang_skip_repeat_check=True).action_submit()
            self.assertTrue(again.final_closure)
            self.assertEqual(
                again.sudo().action_accept()["context"]["default_decision"],
                "not_reaccepted",
            )
            with self.assertRaisesRegex(UserError, "三级终结"):
                again.with_user(self.officer)._do_accept()

    def test_review_window_and_override(self):
        with freeze_time("2026-04-01 02:00:00"):
            original = self._replied(self.p_medical)
        with freeze_time("2026-05-15 02:00:00"):
            with self.assertRaisesRegex(UserError, "review window"):
                original.with_user(self.officer)._do_request_review()
            with self.assertRaises(AccessError):
                original.with_user(self.officer)._do_request_review(
                    override_reason="信访人住院，未能按期申请"
                )
            review = original.with_user(self.manager)._do_request_review(
                override_reason="信访人住院，未能按期申请"
            )
        self.assertEqual(review.review_override_reason, "信访人住院，未能按期申请")


@tagged("post_install", "-at_install")
class TestSeveralAtOnce(XinfangCase):
    """Buttons a list offers work on every selected item; dialogs are for
    one item and say so."""

    def test_several_closed_items_filed_at_once(self):
        items = self.p_medical | self.p_nursing
        items._xinfang_steps().write({"state": "closed"})
        action = items.with_user(self.officer).action_file()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.petition_ids, items)
        wizard.action_file()
        self.assertEqual(items.mapped("state"), ["filed", "filed"])
        self.assertEqual(sorted(items.mapped("archive_number")), [1, 2])

    def test_dialogs_open_for_one_item(self):
        two = (self.p_medical | self.p_nursing).with_user(self.manager)
        for name in (
            "action_accept",
            "action_reject",
            "action_not_reaccept",
            "action_redirect",
            "action_request_instruction",
            "action_record_instruction",
            "action_assign",
            "action_return_reply",
            "action_close",
            "action_request_extension",
            "action_request_review",
            "action_correct_registration",
            "action_lift_concealment",
        ):
            with self.subTest(name), self.assertRaisesRegex(ValueError, "singleton"):
                getattr(two, name)()


@tagged("post_install", "-at_install")
class TestPetitionNoticeMail(XinfangCase):
    def test_notice_emailed_without_creating_a_partner(self):
        self.zhang.email = "zhang@example.cn"
        petition = self.p_medical
        with self.assertRaisesRegex(UserError, "no notice"):
            petition.with_user(self.officer).action_send_notice_email()
        petition.with_user(self.officer)._do_accept()
        partners_before = self.env["res.partner"].search_count([])
        with self.assertRaises(AccessError):
            petition.with_user(self.handler).action_send_notice_email()
        petition.with_user(self.officer).action_send_notice_email()
        mail = self.env["mail.mail"].search(
            [("model", "=", "xinfang.petition"), ("res_id", "=", petition.id)]
        )
        self.assertEqual(mail.email_to, "zhang@example.cn")
        self.assertFalse(mail.recipient_ids)
        self.assertEqual(len(mail.attachment_ids), 1)
        # The PDF names the petitioner: it is not a file of the item, which a
        # handler of a concealed item could open.
        self.assertNotEqual(mail.attachment_ids.res_model, "xinfang.petition")
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "xinfang.petition"), ("res_id", "=", petition.id)]
            )
        )
        self.assertNotIn("张建华", mail.body_html)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        with self.assertRaisesRegex(UserError, "no e-mail"):
            self.p_nursing.with_user(self.officer)._do_accept()
            self.p_nursing.with_user(self.officer).action_send_notice_email()


@tagged("post_install", "-at_install")
class TestMigrations(XinfangCase):
    def test_filed_state_renamed_on_upgrade(self):
        # 18.0.1.2.0: rows and saved filters of the former "archived" key.
        migration = load_script(
            file_path("xinfang_module/migrations/18.0.1.2.0/pre-migrate.py"),
            "xinfang_module_pre_migrate_18_0_1_2_0",
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE xinfang_petition SET state = 'archived' WHERE id = %s",
            [self.p_medical.id],
        )
        saved = self.env["ir.filters"].create(
            {
                "name": "已归档",
                "model_id": "xinfang.petition",
                "domain": "[('state', '=', 'archived')]",
            }
        )
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(self.p_medical.state, "filed")
        self.assertEqual(saved.domain, "[('state', '=', 'filed')]")
