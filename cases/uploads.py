"""What an uploaded file really is, judged by its bytes and never by its name.

Pure: no models, no storage. A file is kept only when its content is one of the allowed
types (PDF, JPEG, PNG, Word DOCX), its name ends in an extension of that same type, and
its size is within the limit. Each refusal has its own plain message. A DOCX is a zip
archive; it is recognised by the names in its directory, read with ``zipfile`` without
extracting or decompressing anything, so a zip bomb costs nothing.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class FileType:
    label: str | Promise  # "a PDF", as it reads in "This file is not a PDF"
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType(gettext_lazy("a PDF"), "application/pdf", (".pdf",))
JPEG = FileType(gettext_lazy("a JPEG image"), "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType(gettext_lazy("a PNG image"), "image/png", (".png",))
DOCX = FileType(
    gettext_lazy("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
ALLOWED = (PDF, JPEG, PNG, DOCX)
EXTENSIONS = {extension: kind for kind in ALLOWED for extension in kind.extensions}

# What the first bytes of each type are. A DOCX starts as any zip does and is told apart below.
PDF_SIGNATURE = b"%PDF-"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
DOCX_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})
LONGEST_NAME = 255


class UploadRefused(ValueError):
    """The file cannot be kept; ``str(error)`` says why, in the reader's language."""


def check(file: BinaryIO, *, name: str, size: int, limit: int) -> FileType:
    """The type of ``file`` if it may be kept, else ``UploadRefused`` with the reason.

    ``name`` is the name the person's computer gave it, ``size`` its length in bytes and
    ``limit`` the largest size allowed. The file is left at its start.
    """
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit:
        raise UploadRefused(
            _("The file is %(size)s; files can be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    extension = PurePosixPath(name.lower()).suffix
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise UploadRefused(
            _("Only PDF, JPEG, PNG and Word (.docx) files can be kept. This file's name ends in “%(ext)s”.")
            % {"ext": extension or _("no extension")}
        )
    actual = detect(file)
    if actual != claimed:
        message = _("This file is not %(kind)s, although its name ends in %(ext)s.") % {
            "kind": claimed.label,
            "ext": extension,
        }
        if actual is not None:
            message += " " + _("It looks like %(kind)s: rename it to end in %(ext)s and try again.") % {
                "kind": actual.label,
                "ext": actual.extensions[0],
            }
        raise UploadRefused(message)
    return actual


def detect(file: BinaryIO) -> FileType | None:
    """The allowed type the bytes of ``file`` are, or ``None``. The file is left at its start."""
    file.seek(0)
    head = file.read(len(PNG_SIGNATURE))
    file.seek(0)
    if head.startswith(PDF_SIGNATURE):
        return PDF
    if head.startswith(JPEG_SIGNATURE):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(ZIP_SIGNATURE) and _is_docx(file):
        return DOCX
    return None


def _is_docx(file: BinaryIO) -> bool:
    # Only the archive's directory is read: no member is opened or decompressed.
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        return False
    finally:
        file.seek(0)
    return names >= DOCX_PARTS


def clean_name(name: str) -> str:
    """A file name safe to store and to send back in a header: no folders, no control characters.

    Keeps the extension when it has to shorten a long name.
    """
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .") or "file"
    if len(name) > LONGEST_NAME:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: LONGEST_NAME - len(suffix)] + suffix
    return name
