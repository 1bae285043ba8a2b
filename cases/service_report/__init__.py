"""Service reports: what a survivor was given over a period, for one case or a whole team, as a PDF.

* ``sections``: the registry of what a report prints (``Scope``, ``Section``, ``register``);
  ``cases`` registers its own (``casework``), ``assistance`` and ``phases`` theirs from their
  ``AppConfig.ready``, so imports keep pointing one way.
* ``forms``: the period, whom the report is for, and notes.
* ``subjects``: how much of who the survivor is may be printed, and why not.
* ``printing``: the two kinds of report the worker builds (``bloom.reports.builders``).
* ``views``: the pages that ask for them.
"""

from cases.service_report.sections import PrintedPart, Scope, Section, register

__all__ = ["PrintedPart", "Scope", "Section", "register"]
