"""The service catalogue: the program's services and the funders' codes they are counted under.

Only the program director changes it (``cases.manage_service_catalogue``). A service's ``key``
is made once from its first name and never changes, because rules in code name services by
it (``cases.catalogue``). A code a submitted report has counted under keeps its code text and
scheme for ever, so that what was reported can always be read again; a funder's new code is
added beside it.

A service's name may also be written in the other languages (``bloom.translated``): what a
specialist ticks and a survivor reads in Spanish. It follows the English name's rules: no two
services share a name in one language.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bloom import translated
from bloom.accounts.models import User
from bloom.said import Said
from cases.models import FunderCode, FunderScheme, Service
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save

PERMISSION = "cases.manage_service_catalogue"
# A PositiveSmallIntegerField's ceiling.
LARGEST_ORDER = 32767
KEY_LENGTH = Service._meta.get_field("key").max_length
LONGEST = {
    "name": Service._meta.get_field("name").max_length,
    "code": FunderCode._meta.get_field("code").max_length,
    "label": FunderCode._meta.get_field("label").max_length,
    "category": FunderCode._meta.get_field("category").max_length,
}


class CatalogueError(ValidationError):
    """A change to the catalogue the rules do not allow; keyed by the form field it concerns."""


def may_manage_catalogue(user: User) -> bool:
    """Whether ``user`` may see and change the service catalogue and the funders' codes."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


@dataclass(frozen=True)
class ServiceDetails:
    """What the director says about a service; the key is not among it."""

    name: str
    group: str
    usual: bool = False
    is_active: bool = True
    order: int = 0
    victim_services_code: FunderCode | None = None
    hhs_code: FunderCode | None = None
    # The name in the other languages, {"es": {"name": ...}}; None keeps them as they are.
    translations: dict | None = None


@dataclass(frozen=True)
class CodeDetails:
    """One code in a funder's scheme."""

    scheme: str
    code: str
    label: str
    category: str = ""
    order: int = 0


# Services ----------------------------------------------------------------------------------


@transaction.atomic
def add_service(*, by: User, details: ServiceDetails) -> Service:
    """Add a service to the catalogue; its key is made from the name, once, and kept for ever.

    Refused with ``CatalogueError`` (see ``_checked_service``).
    """
    values = _checked_service(details, service=None)
    for _attempt in range(3):
        service = Service(key=_free_key(values["name"]), **values)
        try:
            _saved(service, by=by, reason=Said("service.added"), check=lambda: _checked_service(details, None))
        except IntegrityError:
            # Another service took the same key a moment ago (two names that make one key):
            # make the next free one.
            if not Service.objects.filter(key=service.key).exists():
                raise
            continue
        return service
    raise IntegrityError("no free key for the service")


@transaction.atomic
def update_service(service: Service, *, by: User, details: ServiceDetails) -> Service:
    """Change a service's name, group, codes or place on the contact form; never its key.

    Only what changed is written; an unchanged form writes no history row. Past events
    keep the service, so clearing "offered" only stops it being ticked from now on.
    """
    service = Service.objects.select_for_update().get(pk=service.pk)
    values = _checked_service(details, service=service)
    changed = _apply(service, values)
    if changed:
        _saved(
            service,
            by=by,
            reason=Said("row.changed", fields=changed),
            fields=changed,
            check=lambda: _checked_service(details, service),
        )
    return service


def _checked_service(details: ServiceDetails, service: Service | None) -> dict:
    """The service's values, cleaned; raises ``CatalogueError`` naming the first field at fault.

    Refused: an empty name, or one another service has; a group or order outside the list; a
    code from the wrong scheme; a victim-services code already given to another service
    (each sub-service is counted as exactly one service).
    """
    name = _text(details.name, "name", _("Give the service a name."))
    others = Service.objects.exclude(pk=service.pk) if service else Service.objects.all()
    taken = others.filter(name__iexact=name).first()
    if taken:
        raise CatalogueError({"name": _("There is already a service called “%(name)s”.") % {"name": taken.name}})
    if details.group not in Service.Group.values:
        raise CatalogueError({"group": _("Choose a group from the list.")})
    _check_order(details.order)
    vs_code, hhs_code = details.victim_services_code, details.hhs_code
    if vs_code is not None:
        # Locked, so that two services cannot both take it at once.
        vs_code = FunderCode.objects.select_for_update().filter(pk=vs_code.pk).first()
        if vs_code is None or vs_code.scheme != FunderScheme.VICTIM_SERVICES:
            raise CatalogueError({"victim_services_code": _("Choose a victim-services code from the list.")})
        holder = others.filter(victim_services_code=vs_code).first()
        if holder:
            raise CatalogueError(
                {
                    "victim_services_code": _(
                        "%(code)s is already given to “%(service)s”. Each victim-services code counts one service."
                    )
                    % {"code": vs_code.code, "service": holder.name}
                }
            )
    if hhs_code is not None and hhs_code.scheme != FunderScheme.HHS:
        raise CatalogueError({"hhs_code": _("Choose an HHS category from the list.")})
    if service is not None:
        _check_reported_codes_stay(service, vs_code=vs_code, hhs_code=hhs_code)
    values = {
        "name": name,
        "group": details.group,
        "usual": bool(details.usual),
        "is_active": bool(details.is_active),
        "order": details.order,
        "victim_services_code": vs_code,
        "hhs_code": hhs_code,
    }
    if details.translations is not None:
        values["translations"] = _checked_translations(details.translations, others, kept=service)
    return values


def _checked_translations(given: dict, others, *, kept: Service | None) -> dict:
    """The name in each other language, tidied as the English is; refused, on the language's own
    field ("name_es"), with control characters, too long, or another service's name in it."""
    stored = translated.tidy(given, Service.TRANSLATED, kept=kept.translations if kept else None)
    for code, _own in translated.other_languages():
        if "name" not in stored.get(code, {}):
            continue
        field = translated.field_name("name", code)
        words = stored[code]["name"] = _text(stored[code]["name"], "name", None, shown=field)
        taken = others.filter(**{f"translations__{code}__name__iexact": words}).first()
        if taken:
            raise CatalogueError(
                {field: _("There is already a service called “%(name)s”.") % {"name": taken.local("name", code)}}
            )
    return stored


def _check_reported_codes_stay(service: Service, *, vs_code: FunderCode | None, hhs_code: FunderCode | None) -> None:
    """A code a submitted report counted this service under stays with it: moving it would make
    a new run of a submitted period count other events under the same code."""
    for field, old, new in (
        ("victim_services_code", service.victim_services_code, vs_code),
        ("hhs_code", service.hhs_code, hhs_code),
    ):
        if old is not None and old.first_reported_on and (new is None or new.pk != old.pk):
            raise CatalogueError(
                {
                    field: _(
                        "This service was reported under %(code)s on %(day)s, so it keeps that code. "
                        "Add a new service for what is counted differently from now on."
                    )
                    % {"code": old.code, "day": date_format(old.first_reported_on, "DATE_FORMAT")}
                }
            )


def _free_key(name: str) -> str:
    """A key made from ``name`` that no service has: "transportation", else "transportation-2"..."""
    base = slugify(name)[:KEY_LENGTH].strip("-") or "service"
    taken = set(Service.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        suffix = f"-{n}"
        key = base[: KEY_LENGTH - len(suffix)] + suffix
    return key


# Funders' codes ----------------------------------------------------------------------------


@transaction.atomic
def add_funder_code(*, by: User, details: CodeDetails) -> FunderCode:
    """Add a code to a funder's scheme (a funder's new sub-service, say).

    Refused with ``CatalogueError`` for an empty code or name, a scheme not in the list, or a
    code the scheme already has.
    """
    values = _checked_code(details, funder_code=None)
    funder_code = FunderCode(**values)
    _saved(
        funder_code,
        by=by,
        reason=Said("funder_code.added"),
        check=lambda: _checked_code(details, None),
    )
    return funder_code


@transaction.atomic
def update_funder_code(funder_code: FunderCode, *, by: User, details: CodeDetails) -> FunderCode:
    """Change a funder's code; a code already reported keeps its code text and scheme.

    Only what changed is written. Refused with ``CatalogueError`` as ``add_funder_code``, and
    for a new code text or scheme on a code a report has counted under, or a new scheme on a
    code a service is counted under.
    """
    funder_code = FunderCode.objects.select_for_update().get(pk=funder_code.pk)
    values = _checked_code(details, funder_code=funder_code)
    changed = _apply(funder_code, values)
    if changed:
        _saved(
            funder_code,
            by=by,
            reason=Said("row.changed", fields=changed),
            fields=changed,
            check=lambda: _checked_code(details, funder_code),
        )
    return funder_code


def _checked_code(details: CodeDetails, funder_code: FunderCode | None) -> dict:
    if details.scheme not in FunderScheme.values:
        raise CatalogueError({"scheme": _("Choose a funder's scheme from the list.")})
    code = _text(details.code, "code", _("Give the code."))
    label = _text(details.label, "label", _("Give the funder's name for it."))
    category = _text(details.category, "category", None)
    _check_order(details.order)
    others = FunderCode.objects.filter(scheme=details.scheme)
    if funder_code is not None:
        others = others.exclude(pk=funder_code.pk)
        _check_frozen(funder_code, scheme=details.scheme, code=code)
    if others.filter(code__iexact=code).exists():
        message = {
            FunderScheme.VICTIM_SERVICES: _("%(code)s is already a victim-services code."),
            FunderScheme.HHS: _("%(code)s is already an HHS category."),
        }[details.scheme]
        raise CatalogueError({"code": message % {"code": code}})
    return {"scheme": details.scheme, "code": code, "label": label, "category": category, "order": details.order}


def _check_frozen(funder_code: FunderCode, *, scheme: str, code: str) -> None:
    """A reported code keeps its text and scheme; a code a service counts under keeps its scheme."""
    reported = funder_code.first_reported_on
    if reported and code != funder_code.code:
        raise CatalogueError(
            {
                "code": _(
                    "%(code)s was reported on %(date)s, so its code cannot change. Add a new code instead; "
                    "its name can still be corrected here."
                )
                % {"code": funder_code.code, "date": date_format(reported)}
            }
        )
    if scheme == funder_code.scheme:
        return
    if reported:
        raise CatalogueError(
            {
                "scheme": _("%(code)s was reported on %(date)s, so its scheme cannot change. Add a new code instead.")
                % {"code": funder_code.code, "date": date_format(reported)}
            }
        )
    holder = Service.objects.filter(
        **{"victim_services_code" if funder_code.scheme == FunderScheme.VICTIM_SERVICES else "hhs_code": funder_code}
    ).first()
    if holder:
        raise CatalogueError(
            {
                "scheme": _("“%(service)s” is counted under %(code)s, so its scheme cannot change.")
                % {"service": holder.name, "code": funder_code.code}
            }
        )


@transaction.atomic
def record_codes_reported(codes: Iterable[FunderCode], *, on: date, by: User | None = None) -> list[FunderCode]:
    """Mark ``codes`` as first reported ``on`` that day, where no earlier report has; return those marked.

    A code already reported keeps its first day. From then on its code text and scheme
    cannot change (``update_funder_code``). Each code marked leaves a history row.
    """
    pks = {code.pk for code in codes}
    marked = []
    for funder_code in FunderCode.objects.select_for_update().filter(pk__in=pks, first_reported_on__isnull=True):
        funder_code.first_reported_on = on
        _save(funder_code, by=by, reason=Said("funder_code.first_reported", day=on), fields=["first_reported_on"])
        marked.append(funder_code)
    return marked


# What both share ------------------------------------------------------------------------------


def _text(value: str, field: str, required: str | None, *, shown: str | None = None) -> str:
    """``value`` with its spaces tidied; refused when empty (if ``required``), too long, or with control
    characters, beside the form field ``shown`` (``field`` itself unless it is a translation of it)."""
    shown = shown or field
    text = " ".join((value or "").split())
    if not text and required:
        raise CatalogueError({shown: required})
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise CatalogueError({shown: _("Use letters, numbers and punctuation only.")})
    if len(text) > LONGEST[field]:
        raise CatalogueError({shown: _("Use at most %(count)s characters.") % {"count": LONGEST[field]}})
    return text


def _check_order(order: int) -> None:
    if not isinstance(order, int) or not 0 <= order <= LARGEST_ORDER:
        raise CatalogueError({"order": _("Give a number from 0 to %(most)s.") % {"most": LARGEST_ORDER}})


def _saved(instance, *, by: User, reason: str, check, fields: list[str] | None = None) -> None:
    """Save with history; a name or code someone else took a moment ago is refused as the rules say."""
    try:
        with transaction.atomic():
            _save(instance, by=by, reason=reason, fields=fields)
    except IntegrityError:
        check()  # raises the refusal that now applies
        raise
