"""The intake fields, for the program director: how each is asked, and clearing what a hidden one holds.

The page names no survivor (it counts how many records hold a value in a hidden field), so it
needs the role's permission (``cases.manage_intake_fields``) rather than a case: anyone else
signed in gets a 403. A refused post shows the page again (400) with the message beside the
row's field and what was typed kept.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from bloom.forms import show_refusal
from cases import fields
from cases.forms.fields import ClearStoredValuesForm, FieldStateForm
from cases.models import IntakeField
from cases.services import fields as settings

# The latest changes listed under the fields.
CHANGES_SHOWN = 20

SAVED = {
    IntakeField.State.SHOWN: _("%(field)s is asked as built."),
    IntakeField.State.OPTIONAL: _("%(field)s may be left empty from now on."),
    IntakeField.State.HIDDEN: _(
        "%(field)s is hidden: no form, page or printout shows it, and nothing is stored in it from now on."
    ),
}


@dataclass
class Row:
    field: fields.Field
    state: str
    state_form: FieldStateForm | None  # None for a field a rule needs
    clear_form: ClearStoredValuesForm | None  # only for a hidden field
    stored: int | None  # how many records hold a value, for a hidden field

    @property
    def needed(self) -> str:
        """The rules that need the field, as a sentence lists them."""
        return settings.listed(self.field.needed_by)


def _require_manager(request) -> None:
    if not settings.may_manage_intake_fields(request.user):
        raise PermissionDenied


@login_required
@require_safe
def field_list(request):
    _require_manager(request)
    return _page(request)


@login_required
@require_POST
def field_state(request):
    _require_manager(request)
    form = FieldStateForm(request.POST)
    if form.is_valid():
        name, state = form.cleaned_data["name"], form.cleaned_data["state"]
        try:
            settings.set_state(name, state, by=request.user)
        except settings.FieldSettingError as error:
            show_refusal(form, error)
        else:
            messages.success(request, str(SAVED[state]) % {"field": fields.catalogue()[name].label})
            return redirect("cases:intake_fields")
    return _page(request, bound=form, status=400)


@login_required
@require_POST
def field_clear(request):
    _require_manager(request)
    form = ClearStoredValuesForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        try:
            cleared = settings.clear_stored_values(name, by=request.user, reason=form.cleaned_data["reason"])
        except settings.FieldSettingError as error:
            show_refusal(form, error)
        else:
            label = fields.catalogue()[name].label
            messages.success(
                request,
                ngettext(
                    "%(field)s was cleared in %(count)s record.",
                    "%(field)s was cleared in %(count)s records.",
                    cleared,
                )
                % {"field": label, "count": cleared},
            )
            return redirect("cases:intake_fields")
    return _page(request, bound=form, status=400)


@dataclass(frozen=True)
class Change:
    at: object
    by: str
    field: str
    state: str  # how it is asked from then on
    cleared: int | None  # for a clearing: how many records
    reason: str  # for a clearing: the director's words


def _page(request, *, bound: FieldStateForm | ClearStoredValuesForm | None = None, status: int = 200):
    """Every field with how it is asked, in groups; ``bound``, a refused post, in its field's row."""
    asked = fields.current()
    catalogue = fields.catalogue()
    hidden = [name for name in catalogue if asked.state_of(name) == IntakeField.State.HIDDEN]
    stored = settings.stored_counts(hidden)
    bound_name = bound.data.get("name") if bound is not None else None
    shown_in_row = False
    groups: dict[str, list[Row]] = {}
    for name, field in catalogue.items():
        state = asked.state_of(name)
        auto_id = f"id_{name.replace('.', '_')}_%s"
        state_form = clear_form = None
        if not field.needed_by:
            state_form = FieldStateForm(initial={"name": name, "state": state}, field=field, auto_id=auto_id)
        if state == IntakeField.State.HIDDEN:
            clear_form = ClearStoredValuesForm(initial={"name": name}, auto_id=f"{auto_id}_clear")
        if bound_name == name and isinstance(bound, FieldStateForm) and state_form is not None:
            state_form, shown_in_row = bound, True
            bound.auto_id = auto_id
        elif bound_name == name and isinstance(bound, ClearStoredValuesForm) and clear_form is not None:
            clear_form, shown_in_row = bound, True
            bound.auto_id = f"{auto_id}_clear"
        groups.setdefault(str(field.group), []).append(Row(field, state, state_form, clear_form, stored.get(name)))
    context = {
        "groups": list(groups.items()),
        # A refused post about no row of the page (an unknown field, one not hidden): its message goes on top.
        "refused": bound if bound is not None and not shown_in_row else None,
        "changes": _changes(catalogue),
        "has_errors": bound is not None,
    }
    return render(request, "cases/fields/list.html", context, status=status)


def _changes(catalogue: dict[str, fields.Field]) -> list[Change]:
    """The latest changes to how the fields are asked, and clearings, with who made them: one query."""
    states = dict(IntakeField.State.choices)
    rows = IntakeField.history.select_related("history_user").order_by("-history_date", "-history_id")
    changes = []
    for row in rows[:CHANGES_SHOWN]:
        cleared, reason = settings.clearing_in(row.history_change_reason) or (None, "")
        changes.append(
            Change(
                at=row.history_date,
                by=row.history_user.full_name if row.history_user else "",
                field=catalogue[row.name].label if row.name in catalogue else row.name,
                state=states.get(row.state, row.state),
                cleared=cleared,
                reason=reason,
            )
        )
    return changes
