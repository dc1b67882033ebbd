"""Files of petitions: evidence, and the originals carry the name (issue 11).

- Append-only: files on the addon's records are never replaced or deleted
  (but by the system administrator); the office only marks a file as a
  working copy.
- An original letter or scan names the petitioner. On a concealed or
  confidential item only the petition office (and its intake desk) and
  discipline see originals;
  everybody else who reads the item sees and downloads the working copies
  only (a redacted scan, a typed summary), through every door: the
  attachment list, ``/web/content``, ``/web/image``, the chatter.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .mail_evidence import _check_evidence
from .xinfang_guard import OFFICE_AND_DISCIPLINE, has_any_group

PETITION = "xinfang.petition"
# Who opens a durable copy of each scope (xinfang_archive_package).
RESTRICTED_SCOPES = {
    "office": "xinfang_module.group_xinfang_officer",
    "discipline": "xinfang_module.group_xinfang_discipline",
    "manager": "xinfang_module.group_xinfang_manager",
}
# Who knows the petitioner anyway: the intake desk and the office (the
# officer group implies the registrar's), and discipline.
IDENTITY_READERS = (
    "xinfang_module.group_xinfang_registrar",
    "xinfang_module.group_xinfang_discipline",
)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    xinfang_working_copy = fields.Boolean(
        string="Working Copy",
        help="A petition's file without the petitioner's identity (a redacted "
        "scan, a summary). Every other file of a concealed or confidential "
        "item is an original: only the petition office and discipline see it.",
    )

    xinfang_restricted = fields.Selection(
        [
            ("office", "Petition Office"),
            ("discipline", "Discipline"),
            ("manager", "Office Manager"),
        ],
        string="Opened Only By",
        readonly=True,
        help="A durable copy of a volume holds the items' records and "
        "originals as its maker read them: only readers of the same scope "
        "open it (the office for ordinary items, discipline for confidential "
        "ones, the office manager for both).",
    )

    # --- Evidence ---------------------------------------------------------

    @api.model
    def _xinfang_marks_copies(self):
        """Who says a file names nobody: the office and discipline."""
        return self.env.su or has_any_group(self.env.user, OFFICE_AND_DISCIPLINE)

    @api.model_create_multi
    def create(self, vals_list):
        # A new file is an original until the office says otherwise.
        if not self._xinfang_marks_copies():
            for vals in vals_list:
                vals.pop("xinfang_working_copy", None)
        if not self.env.su and any(
            vals.get("xinfang_restricted") for vals in vals_list
        ):
            # Durable copies are written by their step; copying one would
            # copy it without its restriction.
            raise UserError(
                self.env._(
                    "A durable copy of a volume is not copied: write a new one "
                    "from the volume."
                )
            )
        return super().create(vals_list)

    def _xinfang_check_evidence(self, vals=None):
        if vals is not None and set(vals) == {"xinfang_working_copy"}:
            # Marking a working copy is the office's, on what it may read.
            if self._xinfang_marks_copies():
                return
        _check_evidence(
            self,
            "res_model",
            UserError(
                self.env._(
                    "Files on petition records are evidence: they are never "
                    "replaced or deleted. Attach a new file instead."
                )
            ),
        )

    def write(self, vals):
        self._xinfang_check_evidence(vals)
        return super().write(vals)

    def unlink(self):
        self._xinfang_check_evidence()
        return super().unlink()

    # --- Originals ----------------------------------------------------------

    @api.model
    def _xinfang_reads_identity(self):
        env = self.env
        return env.su or env.is_system() or has_any_group(env.user, IDENTITY_READERS)

    @api.model
    def _xinfang_protected_domain(self):
        """Items whose originals the user may not see: those that conceal the
        identity (confidential items always do), and those whose petitioner
        the user may not read — identity is per person: a person a concealed
        item hides is hidden on their ordinary items too, and their letter
        would name them."""
        people = self.env["xinfang.petitioner"]._search([])
        return [
            "|",
            ("conceal_identity", "=", True),
            "&",
            ("petitioner_id", "!=", False),
            ("petitioner_id", "not in", people),
        ]

    @api.model
    def _xinfang_protected_petitions(self):
        """A query of the items whose originals are hidden."""
        return (
            self.env[PETITION]
            .sudo()
            .with_context(active_test=False)
            ._search(self._xinfang_protected_domain())
        )

    def _xinfang_hidden_originals(self):
        """The attachments among self that the current user may not see."""
        if self._xinfang_reads_identity():
            return self.browse()
        candidates = self.sudo().filtered(
            lambda a: a.res_model == PETITION
            and a.res_id
            and not a.xinfang_working_copy
        )
        if not candidates:
            return self.browse()
        protected = set(
            self.env[PETITION]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("id", "in", candidates.mapped("res_id"))]
                + self._xinfang_protected_domain()
            )
            .ids
        )
        return self.browse(
            [
                attachment.id
                for attachment in candidates
                if attachment.res_id in protected
            ]
        )

    @api.model
    def _xinfang_restricted_scopes(self):
        """The scopes of durable copies the user opens (None: all)."""
        env = self.env
        if env.su or env.user.has_group(RESTRICTED_SCOPES["manager"]):
            return None
        return [
            scope
            for scope, group in RESTRICTED_SCOPES.items()
            if scope != "manager" and env.user.has_group(group)
        ]

    @api.model
    def check(self, mode, values=None):
        result = super().check(mode, values)
        scopes = self._xinfang_restricted_scopes()
        if (
            self
            and scopes is not None
            and set(filter(None, self.sudo().mapped("xinfang_restricted")))
            - set(scopes)
        ):
            raise AccessError(
                self.env._(
                    "This durable copy holds records and originals beyond what "
                    "you may read: only its scope (%(scopes)s) opens it.",
                    scopes=", ".join(
                        dict(
                            self._fields["xinfang_restricted"]._description_selection(
                                self.env
                            )
                        )[scope]
                        for scope in sorted(
                            set(filter(None, self.sudo().mapped("xinfang_restricted")))
                        )
                    ),
                )
            )
        if self and mode in ("read", "write") and self._xinfang_hidden_originals():
            raise AccessError(
                self.env._(
                    "This original names the petitioner of a protected item: only "
                    "the petition office and discipline open it."
                )
            )
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        scopes = self._xinfang_restricted_scopes()
        if scopes is not None:
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        ("xinfang_restricted", "=", False),
                        ("xinfang_restricted", "in", scopes),
                    ],
                ]
            )
        if not self._xinfang_reads_identity():
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        "|",
                        ("res_model", "!=", PETITION),
                        ("xinfang_working_copy", "=", True),
                        ("res_id", "not in", self._xinfang_protected_petitions()),
                    ],
                ]
            )
        return super()._search(domain, offset, limit, order)

    def _to_store(self, store, /, *, fields=None, extra_fields=None):
        """The chatter lists a message's files as superuser: an original the
        user may not open shows as such, without its name."""
        # The caller reads as superuser: who is asking is the real user.
        hidden = self.sudo(False)._xinfang_hidden_originals()
        result = super(IrAttachment, self - hidden)._to_store(
            store, fields=fields, extra_fields=extra_fields
        )
        label = self.env._("Original (identity protected)")
        for attachment in (self & hidden).sudo():
            store.add(
                attachment,
                {
                    "name": label,
                    "filename": label,
                    "mimetype": "application/octet-stream",
                    "size": 0,
                    "type": "binary",
                    "url": False,
                    "checksum": False,
                    "create_date": attachment.create_date,
                    "res_name": False,
                },
            )
        return result
