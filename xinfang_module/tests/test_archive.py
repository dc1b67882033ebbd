import hashlib
import io
import json
import zipfile
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import XinfangCase


@tagged("post_install", "-at_install")
class TestArchive(XinfangCase):
    """Filing (G2): the filing limit and its watch, volumes numbered by year
    and class, the catalogue, and who may do what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.Volume = cls.env["xinfang.archive.volume"]
        cls.class_visit = cls.env.ref("xinfang_module.archive_class_visit")
        cls.class_letter = cls.env.ref("xinfang_module.archive_class_letter")
        cls.closed = cls._closed_items(3, channel="letter")

    @classmethod
    def _closed_items(cls, count, close_date=date(2026, 3, 2), **vals):
        """``count`` closed items, registered one day after another (the
        last first, so that the ids run against the date order)."""
        return cls.env["xinfang.petition"].concat(
            *reversed(
                [
                    cls._petition(
                        cls.zhang,
                        cls.cat_quality,
                        subject=f"归档测试 {index}",
                        state="closed",
                        close_date=close_date,
                        registration_date=datetime(2026, 1, 10 + index, 2),
                        **vals,
                    )
                    for index in reversed(range(count))
                ]
            )
        )

    def _file(self, petitions, user=None, **kwargs):
        petitions.with_user(user or self.officer)._do_file(**kwargs)

    # ------------------------------------------------------------------
    # The filing limit and its watch
    # ------------------------------------------------------------------

    def test_filing_deadline(self):
        item = self.closed[0]
        self.assertEqual(item.filing_deadline, date(2026, 4, 1))
        self.company.xinfang_filing_days = 10
        self.assertEqual(item.filing_deadline, date(2026, 3, 12))
        # In working days: 2026-03-02 is a Monday; 10 working days later.
        self.company.xinfang_filing_working = True
        self.assertEqual(item.filing_deadline, date(2026, 3, 16))
        self.assertFalse(self.p_medical.filing_deadline)

    def test_filing_watch(self):
        cron = self.env.ref("xinfang_module.ir_cron_deadline_watch")
        Supervision = self.env["xinfang.supervision"]
        items = self.closed
        self._file(items[2])

        def records(kind):
            return Supervision.search(
                [("petition_id", "in", items.ids), ("kind", "=", kind)]
            )

        with freeze_time("2026-03-30 02:00:00"):
            cron.method_direct_trigger()
        reminders = records("filing_reminder")
        # The filed item is not reminded; the others once, the office told.
        self.assertEqual(reminders.petition_id, items[:2])
        self.assertEqual(set(reminders.mapped("deadline")), {date(2026, 4, 1)})
        self.assertIn(self.officer, reminders.user_ids)
        self.assertNotIn(self.handler, reminders.user_ids)
        with freeze_time("2026-03-30 03:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(len(records("filing_reminder")), 2, "told once")
        self._file(items[1])
        with freeze_time("2026-04-02 02:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(records("filing_notice").petition_id, items[0])
        self.assertTrue(items[0].message_ids.filtered(lambda m: "逾期未归档" in m.body))

    def test_ledger_filters(self):
        Petition = self.env["xinfang.petition"]
        self._file(self.closed[0])
        with freeze_time("2026-04-05"):
            overdue = Petition.search(
                [
                    ("state", "=", "closed"),
                    ("filing_deadline", "<", "2026-04-05"),
                    ("id", "in", self.closed.ids),
                ]
            )
        self.assertEqual(overdue, self.closed[1:])

    # ------------------------------------------------------------------
    # Volumes and numbers
    # ------------------------------------------------------------------

    def test_file_numbers_in_date_order(self):
        items = self.closed
        self._file(items)
        volume = items.archive_volume_id
        self.assertEqual(len(volume), 1)
        self.assertEqual(
            (volume.year, volume.class_id, volume.number, volume.name),
            (2026, self.class_letter, 1, "2026-LX-001"),
        )
        self.assertEqual(volume.retention, "long")
        # Numbered by registration date, whatever the ids.
        self.assertEqual(items.mapped("archive_number"), [1, 2, 3])
        self.assertGreater(items[0].id, items[2].id)
        self.assertEqual(set(items.mapped("state")), {"filed"})
        self.assertEqual(items.archive_user_id, self.officer)
        self.assertEqual(volume.item_count, 3)
        self.assertIn("2026-LX-001", items[0].message_ids[:1].body)
        # A later filing goes on with the next number.
        more = self._closed_items(2, channel="email")
        self._file(more)
        self.assertEqual(more.archive_volume_id, volume)
        self.assertEqual(more.mapped("archive_number"), [4, 5])
        self.assertEqual(volume.last_number, 5)

    def test_class_by_channel_year_and_choice(self):
        visit = self._closed_items(1, channel="visit")
        older = self._closed_items(1, close_date=date(2025, 12, 30))
        self._file(visit | older | self.closed[0])
        self.assertEqual(visit.archive_volume_id.class_id, self.class_visit)
        self.assertEqual(visit.archive_volume_id.name, "2026-LF-001")
        self.assertEqual(older.archive_volume_id.name, "2025-LX-001")
        self.assertEqual(self.closed[0].archive_volume_id.name, "2026-LX-001")
        # The dialog files into the class the office chooses.
        wizard = (
            self.env["xinfang.archive.file.wizard"]
            .with_user(self.officer)
            .with_context(
                active_model="xinfang.petition", active_ids=self.closed[1].ids
            )
        )
        with Form(wizard) as form:
            self.assertEqual(form.petition_count, 1)
            form.class_id = self.class_visit
        form.record.action_file()
        self.assertEqual(self.closed[1].archive_volume_id, visit.archive_volume_id)
        self.assertEqual(self.closed[1].archive_number, 2)

    def test_item_filed_before_volumes_is_put_in_one(self):
        """Upgraded databases: an item filed without a volume is filed into
        one (once)."""
        old = self.closed[0]
        old._xinfang_steps().write({"state": "filed"})
        to_file = self.env["xinfang.petition"].search(
            [
                "|",
                ("state", "=", "closed"),
                "&",
                ("state", "=", "filed"),
                ("archive_volume_id", "=", False),
            ]
        )
        self.assertIn(old, to_file)
        self._file(old)
        self.assertEqual((old.state, old.archive_number), ("filed", 1))
        with self.assertRaisesRegex(UserError, "already filed"):
            self._file(old)

    def test_closed_volume_opens_the_next(self):
        self._file(self.closed[0])
        first = self.closed[0].archive_volume_id
        first.with_user(self.officer).action_close()
        self._file(self.closed[1])
        second = self.closed[1].archive_volume_id
        self.assertNotEqual(second, first)
        self.assertEqual((second.number, second.name), (2, "2026-LX-002"))
        self.assertEqual(self.closed[1].archive_number, 1)

    def test_bad_filings_refused(self):
        with self.assertRaisesRegex(UserError, "cannot be filed"):
            self._file(self.p_medical)
        self._file(self.closed[0])
        with self.assertRaisesRegex(UserError, "already filed, in volume 2026-LX-001"):
            self._file(self.closed[0])
        volume = self.closed[0].archive_volume_id
        volume.with_user(self.officer).action_close()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._file(self.closed[1], volume=volume)
        other = self.env["res.company"].create({"name": "Other Hospital (test)"})
        self.officer.company_ids |= other
        foreign = self.env["xinfang.petition"].create(
            {
                "company_id": other.id,
                "channel": "letter",
                "petitioner_id": self.env["xinfang.petitioner"]
                .create({"name": "赵六", "company_id": other.id})
                .id,
                "subject": "外院",
                "content": "内容",
                "state": "closed",
                "close_date": "2026-03-02",
            }
        )
        open_volume = self.Volume._xinfang_open_volume(
            self.company, 2026, self.class_visit
        )
        with self.assertRaisesRegex(UserError, "another company"):
            self._file(foreign, volume=open_volume)
        old = self._closed_items(1, close_date=date(2025, 6, 1))
        with self.assertRaisesRegex(UserError, "closed in 2025"):
            self._file(old, volume=open_volume)
        self.assertEqual(self.closed[1].state, "closed")

    def test_filing_is_the_office_step(self):
        for user in (self.registrar, self.handler, self.leader):
            with self.assertRaises(AccessError):
                self._file(self.closed[0], user=user)
        # No plain write files an item or moves it between volumes.
        self._file(self.closed[0])
        volume = self.closed[0].archive_volume_id
        for vals in (
            {"archive_volume_id": False},
            {"archive_number": 9},
            {"archive_date": "2026-01-01"},
        ):
            with self.assertRaisesRegex(UserError, "step"):
                self.closed[0].with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "step"):
            self.closed[1].with_user(self.officer).write(
                {"archive_volume_id": volume.id}
            )

    # ------------------------------------------------------------------
    # The volume's steps, per group
    # ------------------------------------------------------------------

    def test_volume_steps_per_group(self):
        self._file(self.closed)
        volume = self.closed.archive_volume_id
        # Read by the office, leaders and discipline; not by handlers.
        for user in (self.officer, self.leader, self.discipline, self.manager):
            self.assertEqual(volume.with_user(user).name, "2026-LX-001")
        for user in (self.handler, self.registrar, self.outsider):
            with self.assertRaises(AccessError):
                volume.with_user(user).read(["name"])
        # Leaders and discipline read only.
        for user in (self.leader, self.discipline):
            with self.assertRaises(AccessError):
                volume.with_user(user).write({"location": "柜1"})
            with self.assertRaises(AccessError):
                volume.with_user(user).action_close()
        volume.with_user(self.officer).write({"location": "档案柜 A-3"})
        # State, numbers and signatures only by their step.
        for vals in ({"state": "closed"}, {"last_number": 1}, {"checker_id": 1}):
            with self.assertRaisesRegex(UserError, "step"):
                volume.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "step"):
            self.Volume.with_user(self.officer).create(
                {"year": 2026, "class_id": self.class_visit.id, "number": 9}
            )
        with self.assertRaises(AccessError):
            volume.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            volume.sudo().unlink()
        # Close (officer), check (manager, not the compiler), transfer.
        with self.assertRaisesRegex(UserError, "cannot be transferred"):
            volume.with_user(self.officer).action_transfer()
        volume.with_user(self.officer).action_close()
        self.assertEqual((volume.state, volume.compiler_id), ("closed", self.officer))
        with self.assertRaisesRegex(UserError, "not checked"):
            volume.with_user(self.officer).action_transfer()
        with self.assertRaises(AccessError):
            volume.with_user(self.officer).action_check()
        volume.with_user(self.manager).action_check()
        self.assertEqual(volume.checker_id, self.manager)
        volume.with_user(self.officer).action_transfer()
        self.assertEqual(volume.state, "transferred")
        self.assertTrue(volume.transfer_date)

    def test_compiler_does_not_check(self):
        self._file(self.closed[0], user=self.manager)
        volume = self.closed[0].archive_volume_id
        volume.with_user(self.manager).action_close()
        with self.assertRaisesRegex(UserError, "another person"):
            volume.with_user(self.manager).action_check()

    def test_retention_class_code_and_one_volume(self):
        self._file(self.closed)
        volume = self.closed.archive_volume_id
        volume.with_user(self.officer).write({"retention": "short"})
        volume.with_user(self.officer).action_close()
        with self.assertRaisesRegex(UserError, "office manager only"):
            volume.with_user(self.officer).write({"retention": "three"})
        volume.with_user(self.manager).write({"retention": "three"})
        self.assertEqual(volume.retention_end, date(2029, 12, 31))
        with self.assertRaisesRegex(ValidationError, "already an archive class"):
            self.env["xinfang.archive.class"].create(
                {"name": "来访", "code": "LF", "company_id": self.company.id}
            )
        # A shared class takes no code a company's class has, whatever the
        # manager's current company.
        other = self.env["res.company"].create({"name": "Other (codes)"})
        self.manager.company_ids |= other
        self.env["xinfang.archive.class"].create(
            {"name": "本院", "code": "BY", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "already an archive class"):
            self.env["xinfang.archive.class"].with_user(self.manager).with_context(
                allowed_company_ids=[other.id]
            ).create({"name": "共享", "code": "BY"})
        other = self.Volume._xinfang_open_volume(self.company, 2026, self.class_visit)
        for method in ("action_package", "action_verify_package", "action_view_items"):
            with self.assertRaisesRegex(UserError, "Choose one volume"):
                getattr((volume | other).with_user(self.officer), method)()

    def test_empty_volume_not_closed(self):
        volume = self.Volume._xinfang_open_volume(self.company, 2026, self.class_visit)
        with self.assertRaisesRegex(UserError, "holds no item"):
            volume.with_user(self.officer).action_close()

    def test_catalogue_columns_fixed_when_closed(self):
        self._file(self.closed)
        item = self.closed[0]
        item.with_user(self.officer).write(
            {"archive_pages": 12, "archive_remarks": "原件"}
        )
        with self.assertRaises(AccessError):
            item.with_user(self.handler).write({"archive_pages": 3})
        with self.assertRaisesRegex(UserError, "not filed"):
            self.p_medical.with_user(self.officer).write({"archive_pages": 3})
        item.archive_volume_id.with_user(self.officer).action_close()
        with self.assertRaisesRegex(UserError, "catalogue is fixed"):
            item.with_user(self.manager).write({"archive_pages": 13})
        self.assertEqual(item.archive_pages, 12)

    # ------------------------------------------------------------------
    # The catalogue
    # ------------------------------------------------------------------

    def test_catalogue_hides_what_the_reader_may_not_open(self):
        secret = self._closed_items(1, category_id=self.cat_accusation.id)
        secret.subject = "举报采购收受回扣"
        self._file(self.closed | secret, user=self.manager)
        volume = secret.archive_volume_id
        self.assertEqual(volume, self.closed.archive_volume_id)
        report = self.env["ir.actions.report"]

        def render(user):
            html, _kind = report.with_user(user)._render_qweb_html(
                "xinfang_module.report_archive_volume", volume.ids
            )
            return html.decode()

        as_officer = render(self.officer)
        self.assertIn("归档测试 0", as_officer)
        self.assertNotIn("举报采购收受回扣", as_officer)
        self.assertIn(secret.name, as_officer, "the number stays in the list")
        self.assertIn("2026-LX-001", as_officer)
        self.assertIn("举报采购收受回扣", render(self.discipline))
        self.assertIn("举报采购收受回扣", render(self.manager))
        with self.assertRaises(AccessError):
            render(self.handler)

    def test_filing_queries_do_not_grow_with_the_volume(self):
        """Filing a batch costs the same queries into a volume of 3 items
        as into one of 23."""
        self._file(self.closed)
        first = self._closed_items(4)
        second = self._closed_items(4)
        self._file(self._closed_items(20))
        self.env.invalidate_all()

        def count(items):
            self.env.flush_all()
            start = self.cr.sql_log_count
            self._file(items)
            self.env.flush_all()
            return self.cr.sql_log_count - start

        before = count(first)
        self.env.invalidate_all()
        self.assertEqual(count(second), before)


@tagged("post_install", "-at_install")
class TestArchiveTour(HttpCase):
    def test_officer_files_and_prints_the_catalogue(self):
        officer = new_test_user(
            self.env,
            login="xf_tour_archivist",
            groups="base.group_user,xinfang_module.group_xinfang_officer",
            tz="Asia/Shanghai",
        )
        petition = self.env["xinfang.petition"].create(
            {
                "channel": "letter",
                "petitioner_id": self.env["xinfang.petitioner"]
                .create({"name": "钱七"})
                .id,
                "subject": "住院押金退还缓慢",
                "content": "出院一个月押金仍未退还。",
                "state": "closed",
                "close_date": "2026-11-20",
            }
        )
        self.start_tour("/odoo", "xinfang_archive_file", login=officer.login)
        volume = petition.archive_volume_id
        self.assertEqual(petition.state, "filed")
        self.assertEqual((petition.archive_number, petition.archive_pages), (1, 7))
        self.assertEqual((volume.state, volume.compiler_id), ("closed", officer))
        # The catalogue, printed as the officer.
        self.authenticate(officer.login, officer.login)
        response = self.url_open(
            f"/report/pdf/xinfang_module.report_archive_volume/{volume.id}"
        )
        self.assertEqual(response.status_code, 200)
        content = response.content
        if content.startswith(b"%PDF"):
            self.assertGreater(len(content), 1000)
        else:  # Odoo renders reports as HTML under tests.
            text = content.decode()
            self.assertIn("Catalogue of the Volume", text)
            self.assertIn("住院押金退还缓慢", text)
            self.assertIn(volume.name, text)


@tagged("post_install", "-at_install")
class TestArchivePackage(XinfangCase):
    """The durable copy of a volume: written, verified, a tampered file
    found; confidential material only for discipline and the manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Petition = cls.env["xinfang.petition"]
        cls.items = Petition
        for index, category in enumerate(
            (cls.cat_quality, cls.cat_nursing, cls.cat_accusation)
        ):
            cls.items |= cls._petition(
                cls.zhang,
                category,
                subject=f"存档 {index}",
                state="closed",
                close_date=date(2026, 3, 2),
            )
        cls.secret = cls.items[2]
        cls.env["ir.attachment"].create(
            [
                {
                    "name": f"材料{index}.txt",
                    "raw": f"第{index}件的材料".encode(),
                    "res_model": "xinfang.petition",
                    "res_id": item.id,
                }
                for index, item in enumerate(cls.items)
            ]
        )
        cls.items.with_user(cls.manager)._do_file()
        cls.volume = cls.items.archive_volume_id
        cls.volume.with_user(cls.officer).action_close()

    def _zip(self, volume=None):
        attachment = (volume or self.volume).package_attachment_id.sudo()
        return zipfile.ZipFile(io.BytesIO(attachment.raw))

    def test_officer_copy_withholds_confidential_items(self):
        action = self.volume.with_user(self.officer).action_package()
        # Told at once what the copy leaves out.
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("; 1 item(s) you may not read", action["params"]["message"])
        volume = self.volume
        self.assertEqual(volume.package_withheld, 1)
        self.assertEqual(volume.with_user(self.officer).item_hidden_count, 1)
        self.assertEqual(volume.with_user(self.manager).item_hidden_count, 0)
        download = volume.with_user(self.officer).action_download_package()
        self.assertEqual(download["type"], "ir.actions.act_url")
        self.assertEqual(volume.package_user_id, self.officer)
        self.assertFalse(volume.package_confidential)
        with self._zip() as archive:
            names = set(archive.namelist())
            index = json.loads(archive.read("index.json"))
            self.assertIn("catalogue.pdf", names)
            self.assertIn("0001/files/材料0.txt", names)
            self.assertEqual(
                archive.read("0002/files/材料1.txt").decode(), "第1件的材料"
            )
            self.assertNotIn("0003/record.json", names)
            self.assertFalse(any("材料2" in name for name in names))
            record = json.loads(archive.read("0001/record.json"))
        self.assertEqual(record["subject"], "存档 0")
        self.assertEqual(record["petitioner"], "张建华")
        self.assertEqual(index["made_by"]["login"], self.officer.login)
        self.assertEqual(
            [item["included"] for item in index["items"]], [True, True, False]
        )
        self.assertEqual(
            volume.package_sha256,
            hashlib.sha256(volume.package_attachment_id.sudo().raw).hexdigest(),
        )
        # The office opens it; not leaders or discipline: its originals name
        # the petitioners of concealed items.
        self.assertEqual(volume.package_scope, "office")
        attachment = volume.package_attachment_id
        attachment.with_user(self.officer).check("read")
        for user in (self.leader, self.discipline, self.handler):
            with self.assertRaises(AccessError):
                attachment.with_user(user).check("read")
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(self.leader)
            .search([("id", "=", attachment.id)])
        )

    def test_copies_are_opened_by_readers_of_what_they_hold(self):
        # The office manager's copy holds ordinary and confidential items:
        # the office manager's only.
        self.volume.with_user(self.manager).action_package()
        attachment = self.volume.package_attachment_id
        self.assertTrue(self.volume.package_confidential)
        self.assertEqual(attachment.sudo().xinfang_restricted, "manager")
        with self._zip() as archive:
            self.assertEqual(
                archive.read("0003/files/材料2.txt").decode(), "第2件的材料"
            )
        for user in (self.officer, self.leader, self.discipline):
            with self.assertRaisesRegex(AccessError, "beyond what you may read"):
                attachment.with_user(user).check("read")
            self.assertFalse(
                self.env["ir.attachment"]
                .with_user(user)
                .search([("id", "=", attachment.id)])
            )
            with self.assertRaises(AccessError):
                self.volume.with_user(user).action_download_package()
        # Discipline writes and verifies copies of what it reads (the
        # confidential item): opened by discipline, not by the office.
        self.volume.with_user(self.discipline).action_package()
        self.assertEqual(self.volume.package_user_id, self.discipline)
        self.assertEqual(self.volume.package_scope, "discipline")
        self.volume.with_user(self.discipline).action_verify_package()
        self.assertEqual(self.volume.package_check_result, "intact")
        with self._zip() as archive:
            self.assertIn("0003/record.json", archive.namelist())
            self.assertNotIn("0001/record.json", archive.namelist())
        attachment = self.volume.package_attachment_id
        attachment.with_user(self.discipline).check("read")
        with self.assertRaises(AccessError):
            attachment.with_user(self.officer).check("read")
        # Nobody but the superuser marks a file restricted or lifts it.
        with self.assertRaises(UserError):
            attachment.with_user(self.manager).write({"xinfang_restricted": False})
        with self.assertRaisesRegex(UserError, "not copied"):
            self.env["ir.attachment"].with_user(self.manager).create(
                {"name": "x.txt", "raw": b"x", "xinfang_restricted": "office"}
            )
        # Copying a copy would copy it without its restriction.
        with self.assertRaisesRegex(UserError, "not copied"):
            attachment.with_user(self.discipline).copy()
        # An item made confidential later: its volume's copies are the
        # office manager's from then on.
        self.volume.with_user(self.officer).action_package()
        office_copy = self.volume.package_attachment_id
        self.assertEqual(self.volume.package_scope, "office")
        self.items[0]._xinfang_steps().write({"confidential": True})
        self.assertEqual(office_copy.sudo().xinfang_restricted, "manager")
        self.assertEqual(self.volume.package_scope, "manager")
        with self.assertRaises(AccessError):
            office_copy.with_user(self.officer).check("read")

    def test_verify_intact_and_tampered(self):
        self.volume.with_user(self.officer).action_package()
        self.volume.with_user(self.officer).action_verify_package()
        self.assertEqual(self.volume.package_check_result, "intact")
        # Someone changes a file of the copy on disk.
        attachment = self.volume.package_attachment_id.sudo()
        path = attachment._full_path(attachment.store_fname)
        with zipfile.ZipFile(path) as original:
            members = {name: original.read(name) for name in original.namelist()}
        members["0001/files/材料0.txt"] = "改过的材料".encode()
        with zipfile.ZipFile(path, "w") as tampered:
            for name, content in members.items():
                tampered.writestr(name, content)
        with open(path, "rb") as stream:
            tampered_bytes = stream.read()
        result = self.volume.with_user(self.officer).action_verify_package()
        self.assertEqual(self.volume.package_check_result, "differs")
        message = result["params"]["message"]
        self.assertIn("0001/files/材料0.txt", message)
        self.assertIn("SHA-256", message)
        self.assertNotIn("0002/files", message)
        # Reported, not repaired.
        with open(path, "rb") as stream:
            self.assertEqual(stream.read(), tampered_bytes)

    def test_who_writes_a_copy(self):
        open_volume = self.env["xinfang.archive.volume"]._xinfang_open_volume(
            self.company, 2026, self.env.ref("xinfang_module.archive_class_visit")
        )
        with self.assertRaisesRegex(UserError, "compiled volume"):
            open_volume.with_user(self.officer).action_package()
        for user in (self.leader, self.handler):
            with self.assertRaises(AccessError):
                self.volume.with_user(user).action_package()
        with self.assertRaisesRegex(UserError, "step"):
            self.volume.with_user(self.manager).write({"package_sha256": "0" * 64})
        # The copy is the volume's evidence: not deleted but by the admin.
        self.volume.with_user(self.officer).action_package()
        with self.assertRaises(UserError):
            self.volume.package_attachment_id.with_user(self.manager).unlink()


@tagged("post_install", "-at_install")
class TestArchiveLoan(XinfangCase):
    """Borrowing: by letter, approved (discipline too for confidential
    material), read by the borrower during the loan only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        Petitioner = cls.env["xinfang.petitioner"]
        cls.person = Petitioner.create({"name": "孙八"})
        cls.secret_person = Petitioner.create({"name": "周九"})
        cls.item = cls._petition(
            cls.person,
            cls.cat_nursing,
            subject="借阅测试",
            state="closed",
            close_date=date(2026, 3, 2),
            conceal_identity=True,
        )
        cls.secret = cls._petition(
            cls.secret_person,
            cls.cat_accusation,
            subject="保密借阅测试",
            state="closed",
            close_date=date(2026, 3, 2),
        )
        (cls.item | cls.secret).with_user(cls.manager)._do_file()
        # A leader outside the office borrows.
        cls.borrower = cls.leader

    def _loan(self, items, **vals):
        return (
            self.env["xinfang.archive.loan"]
            .with_user(self.officer)
            .create(
                {
                    "requester_id": self.borrower.id,
                    "letter_ref": "院办函〔2026〕12号",
                    "purpose": "复核处理情况",
                    "due_date": "2026-12-20",
                    "petition_ids": [(6, 0, items.ids)],
                    **vals,
                }
            )
        )

    def _readable(self, user, item):
        return bool(item.with_user(user)._filtered_access("read"))

    @freeze_time("2026-12-01 02:00:00")
    def test_borrower_reads_during_the_loan_only(self):
        loan = self._loan(self.item)
        self.assertFalse(self._readable(self.handler, self.item))
        self.borrower = self.handler
        loan = self._loan(self.item)
        loan.action_submit()
        self.assertEqual(loan.state, "requested")
        self.assertFalse(loan.needs_discipline)
        with self.assertRaises(AccessError):
            loan.with_user(self.officer).action_approve()
        loan.with_user(self.manager).action_approve()
        self.assertEqual(
            (loan.state, loan.manager_approver_id), ("approved", self.manager)
        )
        self.assertFalse(self._readable(self.handler, self.item), "not before lent")
        loan.with_user(self.officer).action_lend()
        # The handler of another department reads the lent item, read only.
        self.assertTrue(self._readable(self.handler, self.item))
        with self.assertRaises(AccessError):
            self.item.with_user(self.handler).write({"archive_remarks": "x"})
        # Never the identity the item conceals from handlers.
        self.assertFalse(
            self.person.with_user(self.handler)._filtered_access("read"),
            "the concealed petitioner stays hidden",
        )
        # The borrower reads their own loan, not others', and reaches the
        # lent items from it.
        self.assertEqual(loan.with_user(self.handler).name, loan.name)
        borrowed = loan.with_user(self.handler)
        self.assertEqual(
            borrowed.read(["petition_ids"])[0]["petition_ids"], self.item.ids
        )
        action = borrowed.action_view_items()
        self.assertEqual(
            self.env["xinfang.petition"]
            .with_user(self.handler)
            .search(action["domain"]),
            self.item,
        )
        with freeze_time("2026-12-21 02:00:00"):
            self.env.invalidate_all()
            self.assertFalse(self._readable(self.handler, self.item), "after the date")
        loan.with_user(self.officer).action_return()
        self.env.invalidate_all()
        self.assertFalse(self._readable(self.handler, self.item), "after the return")

    @freeze_time("2026-12-01 02:00:00")
    def test_confidential_loan_needs_discipline_as_another_person(self):
        loan = self._loan(self.secret)
        loan.action_submit()
        self.assertTrue(loan.needs_discipline)
        loan.with_user(self.manager).action_approve()
        self.assertEqual(loan.state, "requested")
        with self.assertRaisesRegex(UserError, "another approver"):
            loan.with_user(self.manager).action_approve()
        loan.with_user(self.discipline).action_approve()
        self.assertEqual(loan.state, "approved")
        self.assertEqual(loan.discipline_approver_id, self.discipline)
        loan.with_user(self.officer).action_lend()
        self.assertTrue(self._readable(self.leader, self.secret))
        # The leader still may not read the confidential item's petitioner.
        self.assertFalse(
            self.secret_person.with_user(self.leader)._filtered_access("read")
        )

    @freeze_time("2026-12-01 02:00:00")
    def test_bad_loans_refused(self):
        with self.assertRaisesRegex(UserError, "return date has passed"):
            self._loan(
                self.item, due_date="2026-11-30", request_date="2026-11-01"
            ).action_submit()
        with self.assertRaisesRegex(UserError, "Only filed items"):
            self._loan(self.p_medical).action_submit()
        with self.assertRaises(ValidationError):
            self._loan(self.item, requester_id=self.outsider.id)
        # The person an item accuses never borrows it.
        self.item.accused_department_id = self.dept_medical
        self.borrower = self.handler
        with self.assertRaisesRegex(UserError, "accused"):
            self._loan(self.item).action_submit()
        # A requested loan follows its steps: no plain write.
        self.borrower = self.leader
        loan = self._loan(self.secret)
        loan.action_submit()
        with self.assertRaisesRegex(UserError, "draft"):
            loan.with_user(self.officer).write({"due_date": "2027-12-31"})
        with self.assertRaisesRegex(UserError, "step"):
            loan.with_user(self.manager).write({"state": "lent"})
        for user in (self.leader, self.handler, self.registrar):
            with self.assertRaises(AccessError):
                self.env["xinfang.archive.loan"].with_user(user).create(
                    {
                        "requester_id": user.id,
                        "letter_ref": "x",
                        "purpose": "x",
                        "due_date": "2026-12-20",
                    }
                )
        with self.assertRaises(AccessError):
            loan.with_user(self.manager).unlink()

    @freeze_time("2026-12-01 02:00:00")
    def test_what_a_lent_item_never_shows(self):
        """The borrower reads no identity their role hides (also a person
        they know from another item), no item that became confidential or
        accuses them after it was lent; two office managers are not
        discipline; an open volume is not lent."""
        # The leader knows the person from an ordinary item.
        ordinary = self._petition(
            self.secret_person, self.cat_quality, subject="普通件"
        )
        self.assertTrue(
            self.secret_person.with_user(self.leader)._filtered_access("read")
        )
        loan = self._loan(self.secret)
        loan.action_submit()
        second_manager = self.env["res.users"].create(
            {
                "name": "xf_t_manager2",
                "login": "xf_t_manager2",
                "groups_id": [
                    (6, 0, [self.env.ref("xinfang_module.group_xinfang_manager").id])
                ],
            }
        )
        loan.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "another approver"):
            loan.with_user(second_manager).action_approve()
        loan.with_user(self.discipline).action_approve()
        loan.with_user(self.officer).action_lend()
        self.env.invalidate_all()
        self.assertTrue(self._readable(self.leader, self.secret))
        self.assertFalse(
            self.secret_person.with_user(self.leader)._filtered_access("read"),
            "hidden once a concealed item of theirs was lent",
        )
        self.assertTrue(self._readable(self.leader, ordinary))
        # An item lent plain becomes confidential, or accuses the borrower.
        self.borrower = self.handler
        plain = self._loan(self.item)
        plain.action_submit()
        plain.with_user(self.manager).action_approve()
        plain.with_user(self.officer).action_lend()
        self.assertTrue(self._readable(self.handler, self.item))
        self.item.accused_department_id = self.dept_medical
        self.env.invalidate_all()
        self.assertFalse(self._readable(self.handler, self.item))
        self.item.accused_department_id = False
        self.item._xinfang_steps().write({"confidential": True})
        self.env.invalidate_all()
        self.assertFalse(self._readable(self.handler, self.item))
        # Open volumes still take items: not lent.
        volume = self.env["xinfang.archive.volume"]._xinfang_open_volume(
            self.company, 2026, self.env.ref("xinfang_module.archive_class_visit")
        )
        with self.assertRaisesRegex(UserError, "compiled volumes"):
            self._loan(
                self.env["xinfang.petition"], volume_ids=[(6, 0, volume.ids)]
            ).action_submit()

    def test_return_reminders(self):
        with freeze_time("2026-12-01 02:00:00"):
            loan = self._loan(self.item, due_date="2026-12-10")
            loan.action_submit()
            loan.with_user(self.manager).action_approve()
            loan.with_user(self.officer).action_lend()
        cron = self.env.ref("xinfang_module.ir_cron_archive_loan_reminders")

        def activities():
            return loan.activity_ids.filtered(lambda a: a.user_id == self.borrower)

        with freeze_time("2026-12-08 02:00:00"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(len(activities()), 1, "reminded once")
        self.assertEqual(loan.reminded_date, date(2026, 12, 8))
        with freeze_time("2026-12-11 02:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(loan.overdue_notice_date, date(2026, 12, 11))
        self.assertIn(self.officer, loan.activity_ids.user_id)
        self.assertEqual(len(activities()), 2)

    @freeze_time("2026-12-01 02:00:00")
    def test_loan_register(self):
        loan = self._loan(self.item | self.secret)
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html("xinfang_module.report_archive_loans", loan.ids)
        )
        html = html.decode()
        self.assertIn("借阅测试", html)
        self.assertIn(self.secret.name, html)
        self.assertNotIn("保密借阅测试", html)


@tagged("post_install", "-at_install")
class TestArchiveDestruction(XinfangCase):
    """Retention ends, a list is approved, destruction keeps the metadata,
    stops at legal holds and resumes after an interruption."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        Petition = cls.env["xinfang.petition"]
        cls.items = Petition
        for index in range(5):
            cls.items |= cls._petition(
                cls.zhang,
                cls.cat_quality,
                subject=f"销毁测试 {index}",
                state="closed",
                close_date=date(2020, 3, 2),
            )
        cls.env["ir.attachment"].create(
            [
                {
                    "name": f"原件{index}.txt",
                    "raw": f"第{index}件".encode(),
                    "res_model": "xinfang.petition",
                    "res_id": item.id,
                }
                for index, item in enumerate(cls.items)
            ]
        )
        cls.items.with_user(cls.officer)._do_file()
        cls.volume = cls.items.archive_volume_id
        cls.volume.sudo()._xinfang_steps().write({"retention": "three"})
        cls.volume.with_user(cls.officer).action_close()
        cls.cron = cls.env.ref("xinfang_module.ir_cron_archive_retention_watch")

    def _list(self):
        with freeze_time("2026-12-01 02:00:00"):
            self.cron.method_direct_trigger()
        return self.env["xinfang.archive.destruction"].search(
            [("volume_ids", "in", self.volume.ids)]
        )

    def _files(self, items):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "xinfang.petition"), ("res_id", "in", items.ids)]
        )

    def test_retention_watch_lists_once(self):
        self.assertEqual(self.volume.retention_end, date(2023, 12, 31))
        destruction = self._list()
        self.assertEqual(destruction.state, "draft")
        self.assertEqual(destruction.volume_ids, self.volume)
        self.assertIn(self.manager, destruction.activity_ids.user_id)
        self.assertEqual(self._list(), destruction, "listed once")
        # A volume still within its period is not listed.
        self.volume.sudo()._xinfang_steps().write({"retention": "permanent"})
        self.assertFalse(self.volume.retention_end)

    def test_approval_and_destruction(self):
        destruction = self._list().with_user(self.officer)
        destruction.action_submit()
        self.assertTrue(destruction.leader_needed)
        with self.assertRaisesRegex(UserError, "office manager approves"):
            destruction.with_user(self.leader).action_approve()
        with self.assertRaises(AccessError):
            destruction.with_user(self.officer).action_approve()
        destruction.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "cannot be carried out"):
            destruction.action_destroy()
        with self.assertRaisesRegex(UserError, "leader"):
            destruction.with_user(self.manager).action_approve()
        destruction.with_user(self.leader).action_approve()
        self.assertEqual(destruction.state, "approved")
        self.assertEqual(destruction.approved_item_ids, self.items)
        destruction.action_destroy()
        self.assertEqual(destruction.state, "done")
        self.assertEqual(self.volume.state, "destroyed")
        files = self._files(self.items)
        self.assertEqual(len(files), 5, "the metadata stays")
        self.assertEqual(set(files.mapped("file_size")), {0})
        self.assertFalse(any(files.mapped("raw")))
        self.assertTrue(all(self.items.mapped("archive_destroyed_date")))
        self.assertEqual(self.items.archive_destruction_id, destruction)
        self.assertEqual(self.items.mapped("state"), ["filed"] * 5, "items kept")

    def test_one_company(self):
        other = self.env["res.company"].create({"name": "Other Hospital (arch)"})
        self.officer.company_ids |= other
        Destruction = self.env["xinfang.archive.destruction"].with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "own company"):
            Destruction.with_context(
                allowed_company_ids=[other.id, self.company.id]
            ).create({"company_id": other.id, "volume_ids": [(6, 0, self.volume.ids)]})

    def test_retention_checked_again(self):
        self.company.xinfang_destruction_leader = False
        destruction = self._list().with_user(self.officer)
        destruction.action_submit()
        destruction.with_user(self.manager).action_approve()
        # The retention lengthened after approval: nothing is destroyed.
        self.volume.with_user(self.manager).write({"retention": "permanent"})
        with self.assertRaisesRegex(UserError, "within its retention period"):
            destruction.action_destroy()
        self.env.ref("xinfang_module.ir_cron_archive_destroy").method_direct_trigger()
        self.assertEqual(destruction.state, "approved")
        self.assertTrue(all(self._files(self.items).mapped("raw")))

    def test_without_leader_when_the_settings_say_so(self):
        self.company.xinfang_destruction_leader = False
        destruction = self._list().with_user(self.officer)
        destruction.action_submit()
        destruction.with_user(self.manager).action_approve()
        self.assertEqual(destruction.state, "approved")

    def test_not_without_approval_and_not_early(self):
        destruction = self._list().with_user(self.officer)
        with self.assertRaisesRegex(UserError, "cannot be carried out"):
            destruction.action_destroy()
        self.assertTrue(all(self._files(self.items).mapped("raw")))
        early = (
            self.env["xinfang.archive.destruction"]
            .with_user(self.officer)
            .create({"petition_ids": [(6, 0, self.p_medical.ids)]})
        )
        with self.assertRaisesRegex(UserError, "retention period"):
            early.action_submit()
        with self.assertRaisesRegex(UserError, "step"):
            destruction.with_user(self.manager).write({"state": "approved"})

    def test_interrupted_run_resumes_and_holds_are_kept(self):
        self.company.xinfang_destruction_leader = False
        held_by_discipline, held_by_loan = self.items[0], self.items[1]
        # Discipline's hold (the office manager is of discipline too).
        held_by_discipline.with_user(self.manager).action_legal_hold()
        self.assertTrue(held_by_discipline.archive_legal_hold)
        with self.assertRaisesRegex(UserError, "step"):
            self.items[2].with_user(self.manager).write({"archive_legal_hold": True})
        with self.assertRaises(AccessError):
            self.items[2].with_user(self.officer).action_legal_hold()
        with freeze_time("2026-12-01 02:00:00"):
            loan = (
                self.env["xinfang.archive.loan"]
                .with_user(self.officer)
                .create(
                    {
                        "requester_id": self.leader.id,
                        "letter_ref": "函",
                        "purpose": "查阅",
                        "due_date": "2026-12-20",
                        "petition_ids": [(6, 0, held_by_loan.ids)],
                    }
                )
            )
            loan.action_submit()
        destruction = self._list().with_user(self.officer)
        destruction.action_submit()
        destruction.with_user(self.manager).action_approve()
        # An item filed later into the volume is not on the approved list.
        # The run stops after a first batch of two.
        destruction.sudo()._xinfang_destroy_batch(batch_size=2)
        self.assertEqual(destruction.state, "approved")
        self.assertEqual(destruction.held_item_ids, held_by_discipline | held_by_loan)
        self.assertFalse(destruction.destroyed_item_ids)
        destruction.sudo()._xinfang_destroy_batch(batch_size=2)
        self.assertEqual(destruction.destroyed_item_ids, self.items[2:4])
        self.assertTrue(self._files(self.items[4]).raw, "not reached yet")
        # The scheduled action carries it on.
        self.env.ref("xinfang_module.ir_cron_archive_destroy").method_direct_trigger()
        self.assertEqual(destruction.state, "done")
        self.assertEqual(destruction.destroyed_item_ids, self.items[2:])
        for item in held_by_discipline | held_by_loan:
            self.assertTrue(self._files(item).raw, "a held item is untouched")
            self.assertFalse(item.archive_destroyed_date)
        self.assertEqual(self.volume.state, "closed", "held items keep the volume")


@tagged("post_install", "-at_install")
class TestArchiveForms(XinfangCase):
    """The archive's forms as their users fill them in."""

    @freeze_time("2026-12-01 02:00:00")
    def test_forms(self):
        # The office manager keeps the classes and their channels.
        with Form(self.env["xinfang.archive.class"].with_user(self.manager)) as form:
            form.name = "电话投诉案件"
            form.code = "DH"
            form.channel_ids.add(
                self.env.ref(
                    "xinfang_module.selection__xinfang_petition__channel__phone"
                )
            )
        phone_class = form.record
        self.assertEqual(phone_class.channel_ids.mapped("value"), ["phone"])
        self.assertTrue(
            self.env["xinfang.archive.class"]
            .with_user(self.officer)
            .search_read([("id", "=", phone_class.id)], ["channel_ids", "display_name"])
        )
        item = self._petition(
            self.zhang,
            self.cat_quality,
            subject="表单",
            state="closed",
            close_date=date(2026, 3, 2),
            channel="phone",
        )
        wizard = (
            self.env["xinfang.archive.file.wizard"]
            .with_user(self.officer)
            .with_context(active_model="xinfang.petition", active_ids=item.ids)
        )
        with Form(wizard) as form:
            self.assertEqual(form.proposal, "2026 电话投诉案件: 1")
        form.record.action_file()
        item.archive_volume_id.with_user(self.officer).action_close()
        # A loan and a destruction list as the form saves them (with their
        # default state).
        with Form(self.env["xinfang.archive.loan"].with_user(self.officer)) as form:
            form.requester_id = self.leader
            form.letter_ref = "院办函〔2026〕3号"
            form.purpose = "复核"
            form.due_date = date(2026, 12, 20)
            form.petition_ids.add(item)
        self.assertEqual((form.record.state, form.record.name[:6]), ("draft", "JY2026"))
        form.record.action_submit()
        with Form(
            self.env["xinfang.archive.destruction"].with_user(self.officer)
        ) as form:
            form.volume_ids.add(item.archive_volume_id)
        self.assertEqual(form.record.state, "draft")
        self.assertTrue(form.record.name.startswith("XH2026"))


@tagged("post_install", "-at_install")
class TestArchiveAccess(XinfangCase):
    """Who reads and writes the archive's records, model by model."""

    def test_access_per_group(self):
        archive_class = self.env.ref("xinfang_module.archive_class_visit")
        destruction = self.env["xinfang.archive.destruction"].create({})
        loan = (
            self.env["xinfang.archive.loan"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "requester_id": self.leader.id,
                    "letter_ref": "函",
                    "purpose": "查阅",
                    "due_date": "2099-12-31",
                }
            )
        )
        for user in (self.registrar, self.handler, self.outsider):
            for record in (archive_class, destruction):
                with self.assertRaises(AccessError, msg=f"{user.login} {record}"):
                    record.with_user(user).read(["display_name"])
            # Not the borrower: no loan.
            self.assertFalse(loan.with_user(user)._filtered_access("read"))
        for user in (self.officer, self.leader, self.discipline):
            archive_class.with_user(user).read(["name"])
            destruction.with_user(user).read(["name"])
        self.assertTrue(loan.with_user(self.leader)._filtered_access("read"))
        # Classes are the office manager's to keep; lists the office's.
        for user in (self.officer, self.leader):
            with self.assertRaises(AccessError):
                archive_class.with_user(user).write({"name": "改名"})
        for user in (self.leader, self.discipline):
            with self.assertRaises(AccessError):
                destruction.with_user(user).write({"reason": "改"})
            with self.assertRaises(AccessError):
                loan.with_user(user).write({"purpose": "改"})
        archive_class.with_user(self.manager).write({"sequence": 5})
        destruction.with_user(self.officer).write({"reason": "保管期满"})
        with self.assertRaises(AccessError):
            destruction.with_user(self.manager).unlink()
