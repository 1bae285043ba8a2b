from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bloom.notifications.models import Notification
from cases import services, tasks
from tests.factories import make_case, set_status


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
    set_status(closed, by=world.specialist, status="closed", closed_on=timezone.localdate())

    assert services.send_contact_reminders() == 0
    assert Notification.objects.count() == 0


def test_reminder_setting_is_read_at_run_time(world, settings):
    quiet_case(world, 5)
    settings.BLOOM_CONTACT_REMINDER_DAYS = 5

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


def test_a_reopened_case_starts_a_new_quiet_spell(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    case = quiet_case(world, 60)
    services.send_contact_reminders()
    set_status(case, by=world.specialist, status="closed", closed_on=timezone.localdate())
    set_status(case, by=world.specialist, status="open", closed_on=None)
    case.refresh_from_db()

    later = timezone.localdate() + timedelta(days=15)

    url = reverse("cases:detail", args=[case.pk])
    assert (case.status, case.reopened_on) == ("reopened", timezone.localdate())
    services.send_contact_reminders(today=timezone.localdate())
    assert Notification.objects.filter(url=url).count() == 2
    services.send_contact_reminders(today=later)
    assert Notification.objects.filter(url=url).count() == 4
