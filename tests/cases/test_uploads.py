"""The upload check, with real files: content decides, the name must agree, the size has a limit."""

import io

import pytest
from pypdf import PdfReader

from cases import uploads
from tests.cases.sharing_files import HTML, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, zip_bytes

LIMIT = 10 * 1024 * 1024


def check(name: str, content: bytes, limit: int = LIMIT) -> uploads.FileType:
    return uploads.check(io.BytesIO(content), name=name, size=len(content), limit=limit)


def refusal(name: str, content: bytes, limit: int = LIMIT) -> str:
    with pytest.raises(uploads.UploadRefused) as refused:
        check(name, content, limit)
    return str(refused.value)


def test_the_test_pdf_is_a_real_pdf():
    assert len(PdfReader(io.BytesIO(pdf_bytes())).pages) == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("release.pdf", pdf_bytes(), uploads.PDF),
        ("RELEASE.PDF", pdf_bytes(), uploads.PDF),
        ("id.png", png_bytes(), uploads.PNG),
        ("receipt.jpg", jpeg_bytes(), uploads.JPEG),
        ("receipt.jpeg", jpeg_bytes(), uploads.JPEG),
        ("letter.docx", docx_bytes(), uploads.DOCX),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, expected):
    assert check(name, content) == expected


def test_html_named_pdf_is_refused():
    assert refusal("release.pdf", HTML) == "This file is not a PDF, although its name ends in .pdf."


def test_a_plain_zip_named_docx_is_refused():
    content = zip_bytes({"notes.txt": "hello", "[Content_Types].xml": "<Types/>"})

    assert refusal("letter.docx", content) == "This file is not a Word document, although its name ends in .docx."


def test_a_broken_zip_named_docx_is_refused():
    content = docx_bytes()[:40]

    assert refusal("letter.docx", content) == "This file is not a Word document, although its name ends in .docx."


def test_a_real_file_under_the_wrong_extension_says_what_it_is():
    message = refusal("scan.pdf", png_bytes())

    assert message == (
        "This file is not a PDF, although its name ends in .pdf. "
        "It looks like a PNG image: rename it to end in .png and try again."
    )


def test_an_empty_file_is_refused():
    assert refusal("release.pdf", b"") == "The file is empty."


def test_an_eleven_megabyte_file_is_refused():
    content = pdf_bytes() + b"\0" * (11 * 1024 * 1024)

    assert refusal("release.pdf", content) == "The file is 11.0\xa0MB; files can be at most 10.0\xa0MB."


def test_a_file_exactly_at_the_limit_is_kept():
    content = pdf_bytes().ljust(LIMIT, b" ")

    assert check("release.pdf", content) == uploads.PDF


@pytest.mark.parametrize("name", ["page.html", "run.exe", "photo.gif", "noextension", "release.pdf.exe"])
def test_other_extensions_are_refused_whatever_the_content(name):
    assert refusal(name, pdf_bytes()).startswith("Only PDF, JPEG, PNG and Word (.docx) files can be kept.")


def test_the_file_is_left_at_its_start():
    file = io.BytesIO(docx_bytes())
    file.seek(7)

    uploads.check(file, name="letter.docx", size=len(file.getvalue()), limit=LIMIT)

    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\ana\\ID card.pdf", "ID card.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("evil\u202efdp.exe.pdf", "evilfdp.exe.pdf"),
        ("a\x00b\r\nc.pdf", "abc.pdf"),
        ("", "file"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_clean_name_keeps_a_safe_name(name, expected):
    assert uploads.clean_name(name) == expected
