"""The public pages of online petitions (issue 16): /xinfang (the form),
/xinfang/query (number and query code), the receipt and the notices.

The routes only read the request and render: every rule (limits, checks,
what a petitioner may see) is in ``models/xinfang_online.py``. A refusal
renders the page again with what was typed (files must be chosen again:
a browser never sends them back), never a bare error page; the CSRF token
is checked here for that reason, and the one-time captcha makes a replayed
form useless.
"""

import base64
import hmac
import logging
import secrets
import time

from captcha.image import ImageCaptcha
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.xinfang_online import (
    CODE_ALPHABET,
    LIMITS,
    clean_text,
    format_code,
    normalize_code,
    normalize_number,
)

_logger = logging.getLogger(__name__)

# A form field no person fills: it is hidden by the page's style.
HONEYPOT = "homepage"
CAPTCHA_KEY = "xinfang_captcha"
ACCESS_KEY = "xinfang_access"
# Minutes the query page stays open after the number and code were given.
ACCESS_MINUTES = 30
CAPTCHA_LENGTH = 5
TEXT_FIELDS = (
    "name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "work_unit",
    "subject",
    "content",
    "requests",
    "request_nature",
    "category_id",
)


class XinfangOnline(http.Controller):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _company(self):
        """The company whose office takes online petitions here: the public
        site's company; none (404) while the office has not opened them."""
        company = request.env.company.sudo()
        if not company.xinfang_online_enabled:
            raise NotFound()
        lang = company.partner_id.lang
        if lang and not request.httprequest.cookies.get("frontend_lang"):
            request.update_context(lang=lang)
        return company

    def _ip(self):
        return request.httprequest.remote_addr or ""

    def _petition_model(self):
        return request.env["xinfang.petition"].sudo()

    def _render(self, template, values, status=200):
        values = {
            "errors": [],
            "notice": None,
            "number": None,
            "text": None,
            "comment": None,
            **values,
        }
        response = request.render(f"xinfang_module.{template}", values)
        response.status_code = status
        # Nothing of these pages belongs in a shared cache.
        response.headers["Cache-Control"] = "no-store"
        return response

    def _form_values(self, company, data=None, errors=None):
        Petition = self._petition_model()
        petitioner = request.env["xinfang.petitioner"]
        category = request.env["xinfang.category"]
        return {
            "company": company,
            "data": data or {},
            "errors": errors or [],
            "categories": Petition._xinfang_online_categories(company),
            "natures": category._fields["request_nature"]._description_selection(
                request.env
            ),
            "id_types": petitioner._fields["id_type"]._description_selection(
                request.env
            ),
            "limits": LIMITS,
            "file_types": ", ".join(company._xinfang_online_file_types()),
            "honeypot": HONEYPOT,
        }

    def _captcha_text(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CAPTCHA_LENGTH))

    def _check_captcha(self, answer):
        """One try per picture: the answer is taken from the session as it
        is checked, right or wrong."""
        expected = request.session.pop(CAPTCHA_KEY, None)
        given = (answer or "").strip().upper()
        return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())

    def _files(self, name="attachments"):
        return [
            (upload.filename or "file", upload.read())
            for upload in request.httprequest.files.getlist(name)
            if upload.filename
        ]

    def _grant(self, petition):
        """The query page of this item stays open for a while in this
        browser (material, rating, notices)."""
        access = dict(request.session.get(ACCESS_KEY) or {})
        now = time.time()
        access = {key: until for key, until in access.items() if until > now}
        access[str(petition.id)] = now + ACCESS_MINUTES * 60
        request.session[ACCESS_KEY] = access
        # A new session id from now on: a session id planted in the browser
        # beforehand (session fixation) opens nothing. Now, not after the
        # response: the page's forms carry CSRF tokens of the new id.
        http.root.session_store.rotate(request.session, request.env)

    def _granted(self, company):
        """The item opened in this browser, or 404."""
        petition_id = str(request.params.get("petition") or "")
        access = request.session.get(ACCESS_KEY) or {}
        until = access.get(petition_id)
        if not petition_id.isdigit() or not until or until < time.time():
            raise NotFound()
        petition = self._petition_model().browse(int(petition_id)).exists()
        if not petition or petition.company_id != company:
            raise NotFound()
        return petition

    def _open_item(self, company, number, code):
        """(the item of this number and code, None), or (nothing, the query
        page again with the reason)."""
        petition, error = self._petition_model()._xinfang_online_query(
            company, number, code, ip=self._ip()
        )
        if error:
            return petition, self._render(
                "online_query",
                {"company": company, "errors": [error], "number": number},
                status=403,
            )
        return petition, None

    def _pdf(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )

    def _status_values(self, company, petition, errors=None, notice=None):
        return {
            "company": company,
            "petition_id": petition.id,
            "status": petition._xinfang_online_status(),
            "errors": errors or [],
            "notice": notice,
            "limits": LIMITS,
            "file_types": ", ".join(company._xinfang_online_file_types()),
        }

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------

    @http.route(
        "/xinfang",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def form(self, **kwargs):
        company = self._company()
        return self._render("online_form", self._form_values(company))

    @http.route(
        "/xinfang/captcha", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def captcha(self, **kwargs):
        self._company()
        text = self._captcha_text()
        request.session[CAPTCHA_KEY] = text
        image = ImageCaptcha(width=180, height=60).generate(text).getvalue()
        return request.make_response(
            image,
            headers=[
                ("Content-Type", "image/png"),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route(
        "/xinfang/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def submit(self, **post):
        company = self._company()
        data = {name: clean_text(post.get(name)) for name in TEXT_FIELDS}
        data["anonymous"] = bool(post.get("anonymous"))
        data["rights"] = bool(post.get("rights"))
        data["consent"] = bool(post.get("consent"))
        Event = request.env["xinfang.online.event"]
        if not request.validate_csrf(post.get("csrf_token")):
            errors = [
                request.env._(
                    "The page had expired. Check what you typed and send it again."
                )
            ]
            return self._render("online_form", self._form_values(company, data, errors))
        if post.get(HONEYPOT):
            # A robot filled the hidden field: nothing is stored.
            Event._log(company, "refused", ip=self._ip(), detail="honeypot")
            errors = [
                request.env._("The petition could not be sent. Please try again.")
            ]
            return self._render("online_form", self._form_values(company, data, errors))
        category = post.get("category_id") or ""
        data["category_id"] = (
            int(category)
            if category.isascii() and category.isdigit()
            else category and -1
        )
        files = self._files()
        Petition = self._petition_model()
        # Every mistake of the form at once, the picture's with the others.
        errors = Petition._xinfang_online_check(company, data, files)
        if not self._check_captcha(post.get("captcha")):
            errors.append(
                request.env._(
                    "The characters of the picture were not typed right. "
                    "Try the new picture."
                )
            )
        if errors:
            return self._render(
                "online_form", self._form_values(company, data, errors), status=400
            )
        # Checked (and a refusal logged) outside the submission's savepoint.
        refusal = Petition._xinfang_online_refusal(company, data, self._ip())
        if refusal:
            return self._render(
                "online_form", self._form_values(company, data, [refusal]), status=429
            )
        try:
            with request.env.cr.savepoint():
                petition, code = Petition._xinfang_online_submit(
                    company, data, files, ip=self._ip(), checked=True
                )
        except ValidationError as error:
            errors = error.args[0].split("\n")
            return self._render(
                "online_form", self._form_values(company, data, errors), status=400
            )
        except UserError as error:
            return self._render(
                "online_form",
                self._form_values(company, data, [error.args[0]]),
                status=429,
            )
        self._grant(petition)
        return self._render(
            "online_done",
            {
                "company": company,
                "number": petition.name,
                "code": format_code(code),
                "email": data.get("email") if not data["anonymous"] else False,
            },
        )

    @http.route(
        "/xinfang/receipt",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def receipt(self, number=None, code=None, **post):
        """The receipt (回执) as PDF: number and code again, as for a query."""
        company = self._company()
        petition, refusal = self._open_item(company, number, code)
        if refusal:
            return refusal
        report = request.env["ir.actions.report"].sudo()
        pdf = report.with_context(lang=request.env.lang)._render_qweb_pdf(
            "xinfang_module.xinfang_petition_report_online_receipt",
            petition.ids,
            data={"query_code": format_code(normalize_code(code))},
        )[0]
        return self._pdf(pdf, f"{petition.name}.pdf")

    # ------------------------------------------------------------------
    # The query page
    # ------------------------------------------------------------------

    @http.route(
        "/xinfang/query",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def query_form(self, number=None, **kwargs):
        """The query page; a link may carry the number (never the code)."""
        company = self._company()
        return self._render(
            "online_query",
            {"company": company, "errors": [], "number": normalize_number(number)},
        )

    @http.route(
        "/xinfang/query",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def query(self, number=None, code=None, **post):
        company = self._company()
        petition, refusal = self._open_item(company, number, code)
        if refusal:
            return refusal
        self._grant(petition)
        return self._render("online_status", self._status_values(company, petition))

    @http.route(
        "/xinfang/query/supplement",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def supplement(self, text=None, **post):
        company = self._company()
        petition = self._granted(company)
        files = self._files()
        try:
            with request.env.cr.savepoint():
                petition._xinfang_online_supplement(text or "", files, ip=self._ip())
        except (ValidationError, UserError) as error:
            values = self._status_values(company, petition, error.args[0].split("\n"))
            values["text"] = text
            return self._render("online_status", values, status=400)
        notice = request.env._("Thank you: your material was added to the item.")
        if files:
            notice = request.env._(
                "Thank you: your material was added to the item, with %(files)s.",
                files=", ".join(name for name, _content in files),
            )
        return self._render(
            "online_status", self._status_values(company, petition, notice=notice)
        )

    @http.route(
        "/xinfang/query/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def rate(self, rating=None, comment=None, **post):
        company = self._company()
        petition = self._granted(company)
        try:
            with request.env.cr.savepoint():
                petition._xinfang_online_rate(rating, comment or "", ip=self._ip())
        except (ValidationError, UserError) as error:
            values = self._status_values(company, petition, [error.args[0]])
            values["comment"] = comment
            return self._render("online_status", values, status=400)
        notice = request.env._("Thank you for your rating.")
        return self._render(
            "online_status", self._status_values(company, petition, notice=notice)
        )

    @http.route(
        "/xinfang/query/document/<int:document_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def document(self, document_id, **kwargs):
        company = self._company()
        petition = self._granted(company)
        document = request.env["xinfang.document"].sudo().browse(document_id).exists()
        if (
            not document
            or document.petition_id != petition
            or not document.online_release
            or not document.online_copy
        ):
            raise NotFound()
        request.env["xinfang.online.event"]._log(
            company,
            "document",
            ip=self._ip(),
            petition=petition,
            number=petition.name,
            detail=document.name,
        )
        return self._pdf(
            base64.b64decode(document.online_copy), f"{document.display_name}.pdf"
        )
