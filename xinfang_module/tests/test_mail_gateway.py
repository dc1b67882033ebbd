import re
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import file_open, mute_logger

from .common import XinfangCase

ALIAS = "xinfang@hospital.example.com"


@tagged("post_install", "-at_install")
class TestMailGateway(XinfangCase):
    """E-mails to the company's petition alias, with real MIME samples
    (tests/data): UTF-8, GB2312/GBK with a Chinese file name in base64, a
    forwarded message, an empty body, an auto-reply and a bounce."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "hospital.example.com"}
        )
        cls.company.xinfang_alias_name = "xinfang"
        cls.Petition = cls.env["xinfang.petition"]

    def _receive(self, filename, replace=None):
        with file_open(f"xinfang_module/tests/data/{filename}", "rb") as file:
            raw = file.read()
        for old, new in (replace or {}).items():
            raw = raw.replace(old.encode(), new.encode())
        return self.env["mail.thread"].message_process(None, raw)

    def _items(self):
        return self.Petition.search([("channel", "=", "email")])

    def _acknowledgments(self, petition):
        # Attached to no record (they carry the query code): found by subject.
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("subject", "like", petition.name), ("model", "=", False)])
        )

    def test_alias_is_set_in_the_settings(self):
        alias = self.company.xinfang_alias_id
        self.assertEqual(alias.alias_name, "xinfang")
        self.assertEqual(alias.alias_model_id.model, "xinfang.petition")
        self.assertEqual(alias.alias_contact, "everyone")
        # The office manager renames it in the petition settings.
        settings = (
            self.env["res.config.settings"]
            .with_user(self.manager)
            .create({"xinfang_alias_name": "petitions"})
        )
        self.assertEqual(settings.xinfang_alias_domain, "hospital.example.com")
        self.assertEqual(alias.alias_name, "petitions")
        # Pointed at another alias, to take it over by its name: refused.
        other = self.env["mail.alias"].create(
            {
                "alias_name": "other-app",
                "alias_model_id": self.env["ir.model"]._get_id("xinfang.petition"),
                "alias_defaults": "{'company_id': 999}",
            }
        )
        with self.assertRaises(AccessError):
            self.company.with_user(self.manager).write({"xinfang_alias_id": other.id})
        # Not the address Odoo sends notifications from.
        with self.assertRaisesRegex(UserError, "notifications from"):
            self.company.xinfang_alias_name = self.company.alias_domain_id.default_from
        # Without an alias domain, no address to give: said so.
        domain = self.company.alias_domain_id
        self.company.alias_domain_id = False
        with self.assertRaisesRegex(UserError, "no alias domain"):
            self.company.xinfang_alias_name = "elsewhere"
        self.company.alias_domain_id = domain
        # Emptied: no gateway, and no alias left behind.
        self.company.xinfang_alias_name = False
        self.assertFalse(alias.exists())
        self.assertFalse(self.company.xinfang_alias_id)

    def test_an_email_becomes_an_item_in_registration(self):
        self.company.xinfang_acceptance_days = 12
        thread_id = self._receive("email_utf8.eml")
        petition = self.Petition.browse(thread_id)
        self.assertEqual(petition.channel, "email")
        self.assertEqual(petition.state, "draft")
        self.assertEqual(petition.company_id, self.company)
        self.assertEqual(petition.subject, "反映门诊挂号难")
        self.assertIn("排队三个小时仍未挂上号", petition.content)
        # Markup is kept as the text it is.
        self.assertIn("<script>alert('x')</script>", petition.content)
        self.assertFalse(petition.registrar_id)
        # The sender is a petitioner, not a contact.
        self.assertEqual(petition.petitioner_id.name, "王建国")
        self.assertEqual(petition.petitioner_id.email, "wang.jg@example.com")
        self.assertFalse(
            self.env["res.partner"].search([("email", "ilike", "wang.jg@example")])
        )
        # The chatter names nobody; the e-mail is filed as an original.
        for message in petition.message_ids:
            self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
            self.assertNotIn("wang.jg", (message.email_from or "").lower())
        self.assertFalse(petition.message_partner_ids)
        original = self.env["ir.attachment"].search(
            [("res_model", "=", petition._name), ("res_id", "=", petition.id)]
        )
        self.assertEqual(len(original), 1)
        self.assertFalse(original.xinfang_working_copy)
        self.assertIn("Wang.JG@Example.com", original.raw.decode())
        self.assertIn("排队三个小时", original.raw.decode())
        # Acknowledged at once with the number, as an automatic reply.
        acknowledgment = self._acknowledgments(petition)
        self.assertEqual(len(acknowledgment), 1)
        self.assertEqual(acknowledgment.email_to, "wang.jg@example.com")
        self.assertIn(petition.name, acknowledgment.body_html)
        # The acceptance limit of the settings.
        self.assertIn("12", acknowledgment.body_html)
        self.assertIn("Auto-Submitted", acknowledgment.headers)
        # With the query code, which opens the item on the query page.
        code = re.search(
            r"([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})",
            acknowledgment.body_html,
        ).group(1)
        self.assertIn("/xinfang/query", acknowledgment.body_html)
        self.assertEqual(
            petition._xinfang_find_by_code(self.company, petition.name, code), petition
        )
        # The same sender again, written otherwise: the same petitioner.
        second = self.Petition.browse(
            self._receive(
                "email_utf8.eml",
                {"Wang.JG@Example.com": "wang.jg@example.com", "utf8-001": "utf8-007"},
            )
        )
        self.assertNotEqual(second, petition)
        self.assertEqual(second.petitioner_id, petition.petitioner_id)

    def test_gbk_email_with_a_chinese_file_name(self):
        known = self.env["xinfang.petitioner"].create(
            {"name": "李秀英", "email": "LIXY@example.cn"}
        )
        petition = self.Petition.browse(self._receive("email_gbk_attachment.eml"))
        self.assertEqual(petition.subject, "投诉住院收费问题")
        self.assertIn("重复收费", petition.content)
        self.assertEqual(petition.petitioner_id, known)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", petition._name), ("res_id", "=", petition.id)]
        )
        self.assertIn("病历复印件.pdf", files.mapped("name"))
        self.assertEqual(len(files), 2)
        # "… and its 1 file(s) …", in the company's language.
        self.assertRegex(petition.message_ids[0].body, r"\b1\b")

    def test_a_user_of_the_database_is_filed_as_anybody(self):
        # A member of staff who e-mails as a whistle-blower from their work
        # address, with a colleague in Cc: Odoo knows both, and the item
        # names neither (creator, author, follower, recipient).
        self.handler_nursing.partner_id.email = "nurse@hospital.example.com"
        self.officer.partner_id.email = "officer@hospital.example.com"
        petition = self.Petition.browse(
            self._receive(
                "email_utf8.eml",
                {
                    "Wang.JG@Example.com": "nurse@hospital.example.com",
                    "To: xinfang@hospital.example.com": (
                        "To: xinfang@hospital.example.com\r\n"
                        "Cc: officer@hospital.example.com"
                    ),
                },
            )
        )
        self.assertEqual(petition.create_uid, self.env.ref("base.user_root"))
        staff = self.handler_nursing.partner_id | self.officer.partner_id
        self.assertFalse(petition.message_partner_ids & staff)
        for message in petition.message_ids:
            self.assertFalse(message.author_id & staff)
            self.assertFalse(message.partner_ids & staff)
            self.assertFalse(message.create_uid & self.handler_nursing)
        self.assertNotEqual(petition.petitioner_id.name, "xf_t_handler_nursing")

    def test_only_the_mail_server_delivers(self):
        with file_open("xinfang_module/tests/data/email_utf8.eml", "rb") as file:
            raw = file.read()
        for user in (self.registrar, self.officer, self.manager):
            with self.assertRaises(AccessError):
                self.env["mail.thread"].with_user(user).message_process(None, raw)
            # Nor by the model's own (public) method.
            with self.assertRaises(AccessError):
                self.Petition.with_user(user).message_new(
                    {"email_from": "x@example.com", "subject": "伪造", "body": "x"}
                )
        # The alias's values give the company, nothing else.
        petition = self.Petition.browse(
            self.env["mail.thread"].message_process(
                "xinfang.petition", raw, custom_values={"state": "accepted"}
            )
        )
        self.assertEqual(petition.state, "draft")

    def test_a_flood_from_one_sender_stops(self):
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 2)
        before = self._items()
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            for number in range(3):
                self._receive("email_utf8.eml", {"utf8-001": f"flood-{number}"})
        self.assertEqual(len(self._items() - before), 2)

    def test_a_protected_person_is_never_matched(self):
        # Anybody can write a From line: a whistle-blower's address makes a
        # new person, which does not show them to the desk.
        self.wang.email = "wangzm@example.com"
        self.assertTrue(self.p_confidential.conceal_identity)
        petition = self.Petition.browse(
            self._receive(
                "email_utf8.eml", {"Wang.JG@Example.com": "wangzm@example.com"}
            )
        )
        self.assertNotEqual(petition.petitioner_id, self.wang)
        self.assertEqual(petition.petitioner_id.email, "wangzm@example.com")
        # Confidential without 隐去身份, or concealed and archived: protected.
        informant, archived = self.env["xinfang.petitioner"].create(
            [
                {"name": "举报人甲", "email": "jia@example.com"},
                {"name": "举报人乙", "email": "yi@example.com"},
            ]
        )
        self._petition(informant, self.cat_quality, subject="举报", confidential=True)
        self._petition(
            archived, self.cat_quality, subject="举报", conceal_identity=True
        ).action_archive()
        for person in (informant, archived):
            petition = self.Petition.browse(
                self._receive(
                    "email_utf8.eml",
                    {
                        "Wang.JG@Example.com": person.email,
                        "utf8-001": f"utf8-{person.id}",
                    },
                )
            )
            self.assertNotEqual(petition.petitioner_id, person)
        # Known from a confidential visit only: protected too.
        visitor = self.env["xinfang.petitioner"].create(
            {"name": "来访举报人", "email": "bing@example.com"}
        )
        visit = self.env["xinfang.visit"].create(
            {
                "subject": "举报",
                "petitioner_ids": [(6, 0, visitor.ids)],
                "date": "2026-11-30 02:00:00",
            }
        )
        self._petition(
            self.wang, self.cat_accusation, subject="举报", visit_id=visit.id
        )
        self.assertTrue(visit.confidential)
        petition = self.Petition.browse(
            self._receive(
                "email_utf8.eml",
                {"Wang.JG@Example.com": visitor.email, "utf8-001": "utf8-visit"},
            )
        )
        self.assertNotEqual(petition.petitioner_id, visitor)
        # An address is no pattern: % and _ match only themselves.
        self.zhang.email = "zhang_jh@example.com"
        for pattern in ("%@example.com", "zhang%jh@example.com"):
            petition = self.Petition.browse(
                self._receive(
                    "email_utf8.eml",
                    {"Wang.JG@Example.com": pattern, "utf8-001": pattern},
                )
            )
            self.assertNotEqual(petition.petitioner_id, self.zhang, pattern)

    def test_forwarded_and_empty_emails(self):
        forwarded = self.Petition.browse(self._receive("email_forwarded.eml"))
        self.assertEqual(forwarded.subject, "转发：原始投诉")
        self.assertIn("代朋友转发投诉", forwarded.content)
        self.assertEqual(forwarded.petitioner_id.email, "friend@example.org")
        empty = self.Petition.browse(self._receive("email_empty.eml"))
        self.assertEqual(empty.subject, "无正文")
        in_company_language = self.Petition.with_context(
            lang=self.company.partner_id.lang
        ).env._("The e-mail has no text: see its files.")
        self.assertEqual(empty.content, in_company_language)

    def test_automatic_emails_make_no_item(self):
        before = self._items()
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self._receive("email_autoreply.eml")
            self._receive("email_bounce.eml")
        self.assertEqual(self._items(), before)
        # An auto-reply to an item's acknowledgment is not added to it.
        petition = self.Petition.browse(self._receive("email_utf8.eml"))
        messages = petition.message_ids
        self._receive(
            "email_autoreply.eml",
            {
                "Message-Id: <auto-005": "In-Reply-To: <utf8-001@mail.example.com>\r\n"
                "Message-Id: <auto-008"
            },
        )
        self.assertEqual(petition.message_ids, messages)
        self.assertEqual(self._items(), before | petition)

    def test_a_reply_is_added_to_its_item(self):
        before = self._items()
        petition = self.Petition.browse(self._receive("email_utf8.eml"))
        # Who completes the item registers it, and keeps it.
        petition.write(
            {"category_id": self.cat_quality.id, "request_nature": "complaint"}
        )
        petition.with_user(self.registrar).with_context(
            xinfang_skip_repeat_check=True
        ).action_submit()
        self.assertEqual(petition.registrar_id, self.registrar)
        self.assertEqual(petition.state, "pending")
        self.assertTrue(petition.with_user(self.registrar).has_access("read"))
        reply = self._receive(
            "email_gbk_attachment.eml",
            {
                "Message-Id: <gbk-002@mail.example.cn>": (
                    "Message-Id: <gbk-009@mail.example.cn>\r\n"
                    "In-Reply-To: <utf8-001@mail.example.com>"
                )
            },
        )
        self.assertEqual(reply, petition.id)
        self.assertEqual(self._items(), before | petition)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", petition._name), ("res_id", "=", petition.id)]
        )
        # Two e-mails as received, and the file of the second.
        self.assertEqual(len(files), 3)
        # The registrar is asked to read it.
        activity = petition.activity_ids
        self.assertEqual(activity.user_id, self.registrar)
        self.assertEqual(len(activity), 1)

    def test_the_sender_stays_with_the_office_on_a_concealed_item(self):
        petition = self.Petition.browse(self._receive("email_utf8.eml"))
        petition.write(
            {
                "category_id": self.cat_quality.id,
                "conceal_identity": True,
                "state": "pending",
            }
        )
        handled = petition.with_user(self.handler)
        self.assertEqual(handled.subject, "反映门诊挂号难")
        self.assertEqual(handled.petitioner_id.display_name, "Identity concealed")
        # The original is the office's; the chatter names nobody.
        Attachment = self.env["ir.attachment"].with_user(self.handler)
        self.assertFalse(
            Attachment.search(
                [("res_model", "=", petition._name), ("res_id", "=", petition.id)]
            )
        )
        for message in handled.message_ids:
            self.assertNotIn("wang.jg", str(message.read()).lower())
        self.assertTrue(
            self.env["ir.attachment"]
            .with_user(self.officer)
            .search([("res_model", "=", petition._name), ("res_id", "=", petition.id)])
        )

    def test_no_acknowledgment_when_off_or_failing(self):
        self.company.xinfang_email_acknowledge = False
        petition = self.Petition.browse(self._receive("email_utf8.eml"))
        self.assertFalse(self._acknowledgments(petition))
        # A failing acknowledgment loses nothing.
        self.company.xinfang_email_acknowledge = True
        with (
            patch.object(
                type(self.env["mail.template"]),
                "send_mail",
                side_effect=ValueError("SMTP down"),
            ),
            mute_logger("odoo.addons.xinfang_module.models.xinfang_online"),
        ):
            thread_id = self._receive("email_utf8.eml", {"utf8-001": "utf8-010"})
        self.assertTrue(self.Petition.browse(thread_id).exists())
        self.assertEqual(self.Petition.browse(thread_id).subject, "反映门诊挂号难")
