"""Every form in the code is attacked, on every field, with every value of the field's kind.

The attack works the fields out from the forms themselves (``harness.plan``), so a new field is
attacked without anyone listing it. What this module checks is the rest: that every form class
the apps define is bound by some target, and that every page taking input is a target, or is
named in ``NO_FIELDS`` with the reason it reads nothing from the post. It also writes the table
of what is sent (forms, fields, values, posts) to ``var/test-reports/hostile-input.md``.
"""

import importlib
import inspect
import pkgutil
from collections import Counter

from django import forms

from tests.conftest import ROOT
from tests.hostile import (
    test_assistance,
    test_cases,
    test_dashboards,
    test_director_dashboard,
    test_intake_fields,
    test_outreach,
    test_phases,
    test_platform,
    test_quality,
    test_retention,
    test_service_report,
    test_survivor_copy,
    test_training,
)
from tests.hostile.corpus import kind_of
from tests.hostile.harness import fields_of, form_classes, plan, posts_through_http
from tests.matrix import MATRIX

TARGETS = [
    *test_platform.TARGETS,
    *test_cases.TARGETS,
    *test_phases.TARGETS,
    *test_assistance.TARGETS,
    *test_outreach.TARGETS,
    *test_training.TARGETS,
    *test_quality.TARGETS,
    *test_director_dashboard.TARGETS,
    *test_dashboards.TARGETS,
    *test_service_report.TARGETS,
    *test_intake_fields.TARGETS,
    *test_survivor_copy.TARGETS,
    *test_retention.TARGETS,
]
PACKAGES = ["bloom", "cases", "phases", "assistance", "outreach", "training", "retention"]

# Routes that accept a POST but read no field from it: their only input is the URL, which the
# access matrix and tests/test_hostile_input.py exercise.
NO_FIELDS = {
    "notifications/<int:pk>/open/": "marks one notification read",
    "notifications/read-all/": "marks all of one's notifications read",
    "retention/deletions/<int:pk>/confirm/": "confirms the deletion named in the URL",
    "retention/deletions/<int:pk>/withdraw/": "withdraws the deletion named in the URL",
    "accounts/logout/": "signs out whoever posts it",
    "cases/<int:pk>/family/<int:member_pk>/remove/": "removes the family member named in the URL",
    "cases/<int:pk>/closures/<int:closure_pk>/withdraw/": "withdraws the closure request named in the URL",
    "cases/<int:pk>/plan/reviews/<int:review_pk>/withdraw/": "withdraws the move named in the URL",
    "plans/templates/<int:template_pk>/use/": "uses the template named in the URL for new case plans",
    "assistance/requests/<int:pk>/approve/": "approves the request named in the URL",
    "cases/intake-requests/<int:pk>/start/": "starts an intake from the request for help named in the URL",
    "training/events/<int:pk>/new-link/": "draws a new survey link for the event named in the URL",
    "training/events/<int:pk>/attendees/<int:attendee_pk>/remove/": "takes the attendee named in the URL off",
    "training/events/<int:pk>/surveys/<int:response_pk>/set-aside/": "sets aside the survey named in the URL",
    "training/surveys/<int:pk>/revise/": "copies the survey version named in the URL into a new version",
    "training/surveys/<int:pk>/default/": "uses the survey version named in the URL for new events",
}


def project_form_classes() -> set[type]:
    """Every form class the apps define, found by importing every module of theirs."""
    found = set()
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.add(cls)
    return found


def test_every_form_class_is_attacked(objects):
    bound = set().union(*(form_classes(target, objects) for target in TARGETS))

    unattacked = {cls for cls in project_form_classes() if not any(issubclass(b, cls) for b in bound)}

    assert sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in unattacked) == []


def test_every_page_that_takes_input_is_attacked():
    accepts_post = {
        route
        for route, declared in MATRIX.items()
        if not route.startswith("admin/")
        and any(outcome not in {"405", "login", "admin-login"} for outcome in declared.POST.values())
    }
    targets = {target.route for target in TARGETS}

    assert sorted(accepts_post - targets - set(NO_FIELDS)) == []
    assert sorted(targets & set(NO_FIELDS)) == []
    assert sorted(targets - set(MATRIX)) == []


def test_every_field_of_every_target_has_hostile_values_of_its_kind(objects):
    """Writes the table: per page, its forms, fields, the values sent and the posts."""
    rows, kinds = [], Counter()
    for target in TARGETS:
        fields = fields_of(target, objects)
        examples = plan(target, objects)
        kinds.update(kind_of(field) for _name, field in fields)
        sent = {name for name, _hostile in examples}
        assert sent == {name for name, _field in fields}, target  # every field gets values
        classes = sorted({cls.__name__ for cls in form_classes(target, objects)} - {"ManagementForm"})
        http = len(list(posts_through_http(target, objects)))
        rows.append((str(target), ", ".join(classes), len(fields), len(examples), len(examples) + http))

    report = ROOT / "var" / "test-reports" / "hostile-input.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    totals = tuple(sum(row[i] for row in rows) for i in (2, 3, 4))
    lines = [
        "| page | forms | fields | values sent below HTTP | posts in all |",
        "|---|---|---|---|---|",
        *(f"| `{page}` | {classes} | {fields} | {values} | {posts} |" for page, classes, fields, values, posts in rows),
        f"| **{len(rows)} pages** | | **{totals[0]}** | **{totals[1]}** | **{totals[2]}** |",
        "",
        "Fields by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())),
    ]
    report.write_text("\n".join(lines) + "\n")
    assert totals[0] > 0
