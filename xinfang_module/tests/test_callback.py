import hashlib
import math
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.migration import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools import file_path

from .common import XinfangCase

# The selection tests run in 2025, a year no demo item was closed in.
MAY = date(2025, 5, 1)


@tagged("post_install", "-at_install")
class CallbackCase(XinfangCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.plan_cron = cls.env.ref("xinfang_module.ir_cron_plan_callbacks")
        cls.overdue_cron = cls.env.ref("xinfang_module.ir_cron_callback_overdue")
        cls.bulletin_cron = cls.env.ref("xinfang_module.ir_cron_callback_bulletin")
        cls.officer2 = new_test_user(
            cls.env,
            login="xf_t_officer2",
            groups="base.group_user,xinfang_module.group_xinfang_officer",
        )
        cls.dept_head = cls._department_head(cls.dept_medical, "xf_t_dept_head")
        cls.Callback = cls.env["xinfang.callback"]

    @classmethod
    def _closed(cls, count, close_date, category=None, **vals):
        return cls.env["xinfang.petition"].create(
            [
                {
                    "channel": "letter",
                    "petitioner_id": cls.zhang.id,
                    "category_id": (category or cls.cat_quality).id,
                    "subject": f"回访测试 {index}",
                    "content": "内容",
                    "registrar_id": cls.officer.id,
                    "registration_date": datetime(2025, 1, 2, 2, 0),
                    "state": "closed",
                    "close_date": close_date,
                    **vals,
                }
                for index in range(count)
            ]
        )

    def _plan(self, when):
        with freeze_time(when):
            self.plan_cron.method_direct_trigger()

    def _selected(self, petitions):
        return self.Callback.search([("petition_id", "in", petitions.ids)])

    def _worklist(self, user):
        """The activity menu's line of ``user``'s planned callbacks."""
        groups = self.env["res.users"].with_user(user)._get_activity_groups()
        worklists = [group for group in groups if group.get("xinfang_worklist")]
        self.assertLessEqual(len(worklists), 1)
        return worklists[0] if worklists else None


class TestCallbackSelection(CallbackCase):
    def _set_quotas(self, rate):
        """Role quotas on: 10 % of the month to office managers, 30 % to
        leaders, 60 % to department heads; ``rate`` % selected."""
        self.company.write(
            {
                "xinfang_callback_rate": rate,
                "xinfang_callback_quotas": True,
                "xinfang_callback_quota_manager": 10,
                "xinfang_callback_quota_leader": 30,
                "xinfang_callback_quota_department": 60,
            }
        )

    def test_scope_rules(self):
        self.company.xinfang_callback_rate = 100
        signed = self._closed(1, date(2025, 5, 6))
        anonymous = self._closed(1, date(2025, 5, 6), anonymous=True)
        anonymous_known = self._closed(
            1, date(2025, 5, 6), anonymous=True, high_impact=True
        )
        anonymous_unknown = self._closed(
            1, date(2025, 5, 6), anonymous=True, high_impact=True, petitioner_id=False
        )
        never = self.env["xinfang.category"].create(
            {"name": "不回访", "callback_rule": "never"}
        )
        out_of_scope = self._closed(1, date(2025, 5, 6), category=never)
        still_open = self._closed(1, date(2025, 5, 6), state="handling")
        self._plan("2025-05-07 02:00:00")
        self.assertEqual(
            self._selected(
                signed
                | anonymous
                | anonymous_known
                | anonymous_unknown
                | out_of_scope
                | still_open
            ).petition_id,
            signed | anonymous_known,
        )

    def test_key_cases_and_complaints_always(self):
        self.company.write(
            {"xinfang_callback_rate": 0, "xinfang_callback_scope_signed": False}
        )
        complaints = self.env["xinfang.category"].create(
            {"name": "投诉", "callback_rule": "always"}
        )
        plain = self._closed(3, date(2025, 5, 6))
        key = self._closed(1, date(2025, 5, 6), owner_leader_id=self.leader.id)
        complaint = self._closed(1, date(2025, 5, 6), category=complaints)
        self._plan("2025-05-07 02:00:00")
        callbacks = self._selected(plain | key | complaint)
        self.assertEqual(callbacks.petition_id, key | complaint)
        self.assertEqual(
            set(callbacks.mapped("selection_rule")), {"key_case", "category"}
        )

    def test_rate_on_200_items_is_deterministic_and_auditable(self):
        petitions = self._closed(200, date(2025, 5, 12))
        month_rows = self.Callback._select_month(self.company, MAY)
        # The same inputs give the same selection.
        self.assertEqual(month_rows, self.Callback._select_month(self.company, MAY))
        self._plan("2025-05-20 02:00:00")
        callbacks = self._selected(petitions)
        target = math.ceil(200 * 20 / 100)
        self.assertLessEqual(abs(len(callbacks) - target), 1)
        self.assertEqual(len(callbacks), target)
        # Anyone can recompute the order: SHA-256 of company, month and id.
        expected = sorted(
            petitions.ids,
            key=lambda pid: hashlib.sha256(
                f"{self.company.id}:2025-05:{pid}".encode()
            ).hexdigest(),
        )[:target]
        self.assertEqual(sorted(callbacks.petition_id.ids), sorted(expected))
        for callback in callbacks:
            self.assertEqual(callback.selection_rule, "sampled")
            self.assertEqual(callback.selection_rate, 20)
            self.assertEqual(callback.selection_month, MAY)
            self.assertEqual(callback.selection_population, 200)
            self.assertTrue(callback.selection_key)

    def test_never_selected_twice(self):
        petitions = self._closed(10, date(2025, 5, 12))
        self.company.xinfang_callback_rate = 50
        self._plan("2025-05-20 02:00:00")
        first = self._selected(petitions)
        self.assertEqual(len(first), 5)
        # Running again (same day, next month) adds nothing to May's items.
        self._plan("2025-05-20 03:00:00")
        self._plan("2025-06-02 02:00:00")
        self.assertEqual(self._selected(petitions), first)
        # The month's selection is topped up as more items close.
        more = self._closed(4, date(2025, 5, 30))
        self._plan("2025-06-02 03:00:00")
        self.assertEqual(len(self._selected(petitions | more)), 7)
        # An item reopened and closed again in June is not selected again,
        # even at 100 %.
        self.company.xinfang_callback_rate = 100
        first.petition_id.write({"close_date": date(2025, 6, 3)})
        self._plan("2025-06-04 02:00:00")
        self.assertEqual(self._selected(first.petition_id), first)

    def test_role_quotas(self):
        self._set_quotas(rate=20)
        petitions = self._closed(50, date(2025, 5, 12))
        self._plan("2025-05-20 02:00:00")
        callbacks = self._selected(petitions)
        roles = {
            role: len(callbacks.filtered(lambda c, r=role: c.role == r))
            for role in ("manager", "leader", "department")
        }
        self.assertEqual(roles, {"manager": 5, "leader": 15, "department": 30})
        self.assertEqual(
            callbacks.filtered(lambda c: c.role == "department").officer_ids,
            self.dept_head,
        )
        managers = self.env.ref("xinfang_module.group_xinfang_manager").users
        self.assertLessEqual(
            callbacks.filtered(lambda c: c.role == "manager").officer_ids, managers
        )

    def test_role_quotas_leave_confidential_items_to_managers(self):
        # Leaders and department heads do not read a confidential item's
        # callback: whatever its role, its officers are office managers.
        self._set_quotas(rate=100)
        petitions = self._closed(10, date(2025, 5, 12), category=self.cat_accusation)
        self.assertTrue(all(petitions.mapped("confidential")))
        self._plan("2025-05-20 02:00:00")
        callbacks = self._selected(petitions)
        self.assertEqual(
            set(callbacks.mapped("role")), {"manager", "leader", "department"}
        )
        managers = self.env.ref("xinfang_module.group_xinfang_manager").users
        self.assertTrue(callbacks.officer_ids)
        self.assertLessEqual(callbacks.officer_ids, managers)

    def test_role_quotas_leave_concealed_petitioners_to_the_office(self):
        # Leaders and heads do not read a concealed petitioner: they could
        # not call them back.
        self._set_quotas(rate=100)
        petitions = self._closed(10, date(2025, 5, 12), conceal_identity=True)
        self._plan("2025-05-20 02:00:00")
        callbacks = self._selected(petitions)
        self.assertEqual(
            set(callbacks.mapped("role")), {"manager", "leader", "department"}
        )
        office = self.env.ref("xinfang_module.group_xinfang_officer").users
        self.assertTrue(callbacks.officer_ids)
        self.assertLessEqual(callbacks.officer_ids, office)
        self.assertNotIn(self.dept_head, callbacks.officer_ids)
        self.assertNotIn(self.leader, callbacks.officer_ids)

    def test_batches_resume(self):
        petitions = self._closed(20, date(2025, 5, 12))
        self.company.xinfang_callback_rate = 50
        with freeze_time("2025-05-20 02:00:00"):
            self.assertEqual(self.Callback._cron_plan_callbacks(batch_size=4), 4)
            self.assertEqual(self.Callback._cron_plan_callbacks(batch_size=4), 4)
            self.assertEqual(self.Callback._cron_plan_callbacks(batch_size=100), 2)
            self.assertEqual(self.Callback._cron_plan_callbacks(batch_size=100), 0)
        self.assertEqual(len(self._selected(petitions)), 10)

    def test_planning_queries_do_not_grow_with_the_items(self):
        self.company.xinfang_callback_rate = 100
        # One officer per role: what a batch reads grows with its distinct
        # officers (Odoo subscribes each as a follower), and which officers a
        # batch takes in turn depends on the records' ids.
        pools = {
            "office": self.officer,
            "manager": self.manager,
            "leader": self.leader,
        }
        patcher = patch.object(
            type(self.Callback), "_officer_pools", lambda _self, _company: pools
        )
        self.startPatcher(patcher)
        counts = []
        for month, count in ((2, 3), (3, 20), (4, 90)):
            self._closed(count, date(2025, month, 10))
            picks, total = self.Callback._select_month(
                self.company, date(2025, month, 1)
            )
            self.assertEqual((len(picks), total), (count, count))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Callback._plan(self.company, date(2025, month, 1), MAY, picks)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        # The first batch warms caches; then 20 and 90 items cost the same:
        # what a batch reads grows with its officers, not with its items
        # (only Odoo's inserts go by chunks of 100 rows).
        self.assertEqual(counts[1], counts[2], counts)


class TestCallbackTiming(CallbackCase):
    def setUp(self):
        super().setUp()
        self.company.xinfang_callback_rate = 100

    def test_planned_days_after_closure(self):
        normal = self._closed(1, date(2025, 5, 5))
        urgent = self._closed(1, date(2025, 5, 5), priority="1")
        self.cat_nursing.callback_days = 3
        by_category = self._closed(1, date(2025, 5, 5), category=self.cat_nursing)
        self._plan("2025-05-06 02:00:00")
        self.assertEqual(self._selected(normal).planned_date, date(2025, 5, 12))
        self.assertEqual(self._selected(urgent).planned_date, date(2025, 5, 10))
        self.assertEqual(self._selected(by_category).planned_date, date(2025, 5, 8))
        # Within three months of closure.
        self.assertEqual(self._selected(normal).deadline, date(2025, 8, 3))

    def test_counted_from_the_reply(self):
        self.company.xinfang_callback_base = "reply"
        petition = self._closed(1, date(2025, 5, 15), reply_date=date(2025, 5, 9))
        self._plan("2025-05-15 02:00:00")
        self.assertEqual(self._selected(petition).planned_date, date(2025, 5, 16))

    def test_late_selection_is_planned_today(self):
        petition = self._closed(1, date(2025, 5, 2))
        self._plan("2025-05-28 02:00:00")
        self.assertEqual(self._selected(petition).planned_date, date(2025, 5, 28))

    def test_method_and_officers(self):
        collective = self._closed(1, date(2025, 5, 5), people_count=8)
        owned = self._closed(1, date(2025, 5, 5), owner_leader_id=self.leader.id)
        self.zhang.write({"phone": False, "address": "解放路1号"})
        letter = self._closed(1, date(2025, 5, 5))
        self._plan("2025-05-06 02:00:00")
        callback = self._selected(collective)
        self.assertEqual(callback.method, "in_person")
        self.assertTrue(callback.advance_notice)
        self.assertGreaterEqual(len(callback.officer_ids), 2)
        self.assertEqual(self._selected(owned).method, "in_person")
        self.assertEqual(self._selected(letter).method, "letter")
        # Each officer finds it in the activity menu on the planned day.
        day = callback.planned_date
        planned = self._selected(collective | owned | letter).filtered(
            lambda c: c.planned_date == day
        )
        with freeze_time(day):
            for officer in callback.officer_ids:
                self.assertEqual(
                    self._worklist(officer)["today_count"],
                    len(planned.filtered(lambda c, o=officer: o in c.officer_ids)),
                )

    def test_overdue_reminder_once(self):
        petition = self._closed(1, date(2025, 5, 5))
        self._plan("2025-05-06 02:00:00")
        callback = self._selected(petition)
        with freeze_time("2025-05-12 02:00:00"):
            self.overdue_cron.method_direct_trigger()
        self.assertFalse(callback.overdue)
        messages = callback.message_ids
        with freeze_time("2025-05-13 02:00:00"):
            self.overdue_cron.method_direct_trigger()
            self.overdue_cron.method_direct_trigger()
        self.assertTrue(callback.overdue)
        reminders = callback.message_ids - messages
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.partner_ids, callback.officer_ids.partner_id)
        # Rescheduled, it is due again, and reminded again once missed.
        callback.planned_date = date(2025, 5, 20)
        self.assertFalse(callback.overdue)
        with freeze_time("2025-05-21 02:00:00"):
            self.overdue_cron.method_direct_trigger()
        self.assertTrue(callback.overdue)
        self.assertEqual(len(callback.message_ids - messages), 2)


class TestCallbackRecord(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.closed = cls._closed(1, date(2025, 5, 5))
        cls.callback = cls.env["xinfang.callback"].create(
            {
                "petition_id": cls.closed.id,
                "planned_date": date(2025, 5, 12),
                "method": "phone",
                "officer_ids": [(6, 0, cls.officer.ids)],
            }
        )

    def _record(self, rating, user=None, **vals):
        callback = self.callback.with_user(user or self.officer)
        callback.write({"rating": rating, "q_solved": "yes", **vals})
        callback.action_done()
        return callback

    def test_rating_required_and_in_person_needs_two(self):
        with self.assertRaises(ValidationError):
            self.callback.with_user(self.officer).action_done()
        self.callback.write({"method": "in_person", "rating": "satisfied"})
        with self.assertRaises(ValidationError):
            self.callback.with_user(self.officer).action_done()
        self.callback.officer_ids |= self.officer2
        self.callback.with_user(self.officer).action_done()
        self.assertEqual(self.callback.state, "done")

    def test_several_callbacks_made_at_once(self):
        # From the list: two callbacks marked made together, one dated.
        other = self.callback.copy({"planned_date": date(2025, 5, 13)})
        both = (self.callback | other).with_user(self.officer)
        both.write({"rating": "satisfied", "q_solved": "yes"})
        other.done_date = date(2025, 5, 13)
        with freeze_time("2025-05-14 02:00:00"):
            both.action_done()
        self.assertEqual(both.mapped("state"), ["done", "done"])
        self.assertEqual(self.callback.done_date, date(2025, 5, 14))
        self.assertEqual(other.done_date, date(2025, 5, 13))

    def test_done_is_read_only_except_for_the_manager(self):
        self._record("satisfied")
        with self.assertRaises(UserError):
            self.callback.with_user(self.officer).write({"suggestions": "改"})
        self.callback.with_user(self.manager).write({"suggestions": "更正"})
        self.assertEqual(self.callback.suggestions, "更正")
        self.assertTrue(self.callback.with_user(self.officer).locked)
        self.assertFalse(self.callback.with_user(self.manager).locked)

    def test_petition_shows_the_latest_rating(self):
        self._record("dissatisfied", done_date=date(2025, 5, 12))
        self.assertEqual(self.closed.callback_rating, "dissatisfied")
        retry = self.callback.copy({"planned_date": date(2025, 5, 20)})
        retry.write({"rating": "basic", "done_date": date(2025, 5, 20)})
        retry.with_user(self.officer).action_done()
        self.assertEqual(self.closed.callback_rating, "basic")
        groups = self.env["xinfang.petition"]._read_group(
            [("callback_rating", "=", "basic")], ["callback_rating"], ["__count"]
        )
        self.assertIn(("basic", 1), groups)

    def test_dissatisfied_asks_verification_within_24_hours(self):
        with freeze_time("2025-05-12 02:00:00"):
            self._record("dissatisfied")
        verify = self.callback.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("xinfang_module.mail_activity_type_callback_verify")
        )
        self.assertIn(self.manager, verify.user_id)
        self.assertEqual(set(verify.mapped("date_deadline")), {date(2025, 5, 13)})

    def test_reopen_for_rehandling(self):
        self._record("dissatisfied")
        with freeze_time("2025-05-14 02:00:00"):
            self.callback.with_user(self.officer).action_reopen_petition()
        self.assertEqual(self.closed.state, "handling")
        # The handling limit (60 days) runs again from the reopening.
        self.assertEqual(self.closed.rehandling_date, date(2025, 5, 14))
        self.assertEqual(self.closed.handling_deadline, date(2025, 7, 13))
        self.assertFalse(self.closed.close_date)
        self.assertTrue(self.callback.reopened)
        self.assertIn(self.callback.name, self.closed.message_ids[0].body)
        self.assertIn("Reopened", self.callback.follow_up)
        with self.assertRaises(UserError):
            self.callback.with_user(self.officer).action_reopen_petition()

    def test_rectification_notice(self):
        self._record("dissatisfied", suggestions="医生态度差")
        with freeze_time("2025-05-12 02:00:00"):
            self.callback.with_user(self.officer).action_rectification()
        notice = self.callback.rectification_id
        self.assertEqual(notice.kind, "rectification")
        self.assertEqual(notice.department_id, self.dept_medical)
        self.assertEqual(notice.deadline, date(2025, 5, 19))
        self.assertEqual(notice.user_ids, self.dept_head)
        self.assertEqual(notice.callback_id, self.callback)
        with self.assertRaises(UserError):
            self.callback.with_user(self.officer).action_rectification()

    def test_only_dissatisfied_leads_to_follow_up(self):
        self._record("satisfied")
        with self.assertRaises(UserError):
            self.callback.with_user(self.officer).action_reopen_petition()
        with self.assertRaises(AccessError):
            self.callback.with_user(self.handler).action_rectification()

    def test_unreachable_and_retry(self):
        self.callback.with_user(self.officer).action_unreachable()
        self.assertEqual(self.callback.state, "unreachable")
        action = self.callback.with_user(self.officer).action_retry()
        retry = self.Callback.browse(action["res_id"])
        self.assertEqual(retry.state, "planned")
        self.assertEqual(retry.selection_rule, "manual")
        with freeze_time(retry.planned_date):
            self.assertEqual(self._worklist(self.officer)["today_count"], 1)


class TestCallbackAccess(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c_medical, cls.c_concealed, cls.c_nursing, cls.c_confidential = cls.env[
            "xinfang.callback"
        ].create(
            [
                {
                    "petition_id": petition.id,
                    "visited_person": petition.petitioner_id.name,
                    "officer_ids": [(6, 0, cls.manager.ids)],
                }
                for petition in (
                    cls.p_medical,
                    cls.p_concealed,
                    cls.p_nursing,
                    cls.p_confidential,
                )
            ]
        )
        cls.all = cls.c_medical | cls.c_concealed | cls.c_nursing | cls.c_confidential

    def _visible(self, user):
        return self.Callback.with_user(user).search([("id", "in", self.all.ids)])

    def test_who_sees_which_callback(self):
        self.assertEqual(self._visible(self.handler), self.c_medical)
        self.assertEqual(self._visible(self.handler_nursing), self.c_nursing)
        self.assertEqual(
            self._visible(self.officer),
            self.c_medical | self.c_concealed | self.c_nursing,
        )
        self.assertEqual(self._visible(self.leader), self.c_medical | self.c_nursing)
        self.assertEqual(self._visible(self.discipline), self.c_confidential)
        self.assertEqual(self._visible(self.manager), self.all)
        for user in (self.registrar, self.outsider):
            with self.assertRaises(AccessError):
                self._visible(user)

    def test_identity_does_not_leak_through_search(self):
        # The handler of the medical department must not find the concealed
        # petitioner by the visited person's name, nor group by it.
        Callback = self.Callback.with_user(self.handler)
        self.assertFalse(Callback.search([("visited_person", "=", "李秀英")]))
        self.assertNotIn(
            self.c_concealed.name, [name for _id, name in Callback.name_search("")]
        )
        groups = Callback.read_group([], ["visited_person"], ["visited_person"])
        self.assertNotIn("李秀英", [g["visited_person"] for g in groups])
        with self.assertRaises(AccessError):
            self.c_concealed.with_user(self.handler).read(["visited_person"])

    def test_handler_and_leader_cannot_write(self):
        for user in (self.handler, self.leader):
            with self.assertRaises(AccessError):
                self.c_medical.with_user(user).write({"place": "科室"})
            with self.assertRaises(AccessError):
                self.Callback.with_user(user).create({"petition_id": self.p_medical.id})

    def test_assigned_department_head_and_leader_record_their_callback(self):
        head = self._department_head(self.dept_medical, "xf_t_head_cb")
        self.c_medical.officer_ids = head | self.leader
        self.c_medical.with_user(head).write(
            {"rating": "satisfied", "q_solved": "yes", "visited_person": "张建华"}
        )
        self.c_medical.with_user(self.leader).write({"place": "信访人家中"})
        self.c_medical.with_user(head).action_done()
        self.assertEqual(self.c_medical.state, "done")
        # Not the nursing item's callback, nor another item.
        with self.assertRaises(AccessError):
            self.c_nursing.with_user(head).write({"place": "科室"})
        with self.assertRaises(UserError):
            self.c_nursing.with_user(self.officer).write(
                {"petition_id": self.p_medical.id}
            )

    def test_officer_plans_by_hand(self):
        callback = self.Callback.with_user(self.officer).create(
            {"petition_id": self.p_nursing.id}
        )
        self.assertEqual(callback.selection_rule, "manual")
        self.assertTrue(callback.name.startswith("HF"))


class TestCallbackBulletin(CallbackCase):
    def test_figures_match_a_hand_count(self):
        medical = self._closed(4, date(2025, 9, 20))
        nursing = self._closed(3, date(2025, 9, 20), category=self.cat_nursing)
        Callback = self.Callback

        def callback(petition, planned, state="planned", rating=False, done=None):
            return Callback.create(
                {
                    "petition_id": petition.id,
                    "planned_date": planned,
                    "state": state,
                    "rating": rating,
                    "done_date": done,
                    "officer_ids": [(6, 0, self.officer.ids)],
                }
            )

        oct5, oct9 = date(2025, 10, 5), date(2025, 10, 9)
        callback(medical[0], oct5, "done", "satisfied", oct9)
        callback(medical[1], oct5, "done", "satisfied", oct9)
        unhappy = callback(medical[2], oct5, "done", "dissatisfied", oct9)
        callback(medical[3], oct5, "unreachable", done=oct9)
        callback(nursing[0], oct5, "done", "basic", oct9)
        callback(nursing[1], oct5)
        callback(nursing[2], oct5, "cancelled")
        # Made in September: not in October's figures.
        callback(
            medical[0], date(2025, 9, 25), "done", "dissatisfied", date(2025, 9, 26)
        )
        unhappy.sudo().follow_up = "已重新办理"
        with freeze_time("2025-11-01 02:00:00"):
            self.bulletin_cron.method_direct_trigger()
            self.bulletin_cron.method_direct_trigger()
        bulletin = self.env["xinfang.callback.bulletin"].search(
            [("company_id", "=", self.company.id), ("month", "=", date(2025, 10, 1))]
        )
        self.assertEqual(len(bulletin), 1)
        self.assertEqual(
            (
                bulletin.planned_count,
                bulletin.done_count,
                bulletin.unreachable_count,
                bulletin.satisfied_count,
                bulletin.basic_count,
                bulletin.dissatisfied_count,
            ),
            (6, 4, 1, 2, 1, 1),
        )
        self.assertEqual(
            (bulletin.satisfied_rate, bulletin.basic_rate, bulletin.dissatisfied_rate),
            (50.0, 25.0, 25.0),
        )
        by_department = {
            line.department_id: (line.planned, line.done, line.unreachable)
            for line in bulletin.line_ids
        }
        self.assertEqual(by_department[self.dept_medical], (4, 3, 1))
        self.assertEqual(by_department[self.dept_nursing], (2, 1, 0))
        self.assertEqual(bulletin.case_ids.callback_id, unhappy)
        self.assertEqual(bulletin.case_ids.follow_up, "已重新办理")
        # Posted to the office managers and the leaders.
        posted = bulletin.message_ids.filtered("partner_ids")
        self.assertIn(self.manager.partner_id, posted.partner_ids)
        self.assertIn(self.leader.partner_id, posted.partner_ids)
        # Officers and leaders read it, handlers do not.
        bulletin.with_user(self.leader).read(["done_count"])
        with self.assertRaises(AccessError):
            bulletin.with_user(self.handler).read(["done_count"])

    def test_confidential_case_names_no_matter(self):
        accusation = self._closed(1, date(2025, 9, 20), category=self.cat_accusation)
        self.assertTrue(accusation.confidential)
        self.Callback.create(
            {
                "petition_id": accusation.id,
                "planned_date": date(2025, 10, 5),
                "state": "done",
                "rating": "dissatisfied",
                "done_date": date(2025, 10, 9),
                "follow_up": "约谈被举报医生",
                "officer_ids": [(6, 0, self.manager.ids)],
            }
        )
        bulletin = self.env["xinfang.callback.bulletin"].create(
            {"name": "2025-10", "month": date(2025, 10, 1)}
        )
        bulletin.action_compute()
        case = bulletin.case_ids.filtered(lambda c: c.petition_name == accusation.name)
        self.assertFalse(case.subject)
        self.assertNotIn("约谈", case.follow_up)
        self.assertEqual(bulletin.dissatisfied_count, 1)


@tagged("post_install", "-at_install")
class TestCallbackWorklist(CallbackCase):
    """Issue 18: a planned callback is its officers' to-do in the activity
    menu, counted from the callbacks, without an activity of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.petitions = cls._closed(5, date(2025, 5, 5))
        cls.late, cls.made, cls.today, cls.future, cls.others = cls.Callback.create(
            [
                {
                    "petition_id": petition.id,
                    "planned_date": day,
                    "method": "phone",
                    "officer_ids": [(6, 0, officer.ids)],
                }
                for petition, day, officer in zip(
                    cls.petitions,
                    [
                        date(2025, 5, 10),
                        date(2025, 5, 11),
                        date(2025, 5, 12),
                        date(2025, 5, 20),
                        date(2025, 5, 12),
                    ],
                    [cls.officer] * 4 + [cls.officer2],
                    strict=True,
                )
            ]
        )
        cls.made.with_user(cls.officer).write({"rating": "satisfied"})
        cls.made.with_user(cls.officer).action_done()

    def _counts(self, user):
        worklist = self._worklist(user)
        return worklist and tuple(
            worklist[f"{key}_count"] for key in ("overdue", "today", "planned", "total")
        )

    @freeze_time("2025-05-12 02:00:00")
    def test_counts_each_officers_planned_callbacks(self):
        # Late, today, future, and the menu's counter (late and today); the
        # made callback and a colleague's are not counted.
        self.assertEqual(self._counts(self.officer), (1, 1, 1, 2))
        self.assertEqual(self._counts(self.officer2), (0, 1, 0, 1))
        self.today.officer_ids |= self.officer2
        self.assertEqual(self._counts(self.officer2), (0, 2, 0, 2))
        # Rescheduled or cancelled: the count follows, nothing to keep in step.
        self.late.with_user(self.officer).planned_date = date(2025, 5, 12)
        self.future.with_user(self.manager).action_cancel()
        self.assertEqual(self._counts(self.officer), (0, 2, 0, 2))

    @freeze_time("2025-05-12 02:00:00")
    def test_counted_under_the_record_rules(self):
        # Roles without a callback to make have no line, and a user who
        # reads no callback no error; a callback its officer may no longer
        # read is not counted (nor betrayed).
        self.assertIsNone(self._worklist(self.handler))
        self.assertIsNone(self._worklist(self.leader))
        plain = new_test_user(self.env, login="xf_t_plain", groups="base.group_user")
        self.assertIsNone(self._worklist(plain))
        self.petitions[2].sudo().confidential = True
        self.assertFalse(self.today.with_user(self.officer).has_access("read"))
        self.assertEqual(self._counts(self.officer), (1, 0, 1, 1))

    def test_planner_creates_no_activity_nor_follower(self):
        self.company.xinfang_callback_rate = 100
        petitions = self._closed(3, date(2025, 5, 5))
        self._plan("2025-05-06 02:00:00")
        callbacks = self._selected(petitions)
        self.assertEqual(len(callbacks), 3)
        self.assertFalse(callbacks.activity_ids)
        self.assertFalse(
            callbacks.message_partner_ids & callbacks.officer_ids.partner_id
        )
        # Their officers find them in the menu on the planned day instead.
        self.assertEqual(set(callbacks.mapped("planned_date")), {date(2025, 5, 12)})
        with freeze_time("2025-05-12 02:00:00"):
            for officer in callbacks.officer_ids:
                due = self.Callback.search_count(
                    [
                        ("state", "=", "planned"),
                        ("planned_date", "=", date(2025, 5, 12)),
                        ("officer_ids", "in", officer.id),
                    ]
                )
                self.assertGreater(due, len(callbacks & self.today))
                self.assertEqual(self._worklist(officer)["today_count"], due)

    def test_upgrade_removes_the_planners_activities(self):
        # 18.0.1.15.0: the activities the planner made would count twice.
        migration = load_script(
            file_path("xinfang_module/migrations/18.0.1.15.0/post-migrate.py"),
            "xinfang_module_post_migrate_18_0_1_15_0",
        )
        callback_type = "xinfang_module.mail_activity_type_callback"
        planner = self.today.activity_schedule(callback_type, user_id=self.officer.id)
        by_hand = self.today.activity_schedule(callback_type, user_id=self.manager.id)
        verify = self.today.activity_schedule(
            "xinfang_module.mail_activity_type_callback_verify",
            user_id=self.officer.id,
        )
        migration.migrate(self.env.cr, "18.0.1.14.0")
        self.assertFalse(planner.exists())
        self.assertEqual(self.today.activity_ids, by_hand | verify)

    @freeze_time("2025-05-12 02:00:00")
    def test_the_counter_moves_at_once(self):
        # As for a done activity: the menu's counter drops without a reload
        # for a due callback made, not for one to come.
        sent = []

        def record(users, notification_type, message, **kwargs):
            if notification_type == "mail.activity/updated":
                sent.append((users, message))

        with patch.object(
            type(self.env["res.users"]), "_bus_send", autospec=True, side_effect=record
        ):
            self.late.with_user(self.officer).write({"rating": "satisfied"})
            self.late.with_user(self.officer).action_done()
            self.future.with_user(self.manager).action_cancel()
        self.assertEqual(sent, [(self.officer, {"activity_deleted": True})])

    def test_an_officer_who_may_no_longer_read_it_hands_it_on(self):
        # Insider review: the office conceals the petitioner of an item whose
        # callback the department head makes; he no longer reads it, and it
        # was on nobody's list. Made by the office now, or by those left.
        petition = self._closed(1, date(2025, 5, 5), department_id=self.dept_medical.id)
        alone, shared = self.Callback.create(
            [
                {
                    "petition_id": petition.id,
                    "method": "phone",
                    "officer_ids": [(6, 0, officers.ids)],
                }
                for officers in (self.dept_head, self.dept_head | self.officer2)
            ]
        )
        self.assertTrue(alone.with_user(self.dept_head).has_access("read"))
        petition.sudo().conceal_identity = True
        self.assertFalse(alone.with_user(self.dept_head).has_access("read"))
        self.assertEqual(shared.officer_ids, self.officer2)
        office = self.env.ref("xinfang_module.group_xinfang_officer").users
        self.assertTrue(alone.officer_ids)
        self.assertLessEqual(alone.officer_ids, office - self.dept_head)
        self.assertTrue(alone.with_user(alone.officer_ids[:1]).has_access("read"))

    def test_a_planned_callback_has_an_officer(self):
        # Insider review: planned by hand without one, or emptied, a callback
        # was on nobody's list. The office user who plans it makes it.
        mine = self.Callback.with_user(self.officer).create(
            {"petition_id": self.petitions[0].id, "method": "phone"}
        )
        self.assertEqual(mine.officer_ids, self.officer)
        named = self.Callback.with_user(self.officer).create(
            {
                "petition_id": self.petitions[0].id,
                "officer_ids": [(6, 0, self.officer2.ids)],
            }
        )
        self.assertEqual(named.officer_ids, self.officer2)
        with self.assertRaises(ValidationError):
            mine.with_user(self.officer).write({"officer_ids": [(5, 0, 0)]})
        self.assertEqual(mine.officer_ids, self.officer)
        mine.with_user(self.officer).write({"officer_ids": [(6, 0, self.officer2.ids)]})
        self.assertEqual(mine.officer_ids, self.officer2)

    def test_the_office_pool_never_gives_the_accused(self):
        # Review: the pool taken in turn skipped the accused only for the
        # role's own person; whatever the order key, not the accused now.
        employee = self.officer.employee_ids[:1] or self.env["hr.employee"].create(
            {"name": self.officer.name, "user_id": self.officer.id}
        )
        petition = self.petitions[0]
        petition.sudo().accused_employee_id = employee
        office = self.officer | self.officer2
        pools = {"office": office, "manager": office, "leader": office}
        for key in ("0", "1"):
            self.assertEqual(
                self.Callback._plan_officers(petition, "office", key, "phone", pools),
                self.officer2,
            )
