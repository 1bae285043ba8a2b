"""A Spanish-speaking specialist works in Spanish: pages, notifications and the case's history.

Each page's visible text is read for any piece of the catalogue's English (the same check as the
printouts'), so a message left untranslated, or a text Bloom stored in the writer's language,
fails here. Bloom sends no email: its notifications are read in Bloom, in the reader's language.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bloom.accounts.services import choose_language
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify
from cases.services.closure import request_closure, withdraw_closure
from tests.printouts import english_left_in, make_safety_plan


class _VisibleText(HTMLParser):
    """The words a reader sees: text outside script and style, and the labels of controls."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.words, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        for name in ("aria-label", "title", "placeholder", "alt"):
            if attributes.get(name):
                self.words.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.words)


def es(message: str) -> str:
    with translation.override("es"):
        return gettext(message)


@pytest.fixture
def spanish_specialist(world):
    choose_language(world.specialist, language="es", by=world.specialist)
    world.specialist.refresh_from_db()
    return world.specialist


def test_every_main_page_is_in_spanish(client, world, spanish_specialist):
    case = world.case_a
    # A person's own words are never checked: the staff note, which begins like a label, is in Spanish here.
    make_safety_plan(case, by=spanish_specialist, staff_note="Lo vieron cerca del refugio dos veces")
    client.force_login(spanish_specialist)
    pages = [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:contact_new", args=[case.pk]),
        reverse("cases:contacts", args=[case.pk]),
        reverse("cases:safety_plan", args=[case.pk]),
        reverse("cases:history", args=[case.pk]),
        reverse("notifications:list"),
        reverse("accounts:profile"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="es"' in html, url
        assert english_left_in(visible_text(html)) == [], url


def test_notifications_read_in_spanish_and_in_english_for_an_english_reader(client, world, spanish_specialist):
    case = world.case_a
    for person in (spanish_specialist, world.colleague):
        notify(
            [
                Notice(
                    recipient_id=person.pk,
                    kind=Notification.Kind.RELEASE_EXPIRING,
                    data={"code": case.survivor.client_code, "until": "2027-01-15"},
                    url=case.get_absolute_url(),
                    dedupe_key=f"release:{person.pk}",
                )
            ]
        )
    client.force_login(spanish_specialist)
    spanish = visible_text(client.get(reverse("notifications:list")).content.decode())
    client.force_login(world.colleague)
    english = visible_text(client.get(reverse("notifications:list")).content.decode())

    code = case.survivor.client_code
    with translation.override("es"):
        assert (gettext("A release of information for %(code)s expires on %(until)s.") % {"code": code, "until": ""})[
            :30
        ] in " ".join(spanish.split())
    assert f"A release of information for {code} expires on" in " ".join(english.split())


def test_a_closure_withdrawn_in_english_reads_in_spanish(client, world):
    """What Bloom wrote when the closure was withdrawn is stored as a code, and read in the reader's language."""
    case = world.case_a
    closure = request_closure(
        case,
        by=world.specialist,
        reason="goals met",
        closed_on=case.opened_on,
        living_situation="own home",
        immigration_relief="neither",
        hhs_certification="not applicable",
    )
    withdraw_closure(closure, by=world.specialist)
    choose_language(world.specialist, language="es", by=world.specialist)

    client.force_login(world.specialist)
    page = " ".join(visible_text(client.get(reverse("cases:detail", args=[case.pk])).content.decode()).split())
    assert "Withdrawn." not in page
    assert english_left_in(page) == []
