"""What each kind of report is: who may ask for it, and how it is built.

This module is the registry, and it imports no program module: the apps register their own
reports from ``AppConfig.ready`` (the face sheet and the safety plan in ``cases.printouts``, the
case plan in ``phases.printouts``, training's evaluations in ``training.apps``), importing it,
so no import runs from here up to a program module and back (docs/ARCHITECTURE.md, "Layers").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bloom.accounts.models import User
from bloom.said import Said


@dataclass(frozen=True)
class Builder:
    kind: str
    title: Any
    # Returns the report's subject if ``user`` may have the report, else raises Http404.
    authorize: Callable[[User, int], Any]
    # A label for the access log that does not identify the survivor.
    label: Callable[[Any], str]
    # Returns (filename, PDF bytes); calls ``progress(percent)`` as it goes.
    build: Callable[..., tuple[str, bytes]]
    # Says why there is nothing to print for the subject (the request is then refused
    # with that message, nothing is queued, and a plain POST goes back to the subject's
    # get_absolute_url()), or returns None.
    nothing_to_print: Callable[[Any], str | None] | None = None
    # Reads the report's parameters from the request's POST data (raising ValidationError
    # with a message for the reader); the build then gets them as ``parameters``.
    read_parameters: Callable[[Any], dict] | None = None
    # Refuses (ValidationError, with a message for the reader) parameters that this person may
    # not ask for on this subject, once both are known: notes printed by someone who may not
    # see them, say. Nothing is then queued or logged.
    check_parameters: Callable[[User, Any, dict], None] | None = None
    # Whether asking for it and downloading it go to the access log: every report about a
    # survivor does. Training's evaluation is aggregate counts and scores of anonymous
    # surveys, with no record behind it to log.
    logged: bool = True
    # The access log names the job itself, labelled ``label(job)``, instead of the subject: a
    # report over every case has no one record behind it.
    log_job: bool = False
    # Asked again by the same person with the same parameters while the first is still being
    # prepared, the first is given back instead of a second (``services.AlreadyAsked``).
    one_at_a_time: bool = False
    # The access log's reason for asking for it and downloading it, from the job's parameters:
    # whom a service report was for, say, as a code shown in the reader's language
    # (``bloom.said``). None: no reason is written.
    log_reason: Callable[[dict], Said] | None = None

    def reason(self, parameters: dict | None) -> Said | str:
        return self.log_reason(parameters or {}) if self.log_reason else ""


# Every kind of report, by its ``kind``: filled by ``register`` as the apps start.
BUILDERS: dict[str, Builder] = {}


def register(builder: Builder) -> None:
    """Make ``builder`` a kind of report. Each app registers its own from ``AppConfig.ready``,
    so that this module never imports a program module: they import it."""
    if builder.kind in BUILDERS and BUILDERS[builder.kind] != builder:
        raise ValueError(f"Two reports of kind {builder.kind!r}")
    BUILDERS[builder.kind] = builder


def register_platform_builders() -> None:
    """The reports this app builds itself: the funder and state reports over every case."""
    # Imported only now: they read the program modules, which import this registry.
    from bloom.reports import funders, program_builders  # noqa: PLC0415

    for definition in funders.DEFINITIONS.values():
        register(program_builders.program_builder(definition))
