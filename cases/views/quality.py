"""The list of records to complete: cases missing something the funder reports count."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bloom.forms import forms_context
from cases import quality
from cases.forms.quality import QualityFilterForm

PAGE_SIZE = 25


@login_required
@require_safe
def quality_list(request):
    # A GET: the period, a team and "mine" identify nobody, and the page can be bookmarked.
    data = QualityFilterForm.with_default_period(request.GET, today=timezone.localdate())
    form = QualityFilterForm(data, user=request.user)
    if not form.is_valid():
        return render(request, "cases/quality.html", {"form": form, **forms_context(form)}, status=400)
    filters = form.cleaned_data
    cases = quality.to_complete(
        request.user, start=filters["start"], end=filters["end"], team=filters["team"], mine=filters["mine"]
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        **forms_context(form),
        "page": page,
        "rows": [(case, quality.gaps_of(case)) for case in page.object_list],
        "counts": quality.counts(cases, user=request.user),
        "query": _query(filters),
    }
    return render(request, "cases/quality.html", context)


def _query(filters: dict) -> str:
    """The filters as a query string, for the page links."""
    return urlencode({
        "start": filters["start"].isoformat(),
        "end": filters["end"].isoformat(),
        "team": filters["team"].pk if filters["team"] else "",
        "mine": "on" if filters["mine"] else "",
    })  # fmt: skip
