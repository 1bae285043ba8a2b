"""The default pre/post survey: the state's "Awareness of Sex Trafficking" survey's three constructs.

Knowledge (12 items, 1 to 5), Beliefs (4 items, 1 to 10, where lower is better) and Comfort
(6 items, 1 to 10), with the words printed at points of each scale. A data migration creates
it as version 1; a change to the wording afterwards is a new version made in the app
(``training.services.revise``), never an edit of this list.
"""

from django.utils.translation import gettext_noop as _

DEFAULT_NAME = "Awareness of Sex Trafficking"

KNOWLEDGE = {
    "code": "knowledge",
    "title": _("Knowledge"),
    "question": _("What is your level of knowledge about the items below?"),
    "scale_min": 1,
    "scale_max": 5,
    "lower_is_better": False,
    "anchors": [
        [1, _("No knowledge")],
        [2, _("A little knowledge")],
        [3, _("Knowledgeable")],
        [4, _("Significant/advanced knowledge")],
        [5, _("Complete knowledge/expert")],
    ],
    "items": [
        _("The federal and state definitions of sex trafficking"),
        _("The difference between sex trafficking and other sexual exploitation of children"),
        _("Risk factors that make a youth vulnerable to trafficking"),
        _("Warning signs that a youth is being trafficked"),
        _("How traffickers recruit and control youth"),
        _("The terms used in the commercial sex trade"),
        _("How trauma affects the way a survivor behaves and engages"),
        _("The laws that protect minors who are trafficked"),
        _("My agency's process for identifying sex trafficked youth"),
        _("My agency's referral process"),
        _("Services available in my community to treat sex trafficked youth"),
        _("How to report suspected trafficking"),
    ],
}

BELIEFS = {
    "code": "beliefs",
    "title": _("Beliefs"),
    "question": _("What are your beliefs about the items below?"),
    "scale_min": 1,
    "scale_max": 10,
    "lower_is_better": True,
    "anchors": [
        [1, _("Completely false")],
        [2, _("Very false")],
        [3, _("False")],
        [5, _("Depends on the situation")],
        [8, _("True")],
        [10, _("Completely true")],
    ],
    "items": [
        _("Prostitution is a victimless crime even when minors participate"),
        _("Minors choose to engage in prostitution for money"),
        _("A youth who goes back to a trafficker wants to be there"),
        _("A youth who is not held by force is not a victim of trafficking"),
    ],
}

COMFORT = {
    "code": "comfort",
    "title": _("Comfort"),
    "question": _(
        "With your current level of experience, how comfortable do you feel about your ability to do the following?"
    ),
    "scale_min": 1,
    "scale_max": 10,
    "lower_is_better": False,
    "anchors": [
        [1, _("Not at all comfortable")],
        [3, _("Uncomfortable")],
        [4, _("A little uncomfortable")],
        [5, _("Comfortable")],
        [7, _("Very comfortable")],
        [10, _("Completely comfortable")],
    ],
    "items": [
        _(
            "Have a conversation with a youth to identify if s/he is currently being sexually exploited, "
            "or is at risk of sexual exploitation"
        ),
        _("Directly ask a youth if s/he is trading sex for money, survival needs, or other items of value"),
        _("Respond when a youth discloses that s/he is being exploited"),
        _("Refer a youth to services for survivors of trafficking"),
        _("Work with other agencies on a case of suspected trafficking"),
        _("Explain to colleagues the signs of trafficking"),
    ],
}

DEFAULT_CONSTRUCTS = [KNOWLEDGE, BELIEFS, COMFORT]


def create_default(SurveyInstrument, Construct, Item, *, by=None):
    """Create version 1 of the default survey (models passed in, so a migration can use it)."""
    instrument = SurveyInstrument.objects.create(name=DEFAULT_NAME, version=1, is_default=True, created_by=by)
    for position, spec in enumerate(DEFAULT_CONSTRUCTS, start=1):
        construct = Construct.objects.create(
            instrument=instrument,
            position=position,
            **{key: spec[key] for key in ("code", "title", "question", "scale_min", "scale_max", "lower_is_better")},
            anchors=spec["anchors"],
        )
        Item.objects.bulk_create(
            Item(construct=construct, position=n, text=text) for n, text in enumerate(spec["items"], start=1)
        )
    return instrument
