import base64
import io
from datetime import date, timedelta

import openpyxl
from lxml import etree

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.xinfang_petition import DONE_STATES, MAIN_PATH_STATES, STATES


@tagged("post_install", "-at_install")
class TestButtons(TransactionCase):
    def test_buttons_are_called_on_records(self):
        # A form button calls its method on the record (call_button): a
        # model-level decorator left above one breaks it for every user.
        models = self.env["ir.model"].search([("model", "=like", "xinfang.%")])
        for model in models.mapped("model"):
            Model = type(self.env[model])
            for name in dir(Model):
                if name.startswith("action_"):
                    api_kind = getattr(getattr(Model, name), "_api", None)
                    self.assertIsNone(api_kind, f"{model}.{name} is @api.{api_kind}")


@tagged("post_install", "-at_install")
class TestDefaultFilters(TransactionCase):
    """The board and the analysis open on the work in hand (issue 18): their
    reads then grow with it, not with the years kept in the table."""

    def _search_filter(self, name):
        arch = self.env["xinfang.petition"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        nodes = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        self.assertEqual(len(nodes), 1, name)
        return nodes[0]

    def _filter_states(self, name):
        domain = safe_eval(self._search_filter(name).get("domain"))
        self.assertEqual(len(domain), 1)
        field, operator, states = domain[0]
        # A positive list, so that the board's partial index is read by
        # state.
        self.assertEqual((field, operator), ("state", "in"))
        self.assertEqual(len(states), len(set(states)))
        return set(states)

    def test_board_opens_on_the_items_in_hand(self):
        action = self.env.ref("xinfang_module.xinfang_petition_action_kanban")
        self.assertEqual(safe_eval(action.context), {"search_default_open": 1})
        every = {state for state, _label in STATES}
        in_hand = self._filter_states("open")
        self.assertEqual(in_hand, every - set(DONE_STATES))
        # In Hand, Closed and Not Accepted or Redirected (one group: they
        # add up) cover every state, each once: a newcomer who adds the
        # other two sees every item.
        closed, refused = self._filter_states("closed"), self._filter_states("refused")
        self.assertEqual(in_hand | closed | refused, every)
        self.assertEqual(len(in_hand) + len(closed) + len(refused), len(every))

    def test_board_columns_follow_the_state_filters(self):
        Petition = self.env["xinfang.petition"]
        in_hand = [("state", "in", sorted(self._filter_states("open")))]
        closed = [("state", "in", sorted(self._filter_states("closed")))]
        # No Closed column under In Hand: it could never fill.
        self.assertNotIn("closed", Petition._group_expand_states([], in_hand))
        self.assertIn("handling", Petition._group_expand_states([], in_hand))
        # Filters of one group add up; another condition beside a state
        # filter does not widen or narrow the columns.
        self.assertIn(
            "closed", Petition._group_expand_states([], ["|", *in_hand, *closed])
        )
        self.assertEqual(
            Petition._group_expand_states([], [*in_hand, ("priority", "=", "1")]),
            Petition._group_expand_states([], in_hand),
        )
        # Unbounded: the main path; a state with items shows in any case.
        self.assertEqual(
            Petition._group_expand_states(["rejected"], [("priority", "=", "1")]),
            [*MAIN_PATH_STATES, "rejected"],
        )
        self.assertEqual(
            Petition._group_expand_states([], ["!", *closed]), list(MAIN_PATH_STATES)
        )
        self.assertEqual(
            Petition._group_expand_states([], [("state", "=", "review")]), ["review"]
        )

    def test_analysis_opens_on_this_year(self):
        action = self.env.ref("xinfang_module.xinfang_petition_action_analysis")
        self.assertEqual(
            safe_eval(action.context), {"search_default_registration_date": "year"}
        )
        node = self._search_filter("registration_date")
        self.assertEqual(node.get("date"), "registration_date")


@tagged("post_install", "-at_install")
class TestPetitionUi(HttpCase):
    def _setup(self, prefix, role):
        """A department, its category and a user of ``role`` for a tour."""
        department = self.env["hr.department"].create(
            {"name": f"{prefix} Department", "xinfang_handles": True}
        )
        category = self.env["xinfang.category"].create(
            {
                "name": f"{prefix} Category",
                "department_id": department.id,
                "request_nature": "complaint",
            }
        )
        user = new_test_user(
            self.env,
            login=f"xf_tour_{role}",
            groups=f"base.group_user,xinfang_module.group_xinfang_{role}",
        )
        return department, category, user

    def test_registrar_registers_petition_in_form(self):
        department, category, registrar = self._setup("Tour", "registrar")
        self.start_tour("/odoo", "xinfang_register_petition", login=registrar.login)
        petition = self.env["xinfang.petition"].search(
            [("subject", "=", "出院小结打印错误，要求更正")]
        )
        self.assertEqual(len(petition), 1)
        self.assertEqual(petition.state, "pending")
        self.assertEqual(petition.channel, "phone")
        self.assertEqual(petition.category_id, category)
        self.assertEqual(petition.request_nature, "complaint")  # the category's
        self.assertEqual(petition.department_id, department)
        self.assertEqual(petition.registrar_id, registrar)
        self.assertEqual(petition.petitioner_id.name, "赵新华")
        self.assertEqual(petition.petitioner_id.id_number, "320106197508234618")
        self.assertEqual(petition.petitioner_id.gender, "male")
        self.assertRegex(petition.name, r"^XF\d{4}-\d{5}$")

    def test_first_run_setup_then_first_item(self):
        # A database without demo data: the company is not set up yet, and
        # its office manager (no system administrator) is taken through it.
        company = self.env.company
        company.xinfang_setup_done = False
        manager = new_test_user(
            self.env,
            login="xf_tour_setup_manager",
            groups="base.group_user,xinfang_module.group_xinfang_manager",
        )
        contact = new_test_user(
            self.env,
            login="xf_tour_setup_contact",
            name="Setup Contact",
            groups="base.group_user,xinfang_module.group_xinfang_handler",
        )
        self.start_tour("/odoo", "xinfang_first_run_setup", login=manager.login)
        preset = self.env.ref("xinfang_module.preset_hospital")
        self.assertTrue(company.xinfang_setup_done)
        self.assertEqual(company.xinfang_preset_id, preset)
        self.assertEqual(company.name, "市第二人民医院")
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        medical = self.env["hr.department"].search(
            [("name", "=", "医务科"), ("company_id", "=", company.id)]
        )
        self.assertEqual(medical.xinfang_user_ids, contact)
        self.assertTrue(medical.xinfang_handles)
        petition = self.env["xinfang.petition"].search(
            [("subject", "=", "门诊收费多收挂号费")]
        )
        self.assertEqual(len(petition), 1)
        self.assertEqual(petition.category_id.code, "HOSP-DISPUTE")
        self.assertEqual(petition.request_nature, "complaint")
        self.assertEqual(petition.category_id.company_id, company)
        self.assertEqual(petition.department_id.name, "医患关系办公室")
        self.assertEqual(petition.registrar_id, manager)

    def test_manager_keeps_settings_and_departments(self):
        # The office manager is no system administrator (issue 11, item 7).
        department, _category, manager = self._setup("Tour Settings", "manager")
        self.assertFalse(manager.has_group("base.group_system"))
        contact = new_test_user(
            self.env,
            login="xf_tour_contact",
            groups="base.group_user,xinfang_module.group_xinfang_handler",
        )
        self.start_tour("/odoo", "xinfang_manager_settings", login=manager.login)
        self.assertEqual(self.env.company.xinfang_acceptance_days, 12)
        self.assertEqual(department.xinfang_user_ids, contact)

    def test_manager_walks_petition_to_closure(self):
        department, _category, manager = self._setup("Lifecycle", "manager")
        self.start_tour("/odoo", "xinfang_petition_lifecycle", login=manager.login)
        petition = self.env["xinfang.petition"].search(
            [("subject", "=", "门诊大厅指示牌不清楚")]
        )
        self.assertEqual(petition.state, "closed")
        self.assertEqual(petition.assignment_ids.department_id, department)
        self.assertEqual(petition.assignment_ids.state, "done")
        self.assertEqual(petition.reply_conclusion, "已更换全部指示牌")
        self.assertEqual(petition.completion_approver_id, manager)
        self.assertEqual(petition.publication_note, "在门诊大厅公告栏公布处理结果")

    def test_officer_records_phone_callback(self):
        department, category, officer = self._setup("Callback", "officer")
        petitioner = self.env["xinfang.petitioner"].create(
            {"name": "钱学英", "phone": "13911112222"}
        )
        petition = self.env["xinfang.petition"].create(
            {
                "channel": "phone",
                "subject": "回访巡回测试",
                "content": "内容",
                "petitioner_id": petitioner.id,
                "category_id": category.id,
                "state": "closed",
                "close_date": "2026-01-05",
            }
        )
        callback = self.env["xinfang.callback"].create(
            {
                "petition_id": petition.id,
                "method": "letter",
                "officer_ids": [(6, 0, officer.ids)],
            }
        )
        self.start_tour("/odoo", "xinfang_callback_phone", login=officer.login)
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.method, "phone")
        self.assertEqual(callback.rating, "basic")
        self.assertEqual(
            (callback.q_lawful, callback.q_solved, callback.q_fair), ("yes",) * 3
        )
        self.assertEqual(callback.suggestions, "希望缩短检查预约时间")
        self.assertEqual(petition.callback_rating, "basic")
        self.assertEqual(callback.done_date, date.today())

    def test_officer_books_appointment_and_registers_visit(self):
        _department, _category, officer = self._setup("Visit", "officer")
        leader = new_test_user(
            self.env,
            login="xf_tour_visit_leader",
            groups="base.group_user,xinfang_module.group_xinfang_leader",
        )
        self.env["xinfang.petitioner"].create(
            {"name": "孙丽华", "phone": "13700003333"}
        )
        day = self.env["xinfang.reception.day"].create(
            {
                "leader_id": leader.id,
                "date": date.today() + timedelta(days=2),
                "place": "巡回接待室",
                "officer_ids": [(6, 0, officer.ids)],
            }
        )
        self.start_tour("/odoo", "xinfang_visit_appointment", login=officer.login)
        visit = day.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.visit_type, "appointment")
        self.assertEqual(visit.state, "received")
        self.assertEqual(visit.leader_id, leader)
        self.assertEqual(visit.notice_method, "phone")
        self.assertEqual(visit.petitioner_ids.name, "孙丽华")
        petition = visit.petition_ids
        self.assertEqual(petition.channel, "visit")
        self.assertEqual(petition.petitioner_id.name, "孙丽华")
        self.assertEqual(petition.content, "信访人称病历复印申请被拒绝，要求说明理由。")
        self.assertEqual(petition.place, "巡回接待室")

    def test_manager_downloads_workbook_and_leader_opens_dashboard(self):
        """Issue 14: the workbook from the menu, the dashboard for a leader."""
        _department, category, manager = self._setup("Statistics", "manager")
        leader = new_test_user(
            self.env,
            login="xf_tour_leader",
            groups="base.group_user,xinfang_module.group_xinfang_leader",
        )
        last_year = date.today().year - 1
        self.env["xinfang.petition"].create(
            [
                {
                    "channel": "letter",
                    "category_id": category.id,
                    "subject": f"统计 {n}",
                    "content": "内容",
                    "registration_date": f"{last_year}-05-1{n} 02:00:00",
                }
                for n in range(3)
            ]
        )
        self.start_tour("/odoo", "xinfang_statistics_workbook", login=manager.login)
        wizard = self.env["xinfang.statistics.wizard"].search(
            [("create_uid", "=", manager.id)]
        )
        self.assertEqual(wizard.date_from, date(last_year, 4, 1))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.workbook)))
        self.assertEqual(len(book.sheetnames), 7)
        self.start_tour("/odoo", "xinfang_dashboard_leader", login=leader.login)
