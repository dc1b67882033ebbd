"""The durable copy of a volume (篇1-2 §(八)2⑷: the system's data on durable
media; issue 17, item 4).

One action writes a self-contained ZIP: the catalogue (PDF), each item's
record (JSON) and files, and an index (JSON and CSV) with the SHA-256 of
every file, who made it and when. It is written to disk as it is made (a
temporary file in the filestore, moved into place): the memory used does not
grow with the files' size. Only what its maker may read goes in (a
confidential item's record and files only for discipline and the office
manager; the others' package lists the item as withheld), and a copy is
opened only by readers of what it holds: the office for ordinary items
(their originals name concealed petitioners), discipline for confidential
ones, the office manager for both. Verifying recomputes every checksum and
reports the differences; it never repairs anything.
"""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile

from odoo import fields, models
from odoo.exceptions import UserError

from .xinfang_archive import XinfangArchiveVolume as BaseVolume
from .xinfang_petition import DISCIPLINE, OFFICER

PACKAGE_FORMAT = 1
CHUNK = 1024 * 1024
INDEX_FILES = ("index.json", "index.csv")


def _hash_stream(stream):
    sha256, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        sha256.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), size


def _safe_name(name):
    """A file name that stays in its folder of the ZIP."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name or "file").strip(". ")
    return name[:120] or "file"


class XinfangArchiveVolume(models.Model):
    _inherit = "xinfang.archive.volume"
    _xinfang_step_fields = BaseVolume._xinfang_step_fields | {
        "package_attachment_id",
        "package_date",
        "package_user_id",
        "package_sha256",
        "package_confidential",
        "package_scope",
        "package_withheld",
        "package_check_date",
        "package_check_result",
    }

    package_attachment_id = fields.Many2one(
        "ir.attachment", string="Durable Copy", readonly=True, copy=False
    )
    package_date = fields.Datetime(string="Copy Made On", readonly=True, copy=False)
    package_user_id = fields.Many2one(
        "res.users", string="Copy Made By", readonly=True, copy=False
    )
    package_sha256 = fields.Char(string="Copy SHA-256", readonly=True, copy=False)
    package_confidential = fields.Boolean(
        string="Copy Holds Confidential Material",
        readonly=True,
        copy=False,
    )
    package_scope = fields.Selection(
        [
            ("office", "Petition Office"),
            ("discipline", "Discipline"),
            ("manager", "Office Manager"),
        ],
        string="Copy Opened Only By",
        readonly=True,
        copy=False,
    )
    package_withheld = fields.Integer(
        string="Items Withheld from the Copy",
        readonly=True,
        copy=False,
        aggregator=None,
        help="Items of the volume its maker may not read: listed by number in "
        "the copy's index, without their record and files.",
    )
    package_check_date = fields.Datetime(
        string="Copy Verified On", readonly=True, copy=False
    )
    package_check_result = fields.Selection(
        [("intact", "Intact"), ("differs", "Differences Found")],
        string="Verification",
        readonly=True,
        copy=False,
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def action_package(self):
        """Write the volume's durable copy (a ZIP attached to the volume)."""
        self._xinfang_one()
        self.env["xinfang.petition"]._check_group(OFFICER, DISCIPLINE)
        self.check_access("read")
        if self.state in ("open", "destroyed"):
            raise UserError(
                self.env._(
                    "Volume %s: a durable copy is made of a compiled volume, "
                    "whose catalogue is fixed.",
                    self.display_name,
                )
            )
        path, sha1, sha256, size, confidential, ordinary, withheld = (
            self._xinfang_write_package()
        )
        # Who opens the copy: readers of what it holds.
        scope = (
            "manager"
            if confidential and ordinary
            else "discipline"
            if confidential
            else "office"
        )
        try:
            attachment = self._xinfang_store_package(path, sha1, size, scope)
        finally:
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
        old = self.package_attachment_id
        # Discipline makes copies without writing volumes otherwise.
        self._xinfang_steps().sudo().write(
            {
                "package_attachment_id": attachment.id,
                "package_date": fields.Datetime.now(),
                "package_user_id": self.env.uid,
                "package_sha256": sha256,
                "package_confidential": confidential,
                "package_scope": scope,
                "package_withheld": withheld,
                "package_check_date": False,
                "package_check_result": False,
            }
        )
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=self.env._(
                "Durable copy written (%(size)s bytes, SHA-256 %(sha)s)%(note)s.",
                size=size,
                sha=sha256,
                note=self.env._(", with confidential material") if confidential else "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if old:
            # The former copy stays: copies are records of what was kept.
            old.sudo().write({"description": self.env._("Replaced by a newer copy.")})
        if withheld:
            message = self.env._(
                "Durable copy of %(volume)s written: %(included)s item(s) in it; "
                "%(withheld)s item(s) you may not read are listed by number "
                "only: discipline or the office manager makes a complete copy.",
                volume=self.name,
                included=self.item_count - withheld,
                withheld=withheld,
            )
        else:
            message = self.env._(
                "Durable copy of %(volume)s written: %(included)s item(s) in it.",
                volume=self.name,
                included=self.item_count,
            )
        # The form shows the copy (download it from its tab).
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if withheld else "success",
                "message": message,
                "sticky": bool(withheld),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_download_package(self):
        self._xinfang_one()
        if not self.package_attachment_id:
            raise UserError(self.env._("Volume %s has no durable copy yet.", self.name))
        self.package_attachment_id.check("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.package_attachment_id.id}?download=true",
            "target": "self",
        }

    def _xinfang_write_package(self):
        """(temporary path, SHA-1, SHA-256, size, holds confidential items,
        holds ordinary items, items withheld) of the ZIP, written to disk
        entry by entry."""
        user = self.env.user
        Petition = self.env["xinfang.petition"]
        items = (
            Petition.sudo()
            .with_context(active_test=False)
            .search([("archive_volume_id", "=", self.id)], order="archive_number")
        )
        readable = items.with_env(self.env)._filtered_access("read")
        people = readable.petitioner_id.with_env(self.env)._filtered_access("read")
        Attachment = self.env["ir.attachment"]
        files = Attachment.sudo().search(
            [("res_model", "=", "xinfang.petition"), ("res_id", "in", readable.ids)],
            order="res_id, id",
        )
        # The files the maker may open (originals of protected items: the
        # office and discipline).
        files = Attachment._filter_attachment_access(files.ids)
        by_item = {}
        for attachment in files.sudo():
            by_item.setdefault(attachment.res_id, []).append(attachment)
        # The notices issued for the items, read once for the volume.
        documents = {}
        for document in (
            self.env["xinfang.document"]
            .sudo()
            .search([("petition_id", "in", readable.ids)], order="issued_at, id")
        ):
            documents.setdefault(document.petition_id.id, []).append(document)
        index = []
        entries = []
        confidential = ordinary = False
        folder = tempfile.mkdtemp(dir=Attachment._filestore())
        path = os.path.join(folder, "package.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:

            def add_bytes(name, content):
                zf.writestr(name, content)
                entries.append(
                    {
                        "path": name,
                        "sha256": hashlib.sha256(content).hexdigest(),
                        "size": len(content),
                    }
                )

            catalogue, _kind = (
                self.env["ir.actions.report"]
                .with_context(lang=self.company_id._xinfang_lang())
                ._render_qweb_pdf("xinfang_module.report_archive_volume", self.ids)
            )
            add_bytes("catalogue.pdf", catalogue)
            for item in items:
                folder_name = f"{item.archive_number:04d}"
                if item not in readable:
                    index.append(
                        {
                            "number": item.archive_number,
                            "document": item.name,
                            "included": False,
                        }
                    )
                    continue
                confidential = confidential or item.confidential
                ordinary = ordinary or not item.confidential
                record = self._xinfang_item_record(
                    item, item.petitioner_id in people, documents.get(item.id, [])
                )
                add_bytes(
                    f"{folder_name}/record.json",
                    json.dumps(record, ensure_ascii=False, indent=1).encode(),
                )
                names = set()
                for attachment in by_item.get(item.id, []):
                    name = _safe_name(attachment.name)
                    while name in names:
                        name = f"{attachment.id}-{name}"
                    names.add(name)
                    arcname = f"{folder_name}/files/{name}"
                    if attachment.store_fname:
                        source = attachment._full_path(attachment.store_fname)
                        with open(source, "rb") as stream:
                            sha256, size = _hash_stream(stream)
                        zf.write(source, arcname)
                        entries.append(
                            {"path": arcname, "sha256": sha256, "size": size}
                        )
                    else:
                        add_bytes(arcname, attachment.raw or b"")
                index.append(
                    {
                        "number": item.archive_number,
                        "document": item.name,
                        "included": True,
                        "files": sorted(names),
                    }
                )
            made = {
                "format": PACKAGE_FORMAT,
                "volume": {
                    "number": self.name,
                    "title": self.title,
                    "company": self.company_id.name,
                    "year": self.year,
                    "class": self.class_id.name,
                    "retention": self.retention,
                    "state": self.state,
                },
                "made_by": {"name": user.name, "login": user.login},
                "made_at": fields.Datetime.to_string(fields.Datetime.now()),
                "items": index,
                "files": entries,
            }
            zf.writestr(
                "index.json", json.dumps(made, ensure_ascii=False, indent=1).encode()
            )
            table = io.StringIO()
            writer = csv.writer(table)
            writer.writerow(["path", "sha256", "size"])
            for entry in entries:
                writer.writerow([entry["path"], entry["sha256"], entry["size"]])
            zf.writestr("index.csv", table.getvalue().encode("utf-8-sig"))
        sha1, sha256 = hashlib.sha1(), hashlib.sha256()
        size = 0
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                sha1.update(chunk)
                sha256.update(chunk)
                size += len(chunk)
        withheld = sum(1 for entry in index if not entry["included"])
        return (
            path,
            sha1.hexdigest(),
            sha256.hexdigest(),
            size,
            confidential,
            ordinary,
            withheld,
        )

    def _xinfang_item_record(self, item, person_readable, documents):
        """An item's record as kept: what the catalogue needs and what was
        decided, in the office's words; the petitioner's name only where its
        maker may read it."""
        return {
            "number": item.archive_number,
            "document": item.name,
            "subject": item.subject,
            "channel": item.channel,
            "registered": fields.Datetime.to_string(item.registration_date),
            "petitioner": (
                item.petitioner_id.name
                if person_readable and not item.anonymous
                else None
            ),
            "anonymous": item.anonymous,
            "confidential": item.confidential,
            "category": item.category_id.display_name or None,
            "department": item.department_id.name or None,
            "content": item.content,
            "requests": item.requests or None,
            "decision_date": fields.Date.to_string(item.decision_date),
            "reply": {
                "facts": item.reply_facts or None,
                "basis": item.reply_basis or None,
                "conclusion": item.reply_conclusion or None,
                "date": fields.Date.to_string(item.reply_date),
            },
            "completion_report": item.completion_report or None,
            "closed": fields.Date.to_string(item.close_date),
            "filed": fields.Date.to_string(item.archive_date),
            "pages": item.archive_pages,
            "documents": [
                {
                    "number": document.name,
                    "kind": document.kind,
                    "issued_at": fields.Datetime.to_string(document.issued_at),
                }
                for document in documents
            ],
        }

    def _xinfang_store_package(self, path, sha1, size, scope):
        """The ZIP as an attachment of the volume: moved into the filestore,
        never read into memory (a database-stored attachment is read)."""
        Attachment = self.env["ir.attachment"].sudo()
        values = {
            "name": f"{self.name}.zip",
            "res_model": self._name,
            "res_id": self.id,
            "mimetype": "application/zip",
            "xinfang_restricted": scope,
        }
        if Attachment._storage() != "file":
            with open(path, "rb") as stream:
                return Attachment.create({**values, "raw": stream.read()})
        attachment = Attachment.create(values)
        fname = f"{sha1[:2]}/{sha1}"
        target = Attachment._full_path(fname)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.exists(target):
            os.unlink(path)
        else:
            os.replace(path, target)
        # In case this transaction aborts: the garbage collector checks it.
        Attachment._mark_for_gc(fname)
        attachment.flush_recordset()
        self.env.cr.execute(
            "UPDATE ir_attachment SET store_fname = %s, checksum = %s, "
            "file_size = %s WHERE id = %s",
            (fname, sha1, size, attachment.id),
        )
        attachment.invalidate_recordset()
        return attachment

    # ------------------------------------------------------------------
    # Verifying
    # ------------------------------------------------------------------

    def action_verify_package(self):
        """Recompute every checksum of the durable copy and report the
        differences (a note on the volume); nothing is repaired."""
        self._xinfang_one()
        self.env["xinfang.petition"]._check_group(OFFICER, DISCIPLINE)
        if not self.package_attachment_id:
            raise UserError(self.env._("Volume %s has no durable copy yet.", self.name))
        self.package_attachment_id.check("read")
        differences = self._xinfang_package_differences()
        self._xinfang_steps().sudo().write(
            {
                "package_check_date": fields.Datetime.now(),
                "package_check_result": "differs" if differences else "intact",
            }
        )
        if differences:
            body = self.env._(
                "Durable copy verified: %(count)s difference(s). %(list)s",
                count=len(differences),
                list="; ".join(differences),
            )
        else:
            body = self.env._("Durable copy verified: every checksum matches.")
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=body,
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if differences else "success",
                "message": body,
                "sticky": bool(differences),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _xinfang_package_differences(self):
        """What no longer matches the copy as made: the whole file, each file
        of its index, files missing or added."""
        attachment = self.package_attachment_id.sudo()
        differences = []
        if attachment.store_fname:
            source = attachment._full_path(attachment.store_fname)
            if not os.path.exists(source):
                return [self.env._("the copy's file is missing from the filestore")]
            opener = open(source, "rb")  # noqa: SIM115 (closed below)
        else:
            opener = io.BytesIO(attachment.raw or b"")
        with opener as stream:
            sha256, _size = _hash_stream(stream)
            if sha256 != self.package_sha256:
                differences.append(self.env._("the copy as a whole (SHA-256)"))
            stream.seek(0)
            try:
                archive = zipfile.ZipFile(stream)
            except zipfile.BadZipFile:
                return differences + [self.env._("the copy is not a readable ZIP")]
            with archive:
                try:
                    index = json.loads(archive.read("index.json"))
                except (KeyError, ValueError):
                    return differences + [
                        self.env._("index.json is missing or unreadable")
                    ]
                names = set(archive.namelist())
                listed = set()
                for entry in index.get("files", []):
                    name = entry.get("path")
                    listed.add(name)
                    if name not in names:
                        differences.append(self.env._("%s is missing", name))
                        continue
                    with archive.open(name) as member:
                        sha256, _size = _hash_stream(member)
                    if sha256 != entry.get("sha256"):
                        differences.append(self.env._("%s differs", name))
                for name in sorted(names - listed - set(INDEX_FILES)):
                    differences.append(self.env._("%s is not in the index", name))
        return differences
