from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from bloom.directory import queries
from bloom.directory.forms import DirectoryFilterForm
from bloom.directory.models import Organization

PAGE_SIZE = 50


# Partner organizations are public details, not survivor data: every signed-in person sees
# the whole directory, and a search may sit in the address (GET), unlike the case list's.
@login_required
@require_safe
def organization_list(request):
    organizations = queries.listed(Organization.objects.all())
    form = DirectoryFilterForm(request.GET or None)
    if form.is_valid():
        organizations = queries.filtered(organizations, **form.cleaned_data)
    page = Paginator(queries.for_list(organizations), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    # A history restore (Back, with the page no longer in htmx's cache) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "directory/list.html#results", context)
    return render(request, "directory/list.html", context)


@login_required
@require_safe
def organization_detail(request, pk):
    # An organization taken out of the directory answers like a missing one.
    organization = get_object_or_404(queries.listed(Organization.objects.select_related("town")), pk=pk)
    return render(request, "directory/detail.html", {"organization": organization})
