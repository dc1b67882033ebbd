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

    def test_items_are_never_linked_from_the_person(self):
        # The person's side of the links is the rules' and the server's:
        # nobody reads it (it would list items the user may not read) or
        # writes it (it would bypass the item's steps).
        self.j_secret.write(
            {"people_count": 3, "cosigner_ids": [Command.link(self.signer_open.id)]}
        )
        for user in (self.registrar, self.officer, self.discipline, self.manager):
            Petitioner = self.env["xinfang.petitioner"].with_user(user)
            for name, value in (
                ("cosigned_petition_ids", [Command.link(self.j_secret.id)]),
                ("petition_ids", [Command.link(self.p_medical.id)]),
                ("visit_ids", [Command.clear()]),
            ):
                with self.assertRaises(UserError, msg=f"{user.login} {name}"):
                    Petitioner.create({"name": "伪造", name: value})
                with self.assertRaises(UserError, msg=f"{user.login} {name}"):
                    Petitioner.browse(self.signer_open.id).write({name: value})
            with self.assertRaises(AccessError):
                Petitioner.browse(self.signer_open.id).read(["cosigned_petition_ids"])
            for domain in (
                [("cosigned_petition_ids", "in", self.j_secret.ids)],
                [("petition_ids.subject", "ilike", "举报")],
                ["!", ("visit_ids", "=", False)],
            ):
                with self.assertRaises(AccessError):
                    Petitioner.search(domain)
            # Grouped by them: Odoo applies the items' rules to the groups
            # (signer_open also co-signed the confidential item, below).
            groups = Petitioner.read_group(
                [("id", "=", self.signer_open.id)], ["name"], ["cosigned_petition_ids"]
            )
            keys = {
                group["cosigned_petition_ids"][0]
                for group in groups
                if group["cosigned_petition_ids"]
            }
            self.assertEqual(
                self.j_secret.id in keys,
                user in (self.discipline, self.manager),
                user.login,
            )
        # Not even an administrator.
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesRegex(UserError, "on the petition or the visit"):
            self.signer_open.with_user(admin).write(
                {"cosigned_petition_ids": [Command.link(self.j_secret.id)]}
            )
        self.assertEqual(
            self.j_secret.cosigner_ids, self.signer_secret | self.signer_open
        )
        # Who may not change a person hears nothing of their items.
        with self.assertRaises(AccessError):
            self.signer_secret.with_user(self.handler).write({"phone": "13800000000"})
        # Who may, hears that a registered item has them, not which.
        with self.assertRaises(UserError) as refused:
            self.signer_open.with_user(self.registrar).write({"phone": "13800000000"})
        self.assertNotIn("XF", str(refused.exception))
        # Proposed by the context, as defaults of a new or copied person.
        for user in (self.registrar, admin):
            Petitioner = self.env["xinfang.petitioner"].with_user(user)
            for name in ("cosigned_petition_ids", "visit_ids", "petition_ids"):
                proposing = Petitioner.with_context(
                    **{f"default_{name}": [Command.link(self.j_secret.id)]}
                )
                with self.assertRaisesRegex(UserError, "not on the person"):
                    proposing.create({"name": "伪造"})
                with self.assertRaisesRegex(UserError, "not on the person"):
                    proposing.name_create("伪造")
                with self.assertRaisesRegex(UserError, "not on the person"):
                    proposing.browse(self.zhang.id).copy()
        # Exported: refused, from the person or through an item.
        export = self.env.ref("base.group_allow_export")
        self.officer.groups_id = [Command.link(export.id)]
        with self.assertRaises(AccessError):
            self.signer_open.with_user(self.officer).export_data(
                ["cosigned_petition_ids/name"]
            )
        with self.assertRaises(AccessError):
            self.j_open.with_user(self.officer).with_context(
                import_compat=False
            ).export_data(["cosigner_ids/cosigned_petition_ids/name"])
        self.assertEqual(
            self.j_open.with_user(self.officer).export_data(["cosigner_ids/name"])[
                "datas"
            ][0],
            ["赵一平,钱二兰"],
        )

    def test_an_archived_item_still_conceals(self):
        # li brought the concealed item: a plain item of theirs in the same
        # department does not show them, also once the concealed ones are
        # archived (archived items are kept, not forgotten).
        self._petition(self.li, self.cat_quality, subject="再次来信", state="pending")
        Petitioner = self.env["xinfang.petitioner"].with_user(self.handler)
        self.assertFalse(Petitioner.search([("id", "=", self.li.id)]))
        (self.p_concealed | self.j_concealed).action_archive()
        self.assertFalse(Petitioner.search([("id", "=", self.li.id)]))
        self.assertFalse(
            self.env["xinfang.petitioner"]
            .with_user(self.leader)
            .search([("id", "=", self.li.id)])
        )

    def test_a_confidential_visit_hides_its_visitors(self):
        # A visitor who came with a whistle-blower, on no item of their own:
        # the desk does not read them (discipline does), unless it made them.
        visitor = self.env["xinfang.petitioner"].create({"name": "陪同来访人"})
        visit = self.env["xinfang.visit"].create(
            {
                "subject": "举报",
                "petitioner_ids": [Command.set((self.wang | visitor).ids)],
                "people_count": 2,
            }
        )
        self._petition(
            self.wang, self.cat_accusation, subject="举报", visit_id=visit.id
        )
        self.assertTrue(visit.confidential)
        for user, readable in (
            (self.registrar, False),
            (self.officer, False),
            (self.discipline, True),
            (self.manager, True),
        ):
            found = (
                self.env["xinfang.petitioner"]
                .with_user(user)
                .search([("id", "=", visitor.id)])
            )
            self.assertEqual(bool(found), readable, user.login)

    def test_saving_returns_no_hidden_cosigner(self):
        # The check of the signatories reads them all: the form saved by the
        # handler gets back only those it may read.
        result = (
            self.env["xinfang.petition"]
            .with_user(self.handler)
            .browse(self.j_concealed.id)
            .web_save(
                {"people_count": 2},
                {"cosigner_ids": {}, "representative_ids": {}},
            )
        )
        self.assertEqual(result[0]["cosigner_ids"], [])
        self.assertEqual(result[0]["representative_ids"], [])

    def test_hidden_cosigners_are_kept_and_checked(self):
        # A registrar's own confidential draft: co-signers the registrar may
        # not read stay when it sets the ones it reads, and the check counts
        # them all.
        hidden = self.env["xinfang.petitioner"].create(
            [{"name": "吴五"}, {"name": "郑六"}]
        )
        draft = self._petition(
            self.wang,
            self.cat_accusation,
            registrar=self.registrar,
            subject="联名举报",
            joint=True,
            people_count=4,
            cosigner_ids=[Command.set(hidden.ids)],
        )
        self.env.invalidate_all()
        mine = draft.with_user(self.registrar)
        self.assertFalse(mine.cosigner_ids)
        named = (
            self.env["xinfang.petitioner"]
            .with_user(self.registrar)
            .create({"name": "冯七"})
        )
        mine.write({"cosigner_ids": [Command.set(named.ids)]})
        self.assertEqual(draft.cosigner_ids, hidden | named)
        # Also when the cache holds them all (e.g. after a check as superuser).
        self.assertEqual(draft.sudo().cosigner_ids, hidden | named)
        mine.write({"cosigner_ids": [Command.clear()]})
        self.assertEqual(draft.sudo().cosigner_ids, hidden)
        mine.write({"cosigner_ids": [Command.set(named.ids)]})
        other = (
            self.env["xinfang.petitioner"]
            .with_user(self.registrar)
            .create({"name": "陈八"})
        )
        with self.assertRaisesRegex(ValidationError, "more than the number of people"):
            mine.write({"cosigner_ids": [Command.link(other.id)]})


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
        with self._refused("more than the number of people"):
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
        # Logged by number, without a name.
        self.assertIn("Co-signers: 2 → 1", self.j_open.message_ids[0].body)
        self.assertNotIn("钱二兰", self.j_open.message_ids[0].body)
        # Unchanged signatories are no change.
        dialog = Form(
            self.env["xinfang.petition.correction"]
            .with_user(self.officer)
            .with_context(default_petition_id=self.j_open.id)
        )
        dialog.reason = "再次核对"
        with self.assertRaisesRegex(UserError, "Nothing was changed"):
            dialog.save().action_confirm()

    def test_the_form_keeps_the_signatories_consistent(self):
        form = Form(self.env["xinfang.petition"].with_user(self.registrar))
        form.channel = "letter"
        form.subject = "联名反映"
        form.content = "内容"
        form.category_id = self.cat_quality
        form.request_nature = "complaint"
        form.petitioner_id = self.zhang
        form.joint = True
        form.people_count = 2
        form.cosigner_ids.add(self.signer_open)
        form.cosigner_ids.add(self.signer_open2)
        # The number of people counts at least those named.
        self.assertEqual(form.people_count, 3)
        form.representative_ids.add(self.signer_open2)
        # A removed co-signer is no representative any more.
        form.cosigner_ids.remove(id=self.signer_open2.id)
        self.assertFalse(form.representative_ids)
        # No longer joint: the hidden fields are emptied, the save passes.
        form.joint = False
        self.assertFalse(form.cosigner_ids)
        self.assertFalse(form.save().cosigner_ids)

    def test_a_form_proposes_no_hidden_signatory(self):
        # Proposing a person one may not read, to see what the form makes
        # of them, is refused as naming them is.
        draft = self._petition(
            self.zhang,
            self.cat_quality,
            registrar=self.registrar,
            subject="联名",
            joint=True,
            people_count=3,
        ).with_user(self.registrar)
        with self.assertRaises(AccessError):
            draft.onchange(
                {"cosigner_ids": [Command.set(self.signer_secret.ids)]},
                ["cosigner_ids"],
                {"cosigner_ids": {"fields": {"display_name": {}}}, "people_count": {}},
            )

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
            {
                "cosigners": "赵一平, 钱二兰",
                "representatives": "张建华 (13900001111), 赵一平",
            },
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

    def test_a_cosigner_is_archived_not_deleted(self):
        self.j_open.sudo().action_archive()
        with self.assertRaisesRegex(UserError, "archive the person"):
            self.signer_open.with_user(self.manager).unlink()
        self.assertEqual(
            self.j_open.with_context(active_test=False).cosigner_ids,
            self.signer_open | self.signer_open2,
        )

    def test_petitioner_counts_cosigned_items(self):
        self.assertEqual(self.signer_open.petition_count, 1)
        self.assertEqual(self.zhang.petition_count, 3)
        action = self.signer_open.action_view_petitions()
        self.assertEqual(
            self.env["xinfang.petition"].search(action["domain"]), self.j_open
        )
