"""Fields that change only through their step (issue 11).

A 信访 record is evidence: what was decided, when and by whom is written by
the step that decides it, never by a plain ``write``. Each step runs its
writes on ``records._xinfang_steps()``; a ``write`` or ``create`` that
carries a step-owned field without it is refused with a ``UserError``,
whoever sends it (form, JSON-RPC, import, another module).

The step's mark is an object in the context, which no JSON-RPC call can
forge (a context travels as JSON). Superuser code (``sudo()``, scheduled
actions) is trusted code, as for Odoo's own approvals
(``hr.leave._check_approval_update``). The office manager's import of
historical items (Odoo's import, context ``import_file``) is the one
documented door for paper and spreadsheet records (readme/CONFIGURE.md).
"""

from odoo import Command, api, models, tools
from odoo.exceptions import AccessError, UserError

MANAGER = "xinfang_module.group_xinfang_manager"
# Who knows who the petitioner is and says a file names nobody: the office
# and discipline.
OFFICE_AND_DISCIPLINE = (
    "xinfang_module.group_xinfang_officer",
    "xinfang_module.group_xinfang_discipline",
)

# The mark of a running step. ``object()`` has no JSON form: a context sent
# over RPC can carry the key, never this value.
STEP_MARK = object()


def in_step(env):
    """Superuser code, or a step's own writes."""
    return env.su or env.context.get("xinfang_step") is STEP_MARK


def has_any_group(user, xmlids):
    return any(user.has_group(xmlid) for xmlid in xmlids)


def messages_are_evidence(env):
    return UserError(
        env._(
            "Messages on petition records are evidence: they are never edited "
            "or deleted. Post a new note to correct one."
        )
    )


def _many2one_id(value):
    """The id a many2one value sent by a client stands for, or None."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) else None


def _named_ids(field, value):
    """The ids a many2one value or x2many commands point at."""
    if not value:
        return []
    if field.type == "many2one":
        return [value.id if isinstance(value, models.BaseModel) else value]
    ids = []
    for command in value:
        if isinstance(command, int):
            ids.append(command)
        elif command[0] == Command.LINK:
            ids.append(command[1])
        elif command[0] == Command.SET:
            ids.extend(command[2])
    return ids


def _set_ids(value):
    """The ids of a many2many value that only sets them, or None."""
    if (
        isinstance(value, list | tuple)
        and len(value) == 1
        and isinstance(value[0], list | tuple)
        and value[0][0] == Command.SET
    ):
        return set(value[0][2])
    return None


def check_export_fields(records, paths):
    """Refuse an export that asks for a field its user may not read: Odoo
    checks the groups of a field read, not of a field exported (and the
    record rules may have filled its value in the cache)."""
    names = {path[0] for path in paths if path and path[0] not in ("id", ".id")}
    records.check_field_access_rights("read", sorted(names & set(records._fields)))


def check_attachments_readable(env, attachment_ids):
    """Refuse files the user may not open (an attachment's own check(), not
    only its access rules)."""
    Attachment = env["ir.attachment"]
    if Attachment.browse(attachment_ids) - Attachment._filter_attachment_access(
        attachment_ids
    ):
        raise UserError(env._("You may attach only files you can open."))


class XinfangGuardMixin(models.AbstractModel):
    _name = "xinfang.guard.mixin"
    _description = "Fields Written Only by Their Step"

    # Fields that only a step (or trusted code) writes.
    _xinfang_step_fields = frozenset()

    @tools.ormcache()
    def _xinfang_derived_fields(self):
        """Stored computed and related fields: they follow their source and
        are never written by hand (a related copy of a flag is read by the
        record rules). Computed once per model."""
        return frozenset(
            name
            for name, field in self._fields.items()
            if field.store
            and field.readonly
            and (field.related or field.compute)
            and not field.inverse
            and name not in models.MAGIC_COLUMNS
            and name != "display_name"
        )

    def _xinfang_guarded_fields(self):
        return self._xinfang_step_fields | self._xinfang_derived_fields()

    def _xinfang_create_defaults(self):
        """Values a new record may carry in a step field without a step: the
        field's own default (what a form sends for a new record)."""
        return {}

    def _check_state(self, states, step, claim=True):
        """Refuse the step ``step`` (a translated verb: "filed", "lent") on a
        record whose state is not among ``states``.

        The records are claimed first: their rows locked (in id order: two
        selections that overlap lock their common rows in the same order,
        never crosswise) and written. Two people taking the same step on
        the same item then wait for each other, and the second one's
        request, retried by Odoo (a serialization failure: the row changed
        after its snapshot), finds the step taken and is told so. Locking
        alone is not enough for a step that writes nothing on the record
        (a review request creates the next level's item): the second would
        go on with its old snapshot. Without the claim they met halfway,
        e.g. both subscribing the same follower, and one was shown a
        duplicate key. ``claim=False``: only check (a button that opens the
        step's dialog).
        """
        ids = tuple(id_ for id_ in self.ids if id_)
        if ids and claim:
            self.env.cr.execute(
                tools.SQL(
                    """UPDATE %(table)s SET write_date = write_date
                        WHERE id IN (SELECT id FROM %(table)s WHERE id IN %(ids)s
                                      ORDER BY id FOR NO KEY UPDATE)""",
                    table=tools.SQL.identifier(self._table),
                    ids=ids,
                )
            )
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in states:
                raise UserError(
                    self.env._(
                        "%(record)s cannot be %(step)s: it is %(state)s.",
                        record=record.display_name,
                        step=step,
                        state=labels[record.state],
                    )
                )

    @api.model
    def _xinfang_schedule(self, todos, activity_xmlid, quick=True):
        """Activities in one insert: ``todos`` is a list of (record, user,
        deadline, summary). ``quick``: no assignment e-mail per activity (it
        would carry the record's name or subject; the note on the record is
        the notice)."""
        activity_type = self.env.ref(activity_xmlid)
        model_ids = {}
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=quick)
            .create(
                [
                    {
                        "res_model_id": model_ids.setdefault(
                            record._name, self.env["ir.model"]._get_id(record._name)
                        ),
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "summary": summary,
                    }
                    for record, user, deadline, summary in todos
                ]
            )
        )

    def _xinfang_steps(self):
        """These records, as seen by a step: its writes pass the guard."""
        return self.with_context(xinfang_step=STEP_MARK)

    def _xinfang_unmarked(self):
        """These records without the step's mark, to hand back to a caller."""
        return self.with_context(xinfang_step=None)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # An export walks relations by reading the records' cache, which
        # superuser code (record rules, masks) may have filled: the related
        # records of a column are those the user may read, no others.
        if not self.env.su:
            check_export_fields(self, fields)
        if not _is_toplevel_call and not self.env.su:
            self = self._filtered_access("read")
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _xinfang_trusted(self):
        """Inside a step, superuser code, or the office manager's import."""
        return in_step(self.env) or self._xinfang_importing()

    def _xinfang_importing(self):
        return bool(self.env.context.get("import_file")) and self.env.user.has_group(
            MANAGER
        )

    def _xinfang_changed(self, vals):
        """The fields of ``vals`` whose value differs on at least one record.

        A form or a script may send a value unchanged: that is no change.
        Relations given as commands count as changed, but for a many2many
        set to the records it holds.
        """
        changed = set()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                continue
            if field.type in ("one2many", "many2many"):
                if not (
                    field.type == "many2many"
                    and _set_ids(value) is not None
                    and all(set(record[name].ids) == _set_ids(value) for record in self)
                ):
                    changed.add(name)
                continue
            try:
                new = field.convert_to_cache(value, self.browse(), validate=False)
            except (ValueError, TypeError):
                changed.add(name)
                continue
            for record in self:
                old = field.convert_to_cache(record[name], record, validate=False)
                if (old or False) != (new or False):
                    changed.add(name)
                    break
        return changed

    def _xinfang_refuse(self, names, reason=None):
        labels = sorted(
            self._fields[name].get_description(self.env)["string"] for name in names
        )
        raise UserError(
            reason
            or self.env._(
                "%(fields)s of %(model)s change only through their step (the "
                "buttons of the form), never by editing the record.",
                fields=", ".join(labels),
                # The model's name in the user's language, not _description.
                model=self.env["ir.model"].sudo()._get(self._name).name,
            )
        )

    def _xinfang_check_create_vals(self, vals_list):
        """A new record carries no step field but its default value."""
        if self._xinfang_trusted():
            return
        # Who may not create at all hears so first.
        self.check_access("create")
        defaults = self._xinfang_create_defaults()
        derived = self._xinfang_derived_fields()
        # What the context proposes (default_<field>) counts as sent.
        proposed = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
        }
        for vals in vals_list:
            # Derived values come from their source, whatever was sent.
            for name in derived & set(vals):
                del vals[name]
            sent = {**proposed, **vals}
            forged = {
                name
                for name in (self._xinfang_step_fields | derived) & set(sent)
                if sent[name] and sent[name] != defaults.get(name)
            }
            if forged:
                self._xinfang_refuse(forged)

    def _xinfang_check_step_fields(self, vals):
        """Refuse a plain write that changes a step field."""
        if self._xinfang_trusted():
            return
        forged = self._xinfang_guarded_fields() & set(vals)
        if forged:
            self.check_access("write")
            forged &= self._xinfang_changed({name: vals[name] for name in forged})
        if forged:
            self._xinfang_refuse(forged)

    def _xinfang_check_readable(self, field, targets, exception=UserError):
        if targets - targets._filtered_access("read"):
            raise exception(
                self.env._(
                    "%(field)s: you may not choose a record you cannot read.",
                    field=field.get_description(self.env)["string"],
                )
            )

    def _xinfang_check_targets(self, vals_list, names):
        """Every relation a user writes must point at a record they may read:
        naming a record is no way to open it. One check per field for the
        whole batch."""
        if self.env.su:
            return
        for name in names:
            field = self._fields[name]
            ids = set()
            for vals in vals_list:
                # A new record also takes what the context proposes.
                value = vals.get(name)
                if not self and name not in vals:
                    value = self.env.context.get(f"default_{name}")
                ids.update(_named_ids(field, value))
            if not ids:
                continue
            # Who may not write (or create) at all hears so first.
            self.check_access("write" if self else "create")
            # One query: a missing record is as unreadable as a hidden one.
            self._xinfang_check_readable(
                field, self.env[field.comodel_name].browse(ids)
            )

    # --- Audience (for the mail.thread models) --------------------------
    # Listed first in ``_inherit``, this mixin comes before mail.thread.

    def _xinfang_never_told(self):
        """Users never told of these records, even if they may read them."""
        return self.env["res.users"]

    def _xinfang_narrow_audience(self):
        """After the audience narrows (confidential, routed elsewhere, a
        department returned it, a person or a department accused),
        followers and open activities of users who may no longer read the
        record, or are never told of it, go."""
        Followers = self.env["mail.followers"].sudo()
        Activity = self.env["mail.activity"].sudo()
        # One search each for all the records (a volume's items, an item's
        # callbacks), not two per record.
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        followers_of = Followers.search(domain).grouped("res_id")
        activities_of = Activity.search(domain).grouped("res_id")
        for record in self:
            followers = followers_of.get(record.id, Followers)
            activities = activities_of.get(record.id, Activity)
            users = followers.partner_id.user_ids | activities.user_id
            readers = record._xinfang_readers(users - record._xinfang_never_told())
            gone = [
                follower.partner_id.id
                for follower in followers
                if not follower.partner_id.user_ids & readers
            ]
            if gone:
                record.sudo().message_unsubscribe(gone)
            activities.browse(
                [
                    activity.id
                    for activity in activities
                    if activity.user_id not in readers
                ]
            ).unlink()

    def _xinfang_readers(self, users):
        """The internal users among ``users`` who may read every record of self."""
        return users.filtered(
            lambda user: not user.share
            and user.active
            and self.with_user(user)._filtered_access("read") == self
        )

    def _xinfang_reader_partner_ids(self, partner_ids):
        """The partners among ``partner_ids`` whose users may read the record
        and are not the accused: never an outside partner, never a user of
        another department."""
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        readers = self._xinfang_readers(
            partners.user_ids.with_env(self.env) - self._xinfang_never_told()
        )
        return [partner.id for partner in partners if partner.user_ids & readers]

    def _xinfang_check_author(self, author_id):
        if not self.env.su and author_id and author_id != self.env.user.partner_id.id:
            raise UserError(
                self.env._("A message on a petition record is posted in your name.")
            )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Only people who may read the record follow it."""
        if partner_ids and not self.env.su:
            partner_ids = self._xinfang_reader_partner_ids(partner_ids)
        return super().message_subscribe(partner_ids, subtype_ids)

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """A message reaches only the users who may read the record."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        users = (
            self.env["res.users"]
            .sudo()
            .browse(
                {recipient["uid"] for recipient in recipients if recipient.get("uid")}
            )
        )
        readers = self._xinfang_readers(users - self._xinfang_never_told()).ids
        return [
            recipient for recipient in recipients if recipient.get("uid") in readers
        ]

    def message_post(self, *, author_id=None, attachment_ids=None, **kwargs):
        """A message is its author's own and carries only files its author
        may read (whom it names, _message_create decides)."""
        self._xinfang_check_author(author_id)
        if attachment_ids and not self.env.su:
            check_attachments_readable(self.env, attachment_ids)
        return super().message_post(
            author_id=author_id, attachment_ids=attachment_ids, **kwargs
        )

    def _message_create(self, values_list):
        """Whoever posts (also Odoo's controllers, as superuser), a message
        on a petition record names only people who may read it: a named
        partner can read the message."""
        for values in values_list:
            if values.get("partner_ids") and all(
                isinstance(pid, int) for pid in values["partner_ids"]
            ):
                record = self.browse(values.get("res_id") or self.ids[:1])
                values["partner_ids"] = record._xinfang_reader_partner_ids(
                    values["partner_ids"]
                )
        return super()._message_create(values_list)

    def message_notify(self, *, author_id=None, **kwargs):
        self._xinfang_check_author(author_id)
        return super().message_notify(author_id=author_id, **kwargs)

    def message_unsubscribe(self, partner_ids=None):
        """One stops following oneself; the office and the steps decide for
        others."""
        if (
            partner_ids
            and not self._xinfang_trusted()
            and not self.env.user.has_group("xinfang_module.group_xinfang_officer")
            and set(partner_ids) - {self.env.user.partner_id.id}
        ):
            raise UserError(
                self.env._("You may stop following a petition record, not others.")
            )
        return super().message_unsubscribe(partner_ids)

    def _message_update_content(self, message, body, *args, **kwargs):
        """Odoo edits (and deletes) a message and its files as superuser: on a
        petition record the message is evidence, whoever wrote it."""
        if not self.env.user._is_system():
            raise messages_are_evidence(self.env)
        return super()._message_update_content(message, body, *args, **kwargs)

    # --- Relations a form proposes -------------------------------------------

    # Related fields read their source as superuser: a form (onchange) or a
    # dialog pointed at an item the user may not read would show it.
    _xinfang_sensitive_models = frozenset(
        {
            "xinfang.petition",
            "xinfang.petitioner",
            "xinfang.assignment",
            "xinfang.visit",
            "xinfang.callback",
        }
    )

    def _xinfang_check_proposed(self, values):
        if self.env.su:
            return
        for name, value in values.items():
            field = self._fields.get(name)
            if (
                field is None
                or field.comodel_name not in self._xinfang_sensitive_models
            ):
                continue
            if field.type == "many2one":
                ids = [_many2one_id(value)] if _many2one_id(value) else []
            elif field.type == "many2many":
                ids = _named_ids(field, value)
            else:
                continue
            if ids:
                self._xinfang_check_readable(
                    field, self.env[field.comodel_name].browse(ids), AccessError
                )

    def onchange(self, values, field_names, fields_spec):
        # A new record proposes all its values; an open one what changed.
        proposed = values
        if self:
            # Only what differs from the open record: a first call (no field
            # names) would otherwise apply any value unchecked.
            proposed = {
                name: value
                for name, value in values.items()
                if name in self._fields
                and self._fields[name].type == "many2one"
                and _many2one_id(value) != self[name].id
            }
            # Many2many: the records it names that it does not hold yet.
            for name, value in values.items():
                field = self._fields.get(name)
                if field is not None and field.type == "many2many":
                    added = set(_named_ids(field, value)) - set(self[name].ids)
                    if added:
                        proposed[name] = [Command.set(sorted(added))]
        self._xinfang_check_proposed(proposed)
        return super().onchange(values, field_names, fields_spec)


class XinfangDialogMixin(models.AbstractModel):
    """A dialog opened on an item (and an assignment): it may name only what
    its user may read, when created and when changed."""

    _name = "xinfang.dialog.mixin"
    _inherit = ["xinfang.guard.mixin"]
    _description = "Dialog on a Petition"
    _xinfang_dialog_targets = ("petition_id",)

    @api.model_create_multi
    def create(self, vals_list):
        self._xinfang_check_targets(vals_list, self._xinfang_dialog_targets)
        return super().create(vals_list)

    def write(self, vals):
        self._xinfang_check_targets([vals], self._xinfang_dialog_targets)
        return super().write(vals)
