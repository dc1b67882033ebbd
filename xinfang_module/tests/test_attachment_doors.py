"""The originals of a protected item, through every door a handler has
(issue 11): the attachment list, /web/content, /web/image, the chatter."""

import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

# A 1x1 PNG: an image served by /web/image too.
PNG = base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQ"
    b"AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install", "xinfang_security")
class TestAttachmentDoors(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        department = cls.env["hr.department"].create(
            {"name": "医务科 (files)", "xinfang_handles": True}
        )
        cls.handler = new_test_user(
            cls.env,
            login="xf_files_handler",
            groups="base.group_user,xinfang_module.group_xinfang_handler",
        )
        cls.env["hr.employee"].create(
            {
                "name": "xf_files_handler",
                "user_id": cls.handler.id,
                "department_id": department.id,
            }
        )
        cls.officer = new_test_user(
            cls.env,
            login="xf_files_officer",
            groups="base.group_user,xinfang_module.group_xinfang_officer",
        )
        petitioner = cls.env["xinfang.petitioner"].create({"name": "举报人甲"})
        category = cls.env["xinfang.category"].create(
            {"name": "医德医风 (files)", "department_id": department.id}
        )
        cls.concealed = cls.env["xinfang.petition"].create(
            {
                "channel": "letter",
                "subject": "反映医生收受红包",
                "content": "内容",
                "petitioner_id": petitioner.id,
                "category_id": category.id,
                "conceal_identity": True,
                "state": "handling",
            }
        )
        cls.ordinary = cls.concealed.copy(
            {"conceal_identity": False, "state": "handling"}
        )

        def attach(petition, name, **vals):
            return cls.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": PNG,
                    "mimetype": "image/png",
                    "res_model": "xinfang.petition",
                    "res_id": petition.id,
                    **vals,
                }
            )

        cls.original = attach(cls.concealed, "举报人甲来信原件.png")
        cls.copy = attach(cls.concealed, "来信摘要.png", xinfang_working_copy=True)
        # The same person's ordinary item: identity is per person, so its
        # original (which names them) is hidden too; another person's is not.
        cls.same_person = attach(cls.ordinary, "来信.png")
        other = cls.concealed.copy(
            {
                "conceal_identity": False,
                "state": "handling",
                "petitioner_id": cls.env["xinfang.petitioner"]
                .create({"name": "来信人乙"})
                .id,
            }
        )
        cls.plain = attach(other, "乙来信.png")
        cls.concealed.message_post(
            body="原件扫描", attachment_ids=cls.original.ids, message_type="comment"
        )

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_handler_sees_working_copies_only(self):
        self.authenticate("xf_files_handler", "xf_files_handler")
        self.assertEqual(self._get(f"/web/content/{self.copy.id}").status_code, 200)
        self.assertEqual(self._get(f"/web/content/{self.plain.id}").status_code, 200)
        for url in (
            f"/web/content/{self.original.id}",
            f"/web/content/{self.original.id}?download=true",
            f"/web/content/{self.same_person.id}",
        ):
            response = self._get(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotEqual(response.content, PNG, url)
        # /web/image answers a refused image with Odoo's placeholder.
        response = self._get(f"/web/image/{self.original.id}")
        self.assertNotEqual(response.content, PNG)
        self.assertEqual(self._get(f"/web/image/{self.copy.id}").content, PNG)
        # The attachment box of the chatter.
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": "xinfang.petition",
                "thread_id": self.concealed.id,
                "request_list": ["attachments"],
            },
        )
        text = json.dumps(data, ensure_ascii=False)
        self.assertIn("来信摘要", text)
        self.assertNotIn("举报人甲", text)
        # The message that carries the original.
        data = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "xinfang.petition", "thread_id": self.concealed.id},
        )
        text = json.dumps(data, ensure_ascii=False)
        self.assertIn("原件扫描", text)
        self.assertNotIn("举报人甲", text)
        # And the ORM.
        Attachment = self.env["ir.attachment"].with_user(self.handler)
        found = Attachment.search([("res_model", "=", "xinfang.petition")])
        self.assertIn(self.copy, found)
        self.assertNotIn(self.original, found)
        with self.assertRaises(AccessError):
            self.original.with_user(self.handler).read(["datas"])

    def test_office_opens_the_original_and_marks_working_copies(self):
        self.authenticate("xf_files_officer", "xf_files_officer")
        response = self._get(f"/web/content/{self.original.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PNG)
        self.original.with_user(self.officer).xinfang_working_copy = True
        self.assertTrue(self.original.with_user(self.handler).has_access("read"))

    def test_originals_are_never_replaced(self):
        with self.assertRaises(UserError):
            self.copy.with_user(self.officer).write({"raw": b"forged"})
        with self.assertRaises(UserError):
            self.plain.with_user(self.handler).unlink()
        with self.assertRaises(UserError):
            self.original.with_user(self.handler).xinfang_working_copy = True
