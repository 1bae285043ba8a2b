"""Documents: kept privately, checked by content, downloaded only through a checked, logged view."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from bloom.audit.models import AccessLogEntry
from cases import services
from cases.models import Document
from tests.cases.sharing_files import (
    HTML,
    cards,
    docx_bytes,
    pdf_bytes,
    pdf_upload,
    png_bytes,
    reader_of_every_case,
    upload,
)


def add(world, case=None, **kwargs) -> Document:
    kwargs.setdefault("kind", Document.Kind.IDENTIFICATION)
    kwargs.setdefault("title", "State ID")
    kwargs.setdefault("upload", pdf_upload("id card.pdf"))
    return services.add_document(case or world.case_a, by=world.specialist, **kwargs)


def download_url(document) -> str:
    return reverse("cases:document_download", args=[document.case_id, document.pk])


# The service ----------------------------------------------------------------------------------


def test_add_document_keeps_the_checked_facts_under_a_random_private_name(world):
    document = add(world, upload=upload("Alma passport.png", png_bytes(), content_type="application/pdf"))

    stored = default_storage.open(document.file.name).read()
    assert (document.content_type, document.size, document.sha256, document.original_name) == (
        "image/png",
        len(png_bytes()),
        hashlib.sha256(png_bytes()).hexdigest(),
        "Alma passport.png",
    )
    assert stored == png_bytes()
    assert document.file.name.startswith("documents/")
    assert "Alma" not in document.file.name
    assert not Path(document.file.name).suffix
    assert (document.history.count(), document.history.get().history_user) == (1, world.specialist)


def stored_files() -> set[Path]:
    return {path for path in Path(default_storage.location).rglob("*") if path.is_file()}


def test_add_document_refuses_html_named_pdf_and_stores_nothing(world):
    before = stored_files()

    with pytest.raises(services.SharingError) as refused:
        add(world, upload=upload("release.pdf", HTML))

    assert refused.value.message_dict == {"file": ["This file is not a PDF, although its name ends in .pdf."]}
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_delete_document_keeps_the_row_and_history_and_removes_the_file_after_commit(
    world, django_capture_on_commit_callbacks
):
    document = add(world)
    stored = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document, by=world.supervisor, reason="Uploaded to the wrong case")

    document.refresh_from_db()
    latest = document.history.first()
    assert (document.deleted_by, document.deletion_reason, document.file.name) == (
        world.supervisor,
        "Uploaded to the wrong case",
        "",
    )
    assert document.deleted_at is not None
    assert not default_storage.exists(stored)
    assert (document.history.count(), latest.history_user, latest.history_change_reason) == (
        2,
        world.supervisor,
        "document.deleted",
    )


def test_delete_document_without_a_reason_is_refused_and_keeps_the_file(world):
    document = add(world)

    with pytest.raises(services.SharingError):
        services.delete_document(document, by=world.specialist, reason="   ")

    document.refresh_from_db()
    assert (document.is_deleted, default_storage.exists(document.file.name), document.history.count()) == (
        False,
        True,
        1,
    )


# Upload and delete pages ----------------------------------------------------------------------


def test_upload_page_keeps_a_docx(client, world):
    client.force_login(world.specialist)
    url = reverse("cases:document_new", args=[world.case_a.pk])

    response = client.post(url, {"kind": "letter", "title": "Lease letter", "file": upload("lease.docx", docx_bytes())})

    document = Document.objects.get()
    assert (response.status_code, response["Location"]) == (302, world.case_a.get_absolute_url())
    assert (document.case, document.kind, document.title, document.uploaded_by) == (
        world.case_a,
        "letter",
        "Lease letter",
        world.specialist,
    )
    assert "Lease letter" in client.get(world.case_a.get_absolute_url()).text


def test_upload_page_says_plainly_when_a_pdf_is_really_html_and_keeps_the_rest(client, world):
    client.force_login(world.specialist)
    url = reverse("cases:document_new", args=[world.case_a.pk])

    response = client.post(url, {"kind": "signed form", "title": "Intake consent", "file": upload("form.pdf", HTML)})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This file is not a PDF, although its name ends in .pdf."]}
    assert 'value="Intake consent"' in response.text
    assert Document.objects.count() == 0


def test_upload_page_is_for_those_who_may_change_the_case(client, world):
    url = reverse("cases:document_new", args=[world.case_a.pk])
    client.force_login(world.outsider)
    outsider = client.post(url, {"kind": "letter", "title": "x", "file": pdf_upload()})
    client.force_login(reader_of_every_case())
    reader = client.post(url, {"kind": "letter", "title": "x", "file": pdf_upload()})

    assert (outsider.status_code, reader.status_code) == (404, 403)
    assert Document.objects.count() == 0


def test_delete_page_needs_a_reason_then_deletes(client, world, django_capture_on_commit_callbacks):
    document = add(world)
    client.force_login(world.specialist)
    url = reverse("cases:document_delete", args=[world.case_a.pk, document.pk])

    empty = client.post(url, {"reason": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "A duplicate"})

    document.refresh_from_db()
    assert empty.status_code == 200
    assert list(empty.context["form"].errors) == ["reason"]
    assert (done.status_code, document.deletion_reason) == (302, "A duplicate")
    assert client.get(url).status_code == 404  # already deleted


def test_delete_page_is_404_for_a_document_of_another_case(client, world):
    other = add(world, case=world.case_b)
    client.force_login(world.specialist)

    response = client.post(reverse("cases:document_delete", args=[world.case_a.pk, other.pk]), {"reason": "x"})

    other.refresh_from_db()
    assert (response.status_code, other.is_deleted) == (404, False)


# Download ---------------------------------------------------------------------------------------


def test_download_is_an_attachment_never_sniffed_and_is_logged(client, world):
    document = add(world)
    client.force_login(world.supervisor)

    response = client.get(download_url(document))

    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert response["Content-Disposition"] == 'attachment; filename="id card.pdf"'
    assert (entry.user, entry.target_id, entry.target_label) == (
        world.supervisor,
        world.case_a.pk,
        world.case_a.survivor.client_code,
    )


def test_download_is_404_for_an_outsider_and_logs_nothing(client, world):
    document = add(world)
    client.force_login(world.outsider)

    response = client.get(download_url(document))

    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD).count() == 0


def test_download_of_a_deleted_document_is_404(client, world, django_capture_on_commit_callbacks):
    document = add(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document, by=world.specialist, reason="Wrong file")
    client.force_login(world.specialist)

    assert client.get(download_url(document)).status_code == 404


def test_download_through_another_case_is_404(client, world):
    foreign = add(world, case=world.case_b)
    client.force_login(world.specialist)

    response = client.get(reverse("cases:document_download", args=[world.case_a.pk, foreign.pk]))

    assert response.status_code == 404


def test_download_is_only_by_get(client, world):
    document = add(world)
    client.force_login(world.specialist)

    assert client.post(download_url(document)).status_code == 405


# The case page ----------------------------------------------------------------------------------


def test_the_case_page_lists_documents_and_counts_the_deleted(client, world, django_capture_on_commit_callbacks):
    kept = add(world, title="Birth certificate")
    gone = add(world, title="Old lease")
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(gone, by=world.specialist, reason="Expired")
    client.force_login(world.specialist)

    html = client.get(world.case_a.get_absolute_url()).text

    assert "Birth certificate" in html
    assert download_url(kept) in html
    assert "Old lease" not in html
    assert "One document was deleted; the record of it is in the history." in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_documents_card_costs_the_same_for_more_documents(world, django_assert_num_queries, size):
    for n in range(size):
        add(world, title=f"Document {n}")

    with django_assert_num_queries(3):
        html = cards(world.case_a)

    assert html.count("/download/") == size
