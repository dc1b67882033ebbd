import re

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_open
from odoo.tools.translate import PoFileReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """zh_CN is the users' language: every exported string has a translation,
    except those that read the same in Chinese (OCA's format leaves their
    msgstr empty: Odoo then shows the source)."""

    # Report file names, already Chinese ('受理告知书 - %s' % object.name),
    # and what reads the same in Chinese.
    SAME_IN_CHINESE = re.compile(
        r"^'[^']*[\u4e00-\u9fff][^']*' % |^ID$|^<span>-</span>$"
        r'|^<span class="mx-1">@</span>$'
    )

    def _entries(self, filename):
        with file_open(f"xinfang_module/i18n/{filename}", "rb") as po_file:
            return {entry["src"]: entry["value"] for entry in PoFileReader(po_file)}

    def test_zh_cn_complete(self):
        template = self._entries("xinfang_module.pot")
        translated = self._entries("zh_CN.po")
        self.assertGreater(len(template), 100)
        missing = sorted(
            src
            for src in set(template) - {src for src, v in translated.items() if v}
            if not self.SAME_IN_CHINESE.search(src)
        )
        self.assertFalse(missing, "untranslated in zh_CN.po")

    def test_zh_cn_keeps_placeholders(self):
        placeholder = re.compile(r"%\(\w+\)s|%s")
        for source, value in self._entries("zh_CN.po").items():
            if not value:
                continue
            self.assertEqual(
                sorted(placeholder.findall(source)),
                sorted(placeholder.findall(value)),
                source,
            )

    def test_zh_cn_loads(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "xinfang_module")]
        )._update_translations(["zh_CN"])
        petition = self.env["xinfang.petition"].with_context(lang="zh_CN")
        states = dict(petition._fields["state"]._description_selection(petition.env))
        self.assertEqual(states["pending"], "待受理")
        self.assertEqual(
            petition._fields["petitioner_id"].get_description(petition.env)["string"],
            "信访人",
        )

    def test_chatter_sentences_in_the_users_language(self):
        # Selection labels inside a logged sentence are translated too.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "xinfang_module")]
        )._update_translations(["zh_CN"])
        Petition = self.env["xinfang.petition"].with_context(lang="zh_CN")
        original = Petition.create({"channel": "visit", "subject": "停车难"})
        repeat = Petition.create({"channel": "phone", "subject": "停车难"})
        repeat._link_as_repeat_of(original)
        body = str(original.message_ids[:1].body)
        self.assertIn(repeat.name, body)
        self.assertIn("来电/热线", body)
        self.assertNotIn("Hotline", body)
