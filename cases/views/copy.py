"""The page that prints a survivor's copy of what Bloom holds about them, when they ask for it.

The form posts to itself: a refused answer is shown beside its field with what was chosen kept;
an accepted one queues the PDF and writes the print to the access log in the same transaction,
then comes back to the page, where the job is shown until it is ready.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bloom.forms import forms_context
from bloom.reports import services as report_services
from bloom.reports.printouts import printout_language
from bloom.reports.queries import latest_job_for
from cases import permissions
from cases.forms.copy import SurvivorCopyForm
from cases.survivor_copy.printing import KIND, enrollments_of
from cases.views.pages import case_page


@login_required
@require_http_methods(["GET", "POST"])
def survivor_copy(request, pk):
    case = permissions.get_case_for(request.user, pk)
    may_include_notes = permissions.can_see_sensitive(request.user, case)
    if request.method == "POST":
        form = SurvivorCopyForm(request.POST, may_include_notes=may_include_notes)
        if form.is_valid():
            return _queue(request, case, form.parameters())
    else:
        language = printout_language(case.survivor.preferred_language)
        form = SurvivorCopyForm(initial={"language": language}, may_include_notes=may_include_notes)
    context = {
        "form": form,
        **forms_context(form),
        "enrollments": len(enrollments_of(request.user, case)),
        "job": latest_job_for(request.user, kind=KIND, target_id=case.pk),
    }
    return case_page(request, case, "cases/survivor_copy.html", context)


def _queue(request, case, parameters: dict):
    """Queue the copy and write its print to the access log (one transaction), then come back."""
    try:
        report_services.request_logged(request, kind=KIND, target_id=case.pk, parameters=parameters)
    except report_services.AlreadyAsked:
        # Nothing new was asked for, so nothing is queued or logged: the first request stands.
        messages.info(request, _("This copy is already being prepared. It is the one shown here."))
    except ValidationError as refused:
        # The page's form refuses the same first; this is what the builder itself checks.
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The copy is being prepared. It is shown here when it is ready."))
    return redirect(reverse("cases:survivor_copy", args=[case.pk]))
