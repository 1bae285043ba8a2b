from django.shortcuts import render


def csrf_failure(request, reason=""):
    """The page for a form sent without a valid CSRF token (often an expired session)."""
    return render(request, "403_csrf.html", status=403)
