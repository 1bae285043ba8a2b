from django.shortcuts import render
from django.views import defaults

# The training survey's link (``bloom.urls``), opened by anyone without signing in. Its pages
# name no program and link nowhere, so a mistyped or replaced link gets a "not found" of its own
# rather than Bloom's, which names Bloom and links to its home page.
SURVEY_LINK_PATH = "/s/"


def csrf_failure(request, reason=""):
    """The page for a form sent without a valid CSRF token (often an expired session)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    """Bloom's "not found" page, or the survey link's own under its path."""
    if request.path_info.startswith(SURVEY_LINK_PATH):
        return defaults.page_not_found(request, exception, template_name="training/public/not_found.html")
    return defaults.page_not_found(request, exception)
