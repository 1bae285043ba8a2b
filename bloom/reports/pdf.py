"""HTML to PDF with WeasyPrint, allowed to load nothing but this project's static files."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

# Pages are rendered as if served from this host; only its static files can be fetched.
BASE_URL = "https://bloom.invalid/"


def fetch_static_only(url: str) -> tuple[bytes, str]:
    """Return the body and type of one of our static files; refuse every other URL.

    A survivor's name typed into a field can never make the renderer reach the network
    or the file system: anything else fails to load and is left out of the PDF.
    """
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(settings.STATIC_URL):
        raise ValueError(f"Blocked resource in a PDF: {url}")
    relative = parts.path.removeprefix(settings.STATIC_URL)
    path = None
    if ".." not in relative.split("/"):
        path = finders.find(relative)
        if not path and settings.STATIC_ROOT and staticfiles_storage.exists(relative):
            # In production {% static %} names the collected, hashed copy, which only
            # STATIC_ROOT holds.
            path = staticfiles_storage.path(relative)
    if not path:
        raise ValueError(f"No such static file: {relative}")
    with open(path, "rb") as handle:
        return handle.read(), mimetypes.guess_type(path)[0] or "application/octet-stream"


def render_pdf(template_name: str, context: dict) -> bytes:
    # WeasyPrint needs Pango; importing it here keeps the rest of Bloom usable without it.
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            body, content_type = fetch_static_only(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
