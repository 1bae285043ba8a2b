"""Nothing is purged before the director sets a policy, and the daily run gives 30 days' notice
after a policy is set or shortened; running by hand takes what the preview shows at once."""

from datetime import date, timedelta

from bloom.audit.models import PurgeLogEntry
from bloom.notifications.models import Notification
from retention import schedule
from retention.models import RetentionPolicy, Tombstone
from tests.retention.test_schedule import NARRATIVES_DUE, ended_case, policy

SCHEDULE, BY_HAND = PurgeLogEntry.Trigger.SCHEDULE, PurgeLogEntry.Trigger.BY_HAND


def first_set(world, on: date) -> RetentionPolicy:
    """The director sets the policy for the first time on ``on`` (none was in force before)."""
    RetentionPolicy.objects.all().delete()
    return policy(world, since=on)


def test_nothing_is_purged_or_due_before_a_policy_is_set(world):
    RetentionPolicy.objects.all().delete()
    case = ended_case(world)

    assert schedule.due(today=NARRATIVES_DUE) == []
    assert schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director) is None
    assert not Tombstone.objects.filter(case=case).exists()
    assert schedule.preview(world.director, today=NARRATIVES_DUE).policy_set is False


def test_the_daily_run_waits_30_days_after_the_policy_is_set_and_tells_people_first(world):
    set_on = NARRATIVES_DUE + timedelta(days=100)  # long after the case's narratives fell due
    case = ended_case(world)
    first_set(world, set_on)

    assert schedule.send_purge_notices(today=set_on) == 2  # the specialist and the supervisor
    notice = Notification.objects.filter(kind=Notification.Kind.PURGE_COMING).first()
    assert notice.data["until"] == (set_on + timedelta(days=30)).isoformat()
    assert schedule.run(today=set_on + timedelta(days=29), trigger=SCHEDULE) is None
    entry = schedule.run(today=set_on + timedelta(days=30), trigger=SCHEDULE)
    assert case.pk in entry.cases["narratives"]


def test_the_director_running_it_by_hand_takes_what_is_due_at_once(world):
    set_on = NARRATIVES_DUE + timedelta(days=100)
    case = ended_case(world)
    first_set(world, set_on)

    entry = schedule.run(today=set_on, trigger=BY_HAND, by=world.director)

    assert case.pk in entry.cases["narratives"]
    assert Tombstone.objects.get(case=case).narratives_purged_on == set_on


def test_setting_the_same_numbers_again_keeps_the_day_it_was_set(world):
    first = first_set(world, date(2024, 1, 1))
    again = policy(world, since=date(2024, 6, 1))

    assert (first.set_on, again.set_on) == (date(2024, 1, 1), date(2024, 1, 1))
