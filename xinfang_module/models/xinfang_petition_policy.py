"""Who may change what on an item, and who is told: the write policy of
the lifecycle, the letter and the identity flags (see STEP_FIELDS and the
other sets in xinfang_petition.py), the office's correction and the
manager's lifting of a protection, and the audience that follows the item."""

from odoo import fields, models

from .xinfang_petition import (
    DISCIPLINE,
    IDENTITY_FIELDS,
    LETTER_FIELDS,
    MANAGER,
    NAMED_RELATIONS,
    OFFICE_FIELDS,
    OFFICER,
    PROTECTION_FIELDS,
    REGISTRAR,
    REPLY_FIELDS,
)


class XinfangPetition(models.Model):
    _inherit = "xinfang.petition"

    def _xinfang_never_told(self):
        return self._xinfang_accused_users()

    def _xinfang_accused_users(self):
        """Users the items accuse: the accused person's, and everyone of an
        accused department (head and petition users included). They are
        never told of the item."""
        accused = self.env["res.users"]
        for petition in self.sudo().filtered(
            lambda p: p.accused_department_id or p.accused_employee_id
        ):
            accused |= (
                petition.accused_employee_id.user_id
                | petition.accused_department_id._xinfang_people()
            )
        return accused.with_env(self.env)

    def _xinfang_withdraw_from_accused(self):
        """B4 after the fact: an item is taken from whom it now accuses,
        who no longer read it and could neither reply nor return it.

        An open assignment is withdrawn, as if returned, when its department
        is accused, or when the accused leave it nobody who may read the item
        (its head, members and petition users); the office is then asked to
        route the item again. A named handler the item accuses is unnamed,
        and the department told instead."""
        for petition in self.sudo():
            accused = petition._xinfang_accused_users()
            open_assignments = petition.assignment_ids.filtered(
                lambda a: a.state == "assigned"
            )
            withdrawn = open_assignments.filtered(
                lambda a, p=petition, u=accused: a.department_id
                == p.accused_department_id
                or p._xinfang_left_without_reader(a.department_id, u)
            )
            unnamed = (open_assignments - withdrawn).filtered(
                lambda a, p=petition, u=accused: a.handler_id
                and (a.handler_id == p.accused_employee_id or a.handler_id.user_id & u)
            )
            if withdrawn:
                names = ", ".join(withdrawn.department_id.mapped("name"))
                withdrawn._xinfang_steps().write(
                    {
                        "state": "returned",
                        "return_reason": self.env._(
                            "Withdrawn by the office: the item accuses %s "
                            "(avoidance, 回避).",
                            names,
                        ),
                    }
                )
                if "main" in withdrawn.mapped("role"):
                    petition._xinfang_reroute(names, accused)
                else:
                    # Co-departments only: the main department handles on.
                    petition._log(
                        self.env._(
                            "%(number)s accuses %(department)s: its co-handling "
                            "is withdrawn.",
                            number=petition.name,
                            department=names,
                        )
                    )
            if unnamed:
                petition._log(
                    self.env._(
                        "%(handlers)s no longer handle the item, which accuses "
                        "them (avoidance, 回避): their departments are told.",
                        handlers=", ".join(unnamed.handler_id.mapped("name")),
                    )
                )
                unnamed._xinfang_steps().write({"handler_id": False})
                unnamed._schedule_handler_activities()

    def _xinfang_reroute(self, names, accused):
        """The main department withdrawn: the item is Accepted again and the
        office (who may read it, not the accused) is asked to route it."""
        self.ensure_one()
        self._xinfang_steps().write({"state": "accepted"})
        summary = self.env._(
            "%(number)s accuses %(department)s, which was handling it: "
            "the assignment is withdrawn and the item is Accepted again. "
            "Route it again.",
            number=self.name,
            department=names,
        )
        self._log(summary)
        office = self.company_id._xinfang_users(OFFICER, MANAGER)
        self._xinfang_notify_activities(
            "xinfang_module.mail_activity_type_reroute",
            self._xinfang_readers(office - accused),
            fields.Date.context_today(self),
            summary,
        )

    def _xinfang_left_without_reader(self, department, accused):
        """Whether the accused were among ``department``'s people (head,
        members, petition users) and none of the others may read the item."""
        people = department._xinfang_people()
        return bool(people & accused) and not self._xinfang_readers(people - accused)

    def _xinfang_notify_activities(self, activity_type_xmlid, users, deadline, summary):
        """One activity per user on this item, in one batch. A discreet item
        sends no assignment e-mail (it would carry the subject)."""
        self.ensure_one()
        return self._xinfang_schedule(
            [(self, user, deadline, summary) for user in users],
            activity_type_xmlid,
            quick=self.discreet,
        )

    def _xinfang_narrow_related_audience(self):
        """The audience of the item's callbacks, assignments and
        supervisions, which name the item (and its petitioner) too."""
        sudo_self = self.sudo()
        for related in (
            sudo_self.callback_ids,
            sudo_self.assignment_ids,
            sudo_self.supervision_ids,
        ):
            related.with_env(self.env)._xinfang_narrow_audience()

    def _protect_by_category(self, vals_list):
        """A confidential category makes the item confidential and conceals
        its petitioner, whatever the form or the caller sent: a protecting
        default is enforced, not proposed."""
        category_ids = {
            vals["category_id"] for vals in vals_list if vals.get("category_id")
        }
        if not category_ids:
            return
        confidential = set(
            self.env["xinfang.category"]
            .sudo()
            .browse(category_ids)
            .filtered("confidential")
            .ids
        )
        for vals in vals_list:
            if vals.get("category_id") in confidential:
                vals.update(confidential=True, conceal_identity=True)

    def _check_write_policy(self, vals):
        """Who may change which field in which state (a plain write, not a
        step). Refuses the whole write, so that nothing is half-written."""
        changed = self._xinfang_changed(vals)
        if not changed:
            return
        # Who may not write at all hears so first.
        self.check_access("write")
        forged = changed & self._xinfang_guarded_fields()
        if forged:
            self._xinfang_refuse(forged)
        user = self.env.user
        office = user.has_group(OFFICER)
        registrar = office or user.has_group(REGISTRAR) or user.has_group(DISCIPLINE)
        registering = all(petition.state == "draft" for petition in self)
        if registering and not registrar:
            self._xinfang_refuse(
                changed,
                self.env._("Only the registrar changes an item in registration."),
            )
        if not registering:
            letter = changed & (LETTER_FIELDS | {"department_id"})
            if letter:
                self._xinfang_refuse(
                    letter,
                    self.env._(
                        "%(fields)s of a registered item are not edited: the office "
                        "corrects them with a reason (Correct Registration), and "
                        "the department changes by routing or return.",
                        fields=self._labels(letter),
                    ),
                )
        guarded = changed & (IDENTITY_FIELDS | OFFICE_FIELDS)
        if guarded and not registering and not office:
            self._xinfang_refuse(
                guarded,
                self.env._(
                    "%s of a registered item are changed by the petition office "
                    "only.",
                    self._labels(guarded),
                ),
            )
        lifted = [
            name
            for name in PROTECTION_FIELDS
            if name in changed
            and not vals[name]
            and self._lift_needs_manager(name, vals)
        ]
        if lifted:
            self._xinfang_refuse(
                lifted,
                self.env._(
                    "%s protects the petitioner: only the office manager lifts it, "
                    "with a reason (Lift Confidentiality, Show Identity).",
                    self._labels(lifted),
                ),
            )
        reply = changed & REPLY_FIELDS
        if reply and any(petition.state != "handling" for petition in self):
            self._xinfang_refuse(
                reply,
                self.env._(
                    "The reply opinion is written while the item is in handling: "
                    "once submitted it changes only when the office sends it back."
                ),
            )
        self._xinfang_check_targets([vals], NAMED_RELATIONS)

    def _lift_needs_manager(self, name, vals):
        """Whether unticking ``name`` needs the office manager's step: always
        once registered; in registration, when the category (保密) or the
        item's confidentiality (隐去身份) imposes it."""
        for petition in self.filtered(name):
            if petition.state != "draft":
                return True
            if name == "confidential" and petition.category_id.confidential:
                return True
            if name == "conceal_identity" and vals.get(
                "confidential", petition.confidential
            ):
                return True
        return False

    def _labels(self, names):
        return ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"] for name in names
            )
        )

    def action_correct_registration(self):
        self._check_group(OFFICER)
        return self._open_dialog(
            "xinfang.petition.correction", self.env._("Correct Registration (更正登记)")
        )

    def _open_lift(self, lift, name):
        self._check_group(MANAGER)
        action = self._open_dialog("xinfang.petition.protection", name)
        action["context"]["default_lift"] = lift
        return action

    def action_lift_confidential(self):
        return self._open_lift("confidential", self.env._("Lift Confidentiality"))

    def action_lift_concealment(self):
        return self._open_lift("conceal_identity", self.env._("Show Identity"))
