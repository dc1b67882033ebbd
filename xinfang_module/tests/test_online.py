import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.xinfang_online import CODE_ALPHABET, normalize_code
from .common import ID_ZHANG, XinfangCase

# Valid resident ID numbers nobody of the common data holds.
ID_ZHAO = "110105198503010024"
ID_QIAN = "310115199207150035"

# The smallest valid files of their type.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Windows program named as a picture.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def form(**values):
    data = {
        "name": "赵敏",
        "id_number": ID_ZHAO,
        "phone": "13912345678",
        "email": "zhaomin@example.com",
        "subject": "门诊收费不透明",
        "content": "2026年11月在门诊缴费时，收费项目没有明细。",
        "requests": "请公开收费明细。",
        "rights": True,
        "consent": True,
    }
    data.update(values)
    return data


@tagged("post_install", "-at_install")
class TestOnlinePetition(XinfangCase):
    """The online form, the query code, the query page, material added later
    and the rating (issue 16, items 2-6), at the level the public pages call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "xinfang_online_enabled": True,
                "xinfang_online_ip_hourly": 10,
                "xinfang_online_global_per_minute": 60,
                "xinfang_online_daily_cap": 3,
                "xinfang_online_lockout_failures": 5,
                "xinfang_online_lockout_minutes": 30,
            }
        )
        # The public pages speak the office's language: English here.
        cls.company.partner_id.lang = "en_US"
        cls.Petition = cls.env["xinfang.petition"]

    def _query(self, number, code, ip, company=None):
        """The item, or UserError with the page's message."""
        petition, error = self.Petition._xinfang_online_query(
            company or self.company, number, code, ip
        )
        if error:
            raise UserError(error)
        return petition

    def _submit(self, ip="203.0.113.5", files=(), **values):
        return self.Petition._xinfang_online_submit(
            self.company, form(**values), list(files), ip=ip
        )

    def test_submission_registers_an_item_with_a_query_code(self):
        petition, code = self._submit(files=[("发票.png", PNG), ("病历.pdf", PDF)])
        self.assertEqual(petition.channel, "online")
        self.assertEqual(petition.state, "draft")
        self.assertEqual(petition.create_uid, self.env.ref("base.user_root"))
        self.assertFalse(petition.registrar_id)
        # A new person with the data as typed.
        self.assertEqual(petition.petitioner_id.id_number, ID_ZHAO)
        self.assertEqual(petition.petitioner_id.name, "赵敏")
        # The code: 12 characters of the unambiguous alphabet, kept as a
        # fingerprint bound to the item only.
        self.assertEqual(len(code), 12)
        self.assertTrue(set(code) <= set(CODE_ALPHABET))
        self.assertNotIn(code, petition.query_code_digest)
        self.assertEqual(
            petition.query_code_digest, petition._xinfang_code_digest(code)
        )
        self.assertEqual(len(petition.query_code_digest), 64)
        # The files are originals of the item, posted by OdooBot.
        files = self.env["ir.attachment"].search(
            [("res_model", "=", petition._name), ("res_id", "=", petition.id)]
        )
        self.assertEqual(
            sorted(files.mapped("name")),
            ["Registration data as typed online.txt", "发票.png", "病历.pdf"],
        )
        self.assertFalse(any(files.mapped("xinfang_working_copy")))
        # The acknowledgment carries the number and the code.
        mail = self.env["mail.mail"].search([("email_to", "=", "zhaomin@example.com")])
        self.assertEqual(len(mail), 1)
        # Attached to no record: the code never shows in the chatter.
        self.assertFalse(mail.model)
        self.assertFalse(
            petition.message_ids.filtered(lambda m: code[:4] in (m.body or ""))
        )
        self.assertIn(petition.name, mail.body_html)
        self.assertIn(f"{code[:4]}-{code[4:8]}-{code[8:]}", mail.body_html)
        self.assertEqual(petition.online_event_ids.mapped("kind"), ["submitted"])

    def test_a_registered_id_number_opens_and_names_nobody(self):
        # Zhang's number typed by somebody else: the same answer as any
        # submission, no link to Zhang, his name nowhere on the new item.
        petition, code = self._submit(id_number=ID_ZHANG, name="冒名者")
        self.assertTrue(code)
        self.assertNotEqual(petition.petitioner_id, self.zhang)
        self.assertFalse(petition.petitioner_id.id_number)
        self.assertNotIn(self.zhang.name, str(petition.message_ids.mapped("body")))
        self.assertTrue(
            petition.message_ids.filtered(lambda m: "already registered" in m.body)
        )
        data = self.env["ir.attachment"].search(
            [
                ("res_model", "=", petition._name),
                ("res_id", "=", petition.id),
                ("name", "=", "Registration data as typed online.txt"),
            ]
        )
        self.assertIn(ID_ZHANG, data.raw.decode())

    def test_codes_are_not_readable_nor_writable(self):
        petition, code = self._submit()
        # Nobody of the office reads the fingerprint, nobody writes it.
        with self.assertRaises(AccessError):
            petition.with_user(self.manager).read(["query_code_digest"])
        digest = petition._xinfang_code_digest("AAAAAAAAAAAA")
        with self.assertRaises(AccessError):
            petition.with_user(self.manager).write({"query_code_digest": digest})
        with self.assertRaises(UserError):
            petition.with_user(self.manager).write(
                {"query_code_date": fields.Datetime.now() + timedelta(days=1)}
            )

    def test_anonymous_submission(self):
        petition, _code = self._submit(anonymous=True, name="", email="x@example.com")
        self.assertTrue(petition.anonymous)
        self.assertFalse(petition.petitioner_id)
        # No address kept, nothing sent.
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "=", "x@example.com")])
        )

    def test_bad_input_is_refused_and_nothing_stored(self):
        before = self.Petition.search_count([])
        cases = [
            ({"subject": ""}, "subject"),
            ({"content": ""}, "content"),
            ({"name": ""}, "your name"),
            ({"rights": False}, "rights and duties"),
            ({"consent": False}, "personal data"),
            ({"content": "长" * 20000}, "too long"),
            ({"id_number": "110108196203150042"}, "check digit"),
            ({"phone": "12345"}, "phone number"),
            ({"category_id": self.cat_quality.id + 10**6}, "category"),
            ({"request_nature": "<script>"}, "nature"),
        ]
        for values, words in cases:
            with self.subTest(values=str(values)[:40]):
                with self.assertRaises(ValidationError) as caught:
                    self._submit(**values)
                self.assertIn(words.lower(), str(caught.exception).lower())
        files_cases = [
            ([("virus.jpg", EXE)], "content does not match"),
            ([("run.exe", EXE)], "accepted type"),
            ([("a.png", PNG)] * 6, "at most 5 files"),
            ([("empty.pdf", b"")], "empty"),
        ]
        for files, words in files_cases:
            with self.subTest(files=files[0][0]):
                with self.assertRaises(ValidationError) as caught:
                    self._submit(files=files)
                self.assertIn(words, str(caught.exception))
        self.company.xinfang_online_max_file_mb = 1
        with self.assertRaises(ValidationError):
            self._submit(files=[("big.pdf", PDF + b"0" * (1024 * 1024))])
        self.assertEqual(self.Petition.search_count([]), before)

    def test_markup_is_stored_as_text(self):
        script = '<script>alert("x")</script><b>粗体</b>'
        petition, _code = self._submit(subject=script, content=script, name=script)
        self.assertEqual(petition.subject, script)
        self.assertEqual(petition.petitioner_id.name, script)
        self.assertEqual(petition._xinfang_online_status()["subject"], script)

    def test_limits_per_address_minute_and_person(self):
        self.company.xinfang_online_ip_hourly = 2
        self._submit(id_number=False, phone="13900000001")
        self._submit(id_number=False, phone="13900000002")
        with self.assertRaisesRegex(UserError, "your network"):
            self._submit(id_number=False, phone="13900000003")
        # Another address is not stopped, until the minute's limit.
        self.company.xinfang_online_global_per_minute = 3
        self._submit(ip="198.51.100.7", id_number=False, phone="13900000004")
        with self.assertRaisesRegex(UserError, "arriving right now"):
            self._submit(ip="198.51.100.8", id_number=False, phone="13900000005")
        refused = self.env["xinfang.online.event"].search_count(
            [("kind", "=", "refused")]
        )
        self.assertEqual(refused, 2)
        # A minute later, per person and day: 3 with one ID number or phone.
        self.company.write(
            {"xinfang_online_ip_hourly": 0, "xinfang_online_global_per_minute": 0}
        )
        for phone in ("13700000002", "137 0000 0002", "+86 137 0000 0002"):
            self._submit(id_number=False, phone=phone)
        with self.assertRaisesRegex(UserError, "ID number or phone"):
            self._submit(id_number=False, phone="13700000002")
        for phone in ("13600000001", "13600000002", "13600000003"):
            self._submit(id_number=ID_QIAN, phone=phone)
        with self.assertRaisesRegex(UserError, "ID number or phone"):
            self._submit(id_number=ID_QIAN.lower(), phone="13600000009")
        # Anonymous items give neither: only the address limits apply.
        self._submit(anonymous=True, name="", id_number=ID_QIAN)
        # The next day of the office, the cap starts again.
        with freeze_time(fields.Datetime.now() + timedelta(days=1)):
            self._submit(id_number=ID_QIAN, phone="13700000009")

    def test_query_finds_only_the_item_of_the_code(self):
        first, code = self._submit()
        second, code2 = self._submit(phone="13912345679", id_number=False)
        found = self._query(first.name, code, "1.1.1.1")
        self.assertEqual(found, first)
        # Spaces, dashes and small letters are the same code.
        spaced = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
        self.assertEqual(normalize_code(spaced), code)
        self.assertEqual(
            self._query(first.name, spaced, "1.1.1.1"),
            first,
        )
        # Another item's number with this code, a guessed code, a number
        # that does not exist: one message.
        messages = set()
        for number, given in (
            (second.name, code),
            (first.name, code2),
            (first.name, "ABCDEFGHJKMN"),
            ("XF2099-99999", code),
            (first.name, ""),
        ):
            with self.assertRaises(UserError) as caught:
                self._query(number, given, "2.2.2.2")
            messages.add(str(caught.exception))
        self.assertEqual(len(messages), 1)
        # An item of another company is not found from this company's page.
        other = self.env["res.company"].create({"name": "Other hospital"})
        with self.assertRaises(UserError):
            self._query(first.name, code, "3.3.3.3", company=other)
        # An item never given a code is never found, whatever is typed.
        with self.assertRaises(UserError):
            self._query(self.p_medical.name, "", "4.4.4.4")
        logged = first.online_event_ids.mapped("kind")
        self.assertEqual(logged.count("query"), 2)

    def test_lock_out_per_number_and_per_address(self):
        petition, code = self._submit()

        def query(number, given, ip):
            return self.Petition._xinfang_online_query(self.company, number, given, ip)

        for attempt in range(5):
            found, error = query(petition.name, "WRONGCODE2", f"10.0.0.{attempt}")
            self.assertFalse(found)
            self.assertIn("do not match", error)
        # The number is locked, even with the right code, from any address.
        found, error = query(petition.name, code, "10.9.9.9")
        self.assertFalse(found)
        self.assertIn("paused for 30 minutes", error)
        # Guessing numbers from one address locks that address.
        for attempt in range(5):
            self.assertFalse(
                query(f"XF2026-{attempt:05d}", "WRONGCODE2", "172.16.0.1")[0]
            )
        other, other_code = self._submit(phone="13912340000", id_number=False)
        found, error = query(other.name, other_code, "172.16.0.1")
        self.assertIn("paused", error)
        # Elsewhere the other item opens.
        self.assertEqual(query(other.name, other_code, "172.16.0.2")[0], other)
        kinds = self.env["xinfang.online.event"].search([]).mapped("kind")
        self.assertEqual(kinds.count("query_failed"), 10)
        self.assertEqual(kinds.count("locked"), 2)
        # Half an hour later, the right code opens the item.
        with freeze_time(fields.Datetime.now() + timedelta(minutes=31)):
            self.assertEqual(query(petition.name, code, "10.9.9.9")[0], petition)

    def test_status_shows_no_handler_and_released_notices_only(self):
        petition = self.p_concealed
        code = petition._xinfang_issue_query_code()
        petition.with_user(self.officer)._do_accept()
        status = petition._xinfang_online_status()
        self.assertIn("handled", status["state"])
        self.assertTrue(status["deadline"])
        self.assertFalse(status["documents"])
        # The office prints the acceptance notice, then releases it.
        report = self.env.ref("xinfang_module.xinfang_petition_report_acceptance")
        report.with_user(self.officer)._render_qweb_pdf(
            report.report_name, petition.ids
        )
        document = self.env["xinfang.document"].search(
            [("petition_id", "=", petition.id)]
        )
        # A handler cannot release it; the office can.
        with self.assertRaises(AccessError):
            document.with_user(self.handler).action_release_online()
        document.with_user(self.officer).action_release_online()
        status = petition._xinfang_online_status()
        self.assertEqual(status["documents"], document)
        self.assertTrue(document.online_copy)
        # The released copy names the petitioner: nobody reads it in the
        # back office, not even who may read the document.
        for user in (self.leader, self.officer, self.manager):
            with self.assertRaises(AccessError):
                document.with_user(user).read(["online_copy"])
            copies = (
                self.env["ir.attachment"]
                .with_user(user)
                .search([("res_model", "=", "xinfang.document")])
            )
            self.assertFalse(copies)
        # Kept in the document's table: no file Odoo would serve by its id.
        self.assertFalse(
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "xinfang.document"),
                    ("res_field", "=", "online_copy"),
                ]
            )
        )
        self.assertTrue(code)

    def test_material_added_online(self):
        petition, code = self._submit()
        petition.sudo().registrar_id = self.registrar
        petition._xinfang_online_supplement(
            "补充：收费单据", [("单据.png", PNG)], "5.5.5.5"
        )
        self.assertTrue(petition.supplement_pending)
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", petition._name), ("res_id", "=", petition.id)])
            .mapped("name")
        )
        self.assertIn("单据.png", names)
        self.assertTrue(any(name.endswith(".txt") for name in names))
        activity = petition.activity_ids.filtered(lambda a: a.user_id == self.registrar)
        self.assertTrue(activity)
        with self.assertRaises(ValidationError):
            petition._xinfang_online_supplement("", [], "5.5.5.5")
        with self.assertRaises(ValidationError):
            petition._xinfang_online_supplement("x", [("a.jpg", EXE)], "5.5.5.5")
        # The office marks it read; a handler cannot.
        with self.assertRaises(AccessError):
            petition.with_user(self.handler).action_supplement_read()
        with self.assertRaises(UserError):
            petition.with_user(self.officer).write({"supplement_pending": False})
        petition.with_user(self.officer).action_supplement_read()
        self.assertFalse(petition.supplement_pending)

    def test_rating_once_and_dissatisfied_is_verified(self):
        petition, code = self._submit()
        with self.assertRaisesRegex(UserError, "replied"):
            petition._xinfang_online_rate("satisfied", "", "6.6.6.6")
        petition.sudo()._xinfang_steps().write(
            {"state": "closed", "close_date": fields.Date.today()}
        )
        with self.assertRaises(ValidationError):
            petition._xinfang_online_rate("great", "", "6.6.6.6")
        callback = petition._xinfang_online_rate("dissatisfied", "没有解决", "6.6.6.6")
        self.assertEqual(callback.method, "online")
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.rating, "dissatisfied")
        self.assertTrue(callback.verification_deadline)
        self.assertTrue(
            callback.activity_ids.filtered(lambda a: a.user_id == self.manager)
        )
        with self.assertRaisesRegex(UserError, "already rated"):
            petition._xinfang_online_rate("satisfied", "", "6.6.6.6")
        self.assertFalse(petition._xinfang_online_status()["can_rate"])
        # The rating counts in the office's callbacks, as made online.
        done = self.env["xinfang.callback"].search(
            [("petition_id", "=", petition.id), ("state", "=", "done")]
        )
        self.assertEqual(done.mapped("method"), ["online"])
        # The monthly bulletin counts it, with its source.
        Bulletin = self.env["xinfang.callback.bulletin"]
        bulletin = Bulletin.create(
            {
                "name": "test",
                "company_id": self.company.id,
                "month": callback.done_date.replace(day=1),
            }
        )
        bulletin.action_compute()
        self.assertEqual(bulletin.online_count, 1)
        self.assertEqual(bulletin.dissatisfied_count, 1)
        self.assertEqual(bulletin.case_ids.method, "online")

    def test_office_issues_a_new_code(self):
        petition, code = self._submit()
        with self.assertRaises(AccessError):
            petition.with_user(self.handler).action_regenerate_query_code()
        action = petition.with_user(self.officer).action_regenerate_query_code()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({"reason": "本人持身份证来访"})
        )
        action = wizard.action_issue()
        self.assertEqual(action["tag"], "display_notification")
        new = normalize_code(action["params"]["message"].split()[0])
        self.assertFalse("code" in wizard._fields)
        self.assertNotEqual(new, code)
        with self.assertRaises(UserError):
            self._query(petition.name, code, "7.7.7.7")
        self.assertEqual(
            self._query(petition.name, new, "7.7.7.8"),
            petition,
        )
        note = petition.message_ids.filtered(
            lambda m: "本人持身份证来访" in (m.body or "")
        )
        self.assertTrue(note)
        self.assertIn("code", petition.online_event_ids.mapped("kind"))
        # Another officer does not read the dialog.
        with self.assertRaises(AccessError):
            wizard.with_user(self.manager).read(["reason"])

    def test_nobody_of_the_office_rates_for_the_petitioner(self):
        petition, _code = self._submit()
        petition.sudo()._xinfang_steps().write({"state": "closed"})
        Callback = self.env["xinfang.callback"]
        values = {
            "petition_id": petition.id,
            "method": "online",
            "planned_date": fields.Date.today(),
            "rating": "satisfied",
        }
        for user in (self.officer, self.manager):
            with self.assertRaisesRegex(UserError, "petitioner's own"):
                Callback.with_user(user).create(values)
        phone = Callback.with_user(self.manager).create(dict(values, method="phone"))
        with self.assertRaisesRegex(UserError, "petitioner's own"):
            phone.with_user(self.manager).write({"method": "online"})
        # A planned phone callback does not stop the petitioner's rating.
        self.assertTrue(petition._xinfang_online_status()["can_rate"])
        online = petition._xinfang_online_rate("satisfied", "", "8.8.8.8")
        with self.assertRaisesRegex(UserError, "petitioner's own"):
            online.with_user(self.manager).write({"method": "phone"})

    def test_numbers_are_normalised_for_the_pause(self):
        petition, code = self._submit()
        self.company.xinfang_online_lockout_failures = 2
        for variant in (
            petition.name + " \t ",
            " " + petition.name.lower() + "\u3000",
        ):
            self.Petition._xinfang_online_query(
                self.company, variant, "WRONGCODE2", "9.9.9.1"
            )
        found, error = self.Petition._xinfang_online_query(
            self.company, f" {petition.name}\x00 ", code, "9.9.9.2"
        )
        self.assertFalse(found)
        self.assertIn("paused", error)

    def test_access_log_and_dialog_per_group(self):
        petition, _code = self._submit()
        self.p_confidential._xinfang_issue_query_code()
        self.Petition._xinfang_online_query(
            self.company, self.p_confidential.name, "WRONGCODE2", "7.7.7.9"
        )
        Event = self.env["xinfang.online.event"]
        secret = Event.search([("number", "=", self.p_confidential.name)])
        self.assertTrue(secret)
        # Nobody but the office reads the log, nobody writes it.
        for user in (self.registrar, self.handler, self.leader, self.discipline):
            with self.assertRaises(AccessError):
                Event.with_user(user).search_read([], ["ip"])
        mine = Event.with_user(self.officer).search([])
        self.assertIn(petition, mine.petition_id)
        self.assertFalse(mine & secret.filtered("petition_id"))
        self.assertIn(secret, Event.with_user(self.manager).search([]))
        for user in (self.officer, self.manager):
            with self.assertRaises(AccessError):
                Event.with_user(user).create(
                    {"company_id": self.company.id, "kind": "query"}
                )
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"ip": "1.2.3.4"})
        # The petition's own counter, and the dialog, are the office's.
        with self.assertRaises(AccessError):
            petition.with_user(self.handler).read(["online_event_count"])
        with self.assertRaises(AccessError):
            self.env["xinfang.query.code.wizard"].with_user(self.handler).create(
                {"petition_id": petition.id, "reason": "x"}
            )

    def test_settings_refuse_wrong_limits(self):
        with self.assertRaises(ValidationError):
            self.company.xinfang_online_max_files = -1
        with self.assertRaises(ValidationError):
            self.company.xinfang_online_file_types = "exe,bat"
        self.company.xinfang_online_file_types = "PDF, .png"
        self.assertEqual(self.company._xinfang_online_file_types(), ["pdf", "png"])
