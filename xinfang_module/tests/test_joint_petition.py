from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import XinfangCase


class JointCase(XinfangCase):
    """Three joint letters: an ordinary one to medical affairs, one that
    conceals its signatories from the department, and a confidential one;
    each co-signed by people who brought no item of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Petitioner = cls.env["xinfang.petitioner"]
        (
            cls.signer_open,
            cls.signer_open2,
            cls.signer_concealed,
            cls.signer_secret,
        ) = Petitioner.create(
            [{"name": name} for name in ("赵一平", "钱二兰", "孙三木", "周四海")]
        )
        cls.j_open = cls._petition(
            cls.zhang,
            cls.cat_quality,
            subject="联名反映停车难",
            state="pending",
            joint=True,
            people_count=12,
            cosigner_ids=[Command.set((cls.signer_open | cls.signer_open2).ids)],
            representative_ids=[Command.set((cls.zhang | cls.signer_open).ids)],
        )
        cls.j_concealed = cls._petition(
            cls.li,
            cls.cat_quality,
            subject="联名反映科室乱收费",
            state="pending",
            joint=True,
            people_count=2,
            conceal_identity=True,
            cosigner_ids=[Command.set(cls.signer_concealed.ids)],
            representative_ids=[Command.set(cls.signer_concealed.ids)],
        )
        cls.j_secret = cls._petition(
            cls.wang,
            cls.cat_accusation,
            subject="联名举报采购回扣",
            state="pending",
            joint=True,
            people_count=2,
            cosigner_ids=[Command.set(cls.signer_secret.ids)],
        )


@tagged("post_install", "-at_install", "xinfang_security")
class TestJointPetitionIdentity(JointCase):
    """A co-signer's identity is protected as the petitioner's: per group,
    through every door of the item. Tagged xinfang_security: CI runs it on
    a database upgraded from the previous release too (the rules of the
    co-signers are noupdate data, reloaded by the 18.0.1.7.0 migration)."""

    def _readable(self, user):
        signers = (
            self.signer_open
            | self.signer_open2
            | self.signer_concealed
            | self.signer_secret
        )
        return (
            self.env["xinfang.petitioner"]
            .with_user(user)
            .search([("id", "in", signers.ids)])
        )

    def test_cosigners_readable_per_group(self):
        open_signers = self.signer_open | self.signer_open2
        office = open_signers | self.signer_concealed
        # The department reads the signatories of its items, not those its
        # item conceals; another department reads none.
        self.assertEqual(self._readable(self.handler), open_signers)
        self.assertFalse(self._readable(self.handler_nursing))
        self.assertEqual(self._readable(self.leader), open_signers)
        # The office reads all but the confidential item's, which no
        # registrar reads either (it brought no item of its own).
        for user in (self.registrar, self.registrar2, self.officer):
            self.assertEqual(self._readable(user), office, user.login)
        self.assertEqual(self._readable(self.discipline), self.signer_secret)
        self.assertEqual(self._readable(self.manager), office | self.signer_secret)
        with self.assertRaises(AccessError):
            self._readable(self.outsider)

    def test_concealed_cosigners_through_the_item(self):
        Petition = self.env["xinfang.petition"].with_user(self.handler)
        petition = Petition.browse(self.j_concealed.id)
        self.assertEqual(petition.subject, "联名反映科室乱收费")
        # read and web_read list no signatory the handler may not read.
        values = petition.read(["cosigner_ids", "representative_ids"])[0]
        self.assertEqual(values["cosigner_ids"], [])
        self.assertEqual(values["representative_ids"], [])
        spec = {"cosigner_ids": {"fields": {"display_name": {}}}}
        self.assertNotIn("孙三木", str(petition.web_read(spec)))
        with self.assertRaises(AccessError):
            self.signer_concealed.with_user(self.handler).read(["name"])
        # Searching items by a co-signer finds nothing.
        for domain in (
            [("cosigner_ids.name", "ilike", "孙三木")],
            [("cosigner_ids", "ilike", "孙三木")],
            [("representative_ids.name", "=", "孙三木")],
        ):
            self.assertFalse(Petition.search(domain), domain)
        self.assertFalse(
            self.env["xinfang.petitioner"].with_user(self.handler).name_search("孙三木")
        )
        # Grouped by co-signer: the label is masked.
        groups = Petition.web_read_group(
            [("id", "=", self.j_concealed.id)], ["cosigner_ids"], ["cosigner_ids"]
        )
        self.assertNotIn("孙三木", str(groups))
        # Exported: the masked name, nothing else.
        self.env.invalidate_all()
        export = self.env.ref("base.group_allow_export")
        self.handler.groups_id = [Command.link(export.id)]
        exported = Petition.browse(self.j_concealed.id).export_data(
            ["cosigner_ids/name", "cosigner_ids/phone"]
        )
        self.assertNotIn("孙三木", str(exported))
        # The office reads them.
        office = self.j_concealed.with_user(self.officer)
        self.assertEqual(office.cosigner_ids, self.signer_concealed)

    def test_a_cosigned_confidential_item_hides_the_person(self):
        # A registrar who registers a new item of a confidential item's
        # co-signer may not name them: naming is no way to read them.
        Petition = self.env["xinfang.petition"].with_user(self.registrar)
        vals = {
            "channel": "letter",
            "subject": "联名反映食堂",
            "content": "内容",
            "joint": True,
            "people_count": 2,
            "petitioner_id": self.zhang.id,
        }
        with self.assertRaises(UserError):
            Petition.create(
                {**vals, "cosigner_ids": [Command.link(self.signer_secret.id)]}
            )
        item = Petition.create(
            {**vals, "cosigner_ids": [Command.link(self.signer_open.id)]}
        )
        self.assertEqual(item.cosigner_ids, self.signer_open)


@tagged("post_install", "-at_install")
class TestJointPetition(JointCase):
    @contextmanager
    def _refused(self, message):
        """A ValidationError saying ``message``, and nothing written."""
        with self.assertRaisesRegex(ValidationError, message):
            with self.env.cr.savepoint():
                yield

    def test_signatories_are_checked(self):
        petition = self.p_medical
        with self._refused("joint petition"):
            petition.cosigner_ids = self.signer_open
        with self._refused("not also a co-signer"):
            self.j_open.cosigner_ids = [Command.link(self.zhang.id)]
        with self._refused("more signatories"):
            self.j_concealed.cosigner_ids = [Command.link(self.signer_open.id)]
        with self._refused("among the petitioner"):
            self.j_open.representative_ids = [Command.link(self.signer_secret.id)]
        with self._refused("joint petition"):
            self.j_open.anonymous = True
        # At most the settings' number of representatives (篇8 §八3: 3).
        self.company.xinfang_visit_max_representatives = 3
        self.j_open.representative_ids = (
            self.zhang | self.signer_open | self.signer_open2
        )
        self.company.xinfang_visit_max_representatives = 2
        with self._refused("at most 2 representatives"):
            self.j_open.representative_ids = (
                self.zhang | self.signer_open | self.signer_open2
            )

    def test_signatories_are_the_letter_as_received(self):
        # After registration only the office corrects them (更正登记).
        with self.assertRaises(UserError):
            self.j_open.with_user(self.handler).write(
                {"cosigner_ids": [Command.unlink(self.signer_open2.id)]}
            )
        with self.assertRaises(UserError):
            self.j_open.with_user(self.officer).write(
                {"representative_ids": [Command.set(self.zhang.ids)]}
            )
        # Nor does a registrar rewrite who a co-signer of a registered item is.
        with self.assertRaisesRegex(UserError, "co-signer of a registered item"):
            self.signer_open.with_user(self.registrar).write({"name": "赵一"})
        dialog = Form(
            self.env["xinfang.petition.correction"]
            .with_user(self.officer)
            .with_context(default_petition_id=self.j_open.id)
        )
        self.assertEqual(len(dialog.cosigner_ids), 2)
        dialog.reason = "签名人名单录入有误"
        dialog.cosigner_ids.remove(id=self.signer_open2.id)
        dialog.save().action_confirm()
        self.assertEqual(self.j_open.cosigner_ids, self.signer_open)
        self.assertIn("签名人名单录入有误", self.j_open.message_ids[0].body)
        # Unchanged signatories are no change.
        dialog = Form(
            self.env["xinfang.petition.correction"]
            .with_user(self.officer)
            .with_context(default_petition_id=self.j_open.id)
        )
        dialog.reason = "再次核对"
        with self.assertRaisesRegex(UserError, "Nothing was changed"):
            dialog.save().action_confirm()

    def test_notice_is_addressed_to_the_representatives(self):
        Notice = self.env["report.xinfang_module.report_petition_acceptance"]
        addressee = Notice.with_user(self.officer)._addressee(self.j_open)
        self.assertEqual(
            addressee,
            "张建华, 赵一平 and the other signatories (12 people):",
        )
        # Without representatives: the petitioner, and how many signed.
        self.assertEqual(
            Notice.with_user(self.manager)._addressee(self.j_secret),
            "王志明 and the other signatories (2 people):",
        )
        # A reader who may not read the representative reads nobody's name.
        self.assertEqual(
            Notice.with_user(self.handler)._addressee(self.j_concealed),
            "To the petitioner:",
        )
        # The registration form lists the signatories, masked for the leader
        # who may not read them.
        Form_ = self.env["report.xinfang_module.report_petition_registration"]
        values = Form_.with_user(self.officer)._values(
            self.j_open.with_user(self.officer)
        )
        self.assertEqual(
            values["signatories"][self.j_open],
            {"cosigners": "赵一平, 钱二兰", "representatives": "张建华, 赵一平"},
        )
        values = Form_.with_user(self.leader)._values(
            self.j_concealed.with_user(self.leader)
        )
        self.assertEqual(
            values["signatories"][self.j_concealed],
            {
                "cosigners": "Identity confidential",
                "representatives": "Identity confidential",
            },
        )

    def test_petitioner_counts_cosigned_items(self):
        self.assertEqual(self.signer_open.petition_count, 1)
        self.assertEqual(self.zhang.petition_count, 3)
        action = self.signer_open.action_view_petitions()
        self.assertEqual(
            self.env["xinfang.petition"].search(action["domain"]), self.j_open
        )
