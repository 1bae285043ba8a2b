"""Hostile input to the retention pages: the policy, running the purge, holds and deletions.

Each ``Target`` says how its view builds the form and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold afterwards: the policy, if stored, is one the rules allow; every hold has a
reason and every deletion request a reason and a why; nothing was purged.
"""

import pytest

from retention import services
from retention.forms import DeletionForm, HoldForm, LiftForm, PolicyForm, RunPurgeForm
from retention.models import DeletionRequest, Hold, RetentionPolicy, Tombstone
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http, saved
from tests.matrix import MATRIX
from tests.matrix_retention import active_hold, policy_post
from tests.objects import Objects


def _lift(o: Objects, form: LiftForm) -> None:
    """What the view does: lift the hold named in the address (a fresh one each time, since a
    lifted hold cannot be lifted again)."""
    services.lift_hold(active_hold(o), by=o.world.supervisor, note=form.cleaned_data["note"])


def _run(o: Objects, form: RunPurgeForm) -> None:
    services.queue_purge(by=o.world.director)


TARGETS = [
    Target(
        "retention/",
        "director",
        bind=lambda o, data, files: PolicyForm(data),
        valid=policy_post,
        submit=saved(
            lambda o, form: services.set_policy(by=o.world.director, **form.numbers()), services.RetentionError
        ),
        path=lambda o: "/retention/",
        shows=lambda o: ["/retention/"],
    ),
    Target(
        "retention/run/",
        "director",
        bind=lambda o, data, files: RunPurgeForm(data),
        valid=lambda o: {"confirm": "on"},
        submit=saved(_run),
        path=lambda o: "/retention/run/",
        shows=lambda o: ["/retention/log/"],
        stores=False,  # it queues the run; nothing is stored until the worker runs it
    ),
    Target(
        "retention/cases/<int:case_pk>/holds/",
        "specialist",
        bind=lambda o, data, files: HoldForm(data),
        valid=lambda o: {"reason": "Court order 22-114"},
        submit=saved(
            lambda o, form: services.place_hold(o.world.case_a, by=o.world.specialist, **form.cleaned_data),
            services.RetentionError,
        ),
        path=lambda o: f"/retention/cases/{o.world.case_a.pk}/holds/",
        shows=lambda o: [o.world.case_a.get_absolute_url()],
    ),
    Target(
        "retention/holds/<int:pk>/lift/",
        "supervisor",
        bind=lambda o, data, files: LiftForm(data),
        valid=lambda o: {"note": "The order ended on 1 May."},
        submit=saved(_lift, services.RetentionError),
        path=lambda o: f"/retention/holds/{active_hold(o).pk}/lift/",
        shows=lambda o: [o.world.case_a.get_absolute_url()],
        shows_text=False,  # kept in the hold's history; no page shows a lifted hold's note
    ),
    Target(
        "retention/cases/<int:case_pk>/delete/",
        "director",
        bind=lambda o, data, files: DeletionForm(data),
        valid=lambda o: {"why": DeletionRequest.Why.MISTAKE, "reason": "Entered twice."},
        submit=saved(
            lambda o, form: services.request_deletion(o.closed.case, by=o.world.director, **form.cleaned_data),
            services.RetentionError,
        ),
        path=lambda o: f"/retention/cases/{o.closed.case_id}/delete/",
        shows=lambda o: ["/retention/deletions/"],
    ),
]

BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


def assert_retention_consistent() -> None:
    """What the services must have kept true, whatever was sent."""
    for policy in RetentionPolicy.objects.all():
        services.check_policy(policy.snapshot())
    assert not Hold.objects.filter(reason__regex=r"^\s*$").exists()
    assert not Hold.objects.filter(lifted_at__isnull=False, lift_note__regex=r"^\s*$").exists()
    assert not DeletionRequest.objects.filter(reason__regex=r"^\s*$").exists()
    assert set(DeletionRequest.objects.values_list("why", flat=True)) <= set(DeletionRequest.Why.values)
    assert not DeletionRequest.objects.exclude(status=DeletionRequest.Status.WAITING).exists()
    assert not Tombstone.objects.exists()


def test_every_target_is_a_route_of_the_access_matrix():
    assert [target.route for target in TARGETS if target.route not in MATRIX] == []


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    assert outcome.sent > 0
    assert outcome.refused  # each form refuses something
    assert_retention_consistent()
    every_row_has_history()


@BY_ROUTE
def test_hostile_requests_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_retention_consistent()
    every_row_has_history()
