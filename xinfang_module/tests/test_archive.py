from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
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
