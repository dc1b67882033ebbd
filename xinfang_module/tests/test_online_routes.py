import json
import re
from unittest.mock import patch

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.main import XinfangOnline
from .test_online import EXE, PNG

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestOnlineRoutes(HttpCase):
    """The public pages as a browser without an account reaches them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.write(
            {
                "xinfang_online_enabled": True,
                "xinfang_online_ip_hourly": 0,
                "xinfang_online_global_per_minute": 0,
                "xinfang_online_daily_cap": 0,
            }
        )
        cls.company.partner_id.lang = "en_US"
        cls.Petition = cls.env["xinfang.petition"]

    # -- helpers ----------------------------------------------------------

    def _csrf(self, url="/xinfang"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return CSRF_RE.search(page.text).group(1)

    def _captcha(self):
        """The characters of a new picture, as the browser's session holds
        them on the server."""
        image = self.url_open("/xinfang/captcha")
        self.assertEqual(image.headers["Content-Type"], "image/png")
        self.assertTrue(image.content.startswith(b"\x89PNG"))
        sid = self.opener.cookies["session_id"]
        return http.root.session_store.get(sid)["xinfang_captcha"]

    def _post(self, url, data, files=None):
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _form(self, **values):
        data = {
            "csrf_token": self._csrf(),
            "captcha": self._captcha(),
            "name": "孙丽",
            "phone": "13911112222",
            "subject": "住院押金退还慢",
            "content": "出院一个月，押金仍未退还。",
            "rights": "1",
            "consent": "1",
        }
        data.update(values)
        return data

    def _submit(self, files=None, **values):
        response = self._post("/xinfang/submit", self._form(**values), files=files)
        return response

    def _done(self, response):
        self.assertEqual(response.status_code, 200, response.text[:500])
        number = re.search(r'o_xinfang_number">([^<]+)<', response.text).group(1)
        code = re.search(r"o_xinfang_code[^>]*>([^<]+)<", response.text).group(1)
        return self.Petition.search([("name", "=", number)]), code

    # -- the form ---------------------------------------------------------

    def test_closed_until_the_office_opens_it(self):
        self.company.xinfang_online_enabled = False
        for url in ("/xinfang", "/xinfang/query", "/xinfang/captcha"):
            self.assertEqual(self.url_open(url).status_code, 404)

    def test_submit_with_a_file_and_follow_the_item(self):
        response = self._submit(
            files=[("attachments", ("押金单.png", PNG, "image/png"))]
        )
        petition, code = self._done(response)
        self.assertEqual(petition.channel, "online")
        self.assertIn("押金单.png", petition.message_ids.attachment_ids.mapped("name"))
        self.assertRegex(
            code, r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$"
        )
        # The receipt: number and code again.
        receipt = self._post(
            "/xinfang/receipt",
            {"csrf_token": self._csrf(), "number": petition.name, "code": code},
        )
        self.assertEqual(receipt.headers["Content-Type"], "application/pdf")
        # Tests render reports as HTML (Odoo skips wkhtmltopdf under tests).
        self.assertIn(code, receipt.text)
        self.assertIn(petition.name, receipt.text)
        self.assertNotIn("孙丽", receipt.text)
        # The query page, then material. Opening the item gives the browser
        # a new session id: one planted beforehand opens nothing.
        planted = self.opener.cookies["session_id"]
        status = self._post(
            "/xinfang/query",
            {"csrf_token": self._csrf(), "number": petition.name, "code": code},
        )
        self.assertNotEqual(self.opener.cookies["session_id"], planted)
        self.assertFalse(http.root.session_store.get(planted).get("xinfang_access"))
        self.assertEqual(status.status_code, 200)
        self.assertIn("Received: the office is registering it.", status.text)
        self.assertNotIn("Rate the handling", status.text)
        added = self._post(
            "/xinfang/query/supplement",
            {
                "csrf_token": self._csrf(),
                "petition": petition.id,
                "text": "补充：押金收据编号 123",
            },
            files=[("attachments", ("收据.png", PNG, "image/png"))],
        )
        self.assertIn("your material was added", added.text)
        self.assertTrue(petition.supplement_pending)
        # After the reply the petitioner rates it, once.
        petition.sudo()._xinfang_steps().write(
            {"state": "replied", "reply_date": fields.Date.today()}
        )
        rate = {
            "csrf_token": self._csrf(),
            "petition": petition.id,
            "rating": "basic",
            "comment": "<b>还行</b>",
        }
        self.assertIn(
            "Thank you for your rating", self._post("/xinfang/query/rate", rate).text
        )
        again = self._post("/xinfang/query/rate", dict(rate, rating="satisfied"))
        self.assertEqual(again.status_code, 400)
        callbacks = self.env["xinfang.callback"].search(
            [("petition_id", "=", petition.id)]
        )
        self.assertEqual(callbacks.mapped("rating"), ["basic"])
        self.assertEqual(callbacks.suggestions, "<b>还行</b>")

    def test_refusals_keep_what_was_typed(self):
        before = self.Petition.search_count([])
        # A wrong captcha.
        response = self._submit(captcha="WRONG", subject="我的标题")
        self.assertIn("were not typed right", response.text)
        self.assertIn('value="我的标题"', response.text)
        # A missing or forged CSRF token.
        response = self._submit(csrf_token="forged", content="我写的内容")
        self.assertIn("The page had expired", response.text)
        self.assertIn("我写的内容", response.text)
        # A replayed form: the captcha was used once.
        form = self._form()
        self.assertEqual(self._post("/xinfang/submit", form).status_code, 200)
        replay = self._post("/xinfang/submit", form)
        # Refused: the browser's session changed with the item it opened,
        # and the picture answered once.
        self.assertEqual(replay.status_code, 200)
        self.assertIn("The page had expired", replay.text)
        form = self._form(subject="再来一次")
        self._post("/xinfang/submit", dict(form, captcha=form["captcha"]))
        again = self._post("/xinfang/submit", dict(form, csrf_token=self._csrf()))
        self.assertIn("were not typed right", again.text)
        # The hidden field a robot fills.
        robot = self._submit(homepage="http://spam.example.com")
        self.assertIn("could not be sent", robot.text)
        # A program named as a picture; too much text; markup.
        response = self._submit(files=[("attachments", ("a.jpg", EXE, "image/jpeg"))])
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not match its name", response.text)
        response = self._submit(content="长" * 20000)
        self.assertIn("too long", response.text)
        self.assertEqual(self.Petition.search_count([]), before + 2)
        # Odd values get the form again, never an error page.
        self.assertEqual(self._submit(category_id="²").status_code, 400)
        odd = self._post(
            "/xinfang/query",
            {"csrf_token": self._csrf(), "number": "XF\x00", "code": "X\x00"},
        )
        self.assertEqual(odd.status_code, 403)
        for petition_param in ("abc", "", "99999999999999999999"):
            response = self._post(
                "/xinfang/query/rate",
                {
                    "csrf_token": self._csrf(),
                    "petition": petition_param,
                    "rating": "basic",
                },
            )
            self.assertEqual(response.status_code, 404)
        # Markup typed is shown as text, never run.
        response = self._submit(subject="<script>alert(1)</script>", phone="12")
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)
        self.assertNotIn("<script>alert(1)", response.text)

    def test_rate_limit_page(self):
        self.company.xinfang_online_ip_hourly = 1
        self._done(self._submit())
        response = self._submit(subject="第二件")
        self.assertEqual(response.status_code, 429)
        self.assertIn("your network", response.text)
        self.assertIn('value="第二件"', response.text)
        self.assertEqual(
            self.env["xinfang.online.event"].search_count([("kind", "=", "refused")]), 1
        )

    def test_query_page_refuses_and_locks_out(self):
        petition, code = self._done(self._submit())
        other, other_code = self._done(self._submit(phone="13911113333"))
        wrong = []
        for number, given in ((other.name, code), (petition.name, other_code)):
            response = self._post(
                "/xinfang/query",
                {"csrf_token": self._csrf(), "number": number, "code": given},
            )
            self.assertEqual(response.status_code, 403)
            wrong.append(response.text.count("do not match"))
        self.assertEqual(wrong, [1, 1])
        # Material for an item this browser did not open: not found.
        self.opener.cookies.clear()
        response = self._post(
            "/xinfang/query/supplement",
            {"csrf_token": self._csrf(), "petition": petition.id, "text": "x"},
        )
        self.assertEqual(response.status_code, 404)
        self.company.xinfang_online_lockout_failures = 3
        for _attempt in range(2):
            self._post(
                "/xinfang/query",
                {"csrf_token": self._csrf(), "number": petition.name, "code": "X"},
            )
        response = self._post(
            "/xinfang/query",
            {"csrf_token": self._csrf(), "number": petition.name, "code": code},
        )
        self.assertIn("paused", response.text)

    def test_concealed_item_query_page_names_nobody(self):
        petition, code = self._done(self._submit(name="匿名保护者"))
        officer = new_test_user(
            self.env,
            login="xf_r_officer",
            groups="base.group_user,xinfang_module.group_xinfang_officer",
            name="王办事员",
        )
        petition.sudo()._xinfang_steps().write(
            {
                "conceal_identity": True,
                "registrar_id": officer.id,
                "state": "replied",
                "reply_date": fields.Date.today(),
            }
        )
        page = self._post(
            "/xinfang/query",
            {"csrf_token": self._csrf(), "number": petition.name, "code": code},
        )
        self.assertEqual(page.status_code, 200)
        for name in ("王办事员", "匿名保护者", "OdooBot"):
            self.assertNotIn(name, page.text)
        # A notice of another item is not found from this page.
        response = self.url_open(f"/xinfang/query/document/1?petition={petition.id}")
        self.assertEqual(response.status_code, 404)

    def test_public_and_portal_users_reach_nothing_else(self):
        portal = new_test_user(self.env, login="xf_portal", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        models = [name for name in self.env if name.startswith("xinfang.")]
        self.assertGreater(len(models), 20)
        for user in (public, portal):
            for model in models:
                Model = self.env[model].with_user(user)
                if Model._abstract:
                    continue
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(AccessError):
                        Model.search_read([], ["id"], limit=1)
        # Over JSON-RPC, as the portal user.
        self.authenticate("xf_portal", "xf_portal")
        for model in ("xinfang.petition", "xinfang.petitioner", "xinfang.online.event"):
            response = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": model,
                            "method": "search_read",
                            "args": [[]],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            self.assertIn("AccessError", response.text)


@tagged("post_install", "-at_install")
class TestOnlineTour(HttpCase):
    """An anonymous visitor in Chromium: submits with a file, queries, adds
    material; after the office's reply, rates the handling."""

    def test_online_petition_tour(self):
        company = self.env.ref("base.main_company")
        company.xinfang_online_enabled = True
        with patch.object(XinfangOnline, "_captcha_text", return_value="23456"):
            self.start_tour("/xinfang", "xinfang_online_submit")
        petition = self.env["xinfang.petition"].search(
            [("channel", "=", "online"), ("subject", "=", "检验报告迟迟拿不到")]
        )
        self.assertEqual(len(petition), 1)
        self.assertTrue(petition.anonymous)
        self.assertTrue(petition.supplement_pending)
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", petition._name), ("res_id", "=", petition.id)])
            .mapped("name")
        )
        self.assertIn("化验单.pdf", names)
        # The office replies; the visitor comes back and rates it.
        petition.sudo()._xinfang_steps().write(
            {"state": "replied", "reply_date": fields.Date.today()}
        )
        # A new browser: the number in the link, the code (issued again for
        # the test, as the office would) in the fragment, never sent.
        code = petition._xinfang_issue_query_code()
        self.start_tour(
            f"/xinfang/query?number={petition.name}#code={code}", "xinfang_online_rate"
        )
        callback = self.env["xinfang.callback"].search(
            [("petition_id", "=", petition.id)]
        )
        self.assertEqual(callback.rating, "satisfied")
        self.assertEqual(callback.method, "online")
