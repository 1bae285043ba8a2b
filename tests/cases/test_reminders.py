from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bloom.notifications.models import Notification
from cases import services, tasks
from tests.factories import close_case, make_case

# Run again at awkward instants (tests/clock.py): reminders are due by days since a contact.
pytestmark = pytest.mark.clock


def quiet_case(world, days, **kwargs):
    return make_case(
        team=world.team_a,
        specialists=[world.specialist, world.colleague],
        opened_on=timezone.localdate() - timedelta(days=days),
        **kwargs,
    )


def test_reminder_task_run_twice_makes_one_notification_per_specialist(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    case = quiet_case(world, 20)

    first = tasks.send_contact_reminders()
    second = tasks.send_contact_reminders()

    rows = list(Notification.objects.order_by("recipient__full_name").values_list("recipient", "url"))
    url = reverse("cases:detail", args=[case.pk])
    assert (first, second) == (2, 0)
    assert rows == [(world.colleague.pk, url), (world.specialist.pk, url)]


def test_reminder_names_the_client_code_never_the_name(world):
    case = quiet_case(world, 30, legal_name="Secret Name")

    services.send_contact_reminders()

    message = Notification.objects.filter(recipient=world.specialist).get().text
    assert case.survivor.client_code in message
    assert "Secret" not in message


def test_no_reminder_before_the_limit_or_for_closed_cases(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    quiet_case(world, 13)
    closed = quiet_case(world, 40)
    close_case(closed, by=world.specialist, approver=world.supervisor, closed_on=timezone.localdate())

    assert services.send_contact_reminders() == 0
    # Closing asked a supervisor to approve; no one was told a contact is due.
    assert Notification.objects.filter(kind=Notification.Kind.CONTACT_OVERDUE).count() == 0


def test_the_setting_is_the_cadence_of_cases_started_after_it(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    before = quiet_case(world, 5)
    settings.BLOOM_CONTACT_REMINDER_DAYS = 5
    after = quiet_case(world, 5)

    created = services.send_contact_reminders()

    assert (before.contact_cadence_days, after.contact_cadence_days) == (14, 5)
    assert created == 2
    assert set(Notification.objects.values_list("url", flat=True)) == {after.get_absolute_url()}


def test_a_case_cadence_decides_when_it_is_overdue(world):
    case = quiet_case(world, 5)
    services.set_contact_cadence(case, by=world.specialist, days=5)

    assert services.send_contact_reminders() == 2


def test_notifications_show_in_the_header_and_open_the_case(client, world):
    case = quiet_case(world, 20)
    services.send_contact_reminders()
    client.force_login(world.specialist)

    html = client.get(reverse("home")).content.decode()
    notification = Notification.objects.get(recipient=world.specialist)
    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert case.survivor.client_code in html
    assert 'class="notif__count"' in html
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(client, world):
    quiet_case(world, 20)
    services.send_contact_reminders()
    client.force_login(world.outsider)

    notification = Notification.objects.filter(recipient=world.specialist).get()

    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read_all")).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_survivor_enrolled_again_starts_a_new_quiet_spell(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    case = quiet_case(world, 60)
    services.send_contact_reminders()
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=timezone.localdate())
    later_case = services.reenroll(
        case,
        by=world.supervisor,
        on=timezone.localdate(),
        team=world.team_a,
        specialists=[world.specialist, world.colleague],
    )

    later = timezone.localdate() + timedelta(days=15)

    url = reverse("cases:detail", args=[later_case.pk])
    services.send_contact_reminders(today=timezone.localdate())
    assert Notification.objects.filter(url=url).count() == 0
    services.send_contact_reminders(today=later)
    assert Notification.objects.filter(url=url).count() == 2
