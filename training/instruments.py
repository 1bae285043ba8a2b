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

# The same survey in Spanish, one instrument with the English: answers in either language are
# answers to the same items, pooled in one evaluation. The words of each construct in the order
# of the English above (the anchors' words one per point). Written beside the English by a data
# migration (training 0007), never in place of it.
SPANISH = {
    "knowledge": {
        "title": "Conocimientos",
        "question": "¿Cuál es su nivel de conocimiento sobre los siguientes temas?",
        "anchors": [
            "Ningún conocimiento",
            "Poco conocimiento",
            "Conocimiento adecuado",
            "Conocimiento significativo/avanzado",
            "Conocimiento completo/experto",
        ],
        "items": [
            "Las definiciones federales y estatales de la trata con fines de explotación sexual",
            "La diferencia entre la trata con fines de explotación sexual y otras formas de explotación sexual "
            "de menores",
            "Los factores de riesgo que hacen que una persona joven sea vulnerable a la trata",
            "Las señales de alerta de que una persona joven es víctima de trata",
            "Cómo los tratantes reclutan y controlan a las personas jóvenes",
            "Los términos que se usan en el comercio sexual",
            "Cómo el trauma afecta la manera en que una persona sobreviviente se comporta y se relaciona",
            "Las leyes que protegen a los menores de edad víctimas de trata",
            "El proceso de mi agencia para identificar a jóvenes víctimas de trata con fines de explotación sexual",
            "El proceso de referido de mi agencia",
            "Los servicios disponibles en mi comunidad para atender a jóvenes víctimas de trata con fines de "
            "explotación sexual",
            "Cómo reportar una sospecha de trata",
        ],
    },
    "beliefs": {
        "title": "Creencias",
        "question": "¿Qué cree usted sobre las siguientes afirmaciones?",
        "anchors": [
            "Completamente falso",
            "Muy falso",
            "Falso",
            "Depende de la situación",
            "Verdadero",
            "Completamente verdadero",
        ],
        "items": [
            "La prostitución es un delito sin víctimas, incluso cuando participan menores de edad",
            "Los menores de edad deciden ejercer la prostitución por dinero",
            "Una persona joven que regresa con un tratante quiere estar ahí",
            "Una persona joven que no está retenida por la fuerza no es víctima de trata",
        ],
    },
    "comfort": {
        "title": "Comodidad",
        "question": (
            "Con su nivel actual de experiencia, ¿qué tan cómodo/a se siente con su capacidad para hacer lo siguiente?"
        ),
        "anchors": [
            "Nada cómodo/a",
            "Incómodo/a",
            "Un poco incómodo/a",
            "Cómodo/a",
            "Muy cómodo/a",
            "Totalmente cómodo/a",
        ],
        "items": [
            "Conversar con una persona joven para identificar si actualmente está siendo explotada sexualmente o "
            "si está en riesgo de explotación sexual",
            "Preguntarle directamente a una persona joven si está intercambiando sexo por dinero, por necesidades "
            "de supervivencia o por otras cosas de valor",
            "Responder cuando una persona joven revela que está siendo explotada",
            "Referir a una persona joven a servicios para sobrevivientes de trata",
            "Trabajar con otras agencias en un caso de sospecha de trata",
            "Explicar a colegas las señales de la trata",
        ],
    },
}


def spanish_words(construct) -> dict:
    """The Spanish of the default survey for ``construct`` (a row, current or historical), for
    whatever still reads as the default's English; {} for a construct of another survey."""
    spec = next((spec for spec in DEFAULT_CONSTRUCTS if spec["code"] == construct.code), None)
    if spec is None:
        return {}
    spanish = SPANISH[spec["code"]]
    words = {}
    for name in ("title", "question"):
        if getattr(construct, name) == spec[name]:
            words[name] = spanish[name]
    if [list(anchor) for anchor in construct.anchors] == [list(anchor) for anchor in spec["anchors"]]:
        words["anchors"] = list(spanish["anchors"])
    return words


def spanish_item(construct_code: str, text: str) -> str:
    """The Spanish of a default item, by its construct and English text; "" for another item."""
    spec = next((spec for spec in DEFAULT_CONSTRUCTS if spec["code"] == construct_code), None)
    if spec is None or text not in spec["items"]:
        return ""
    return SPANISH[construct_code]["items"][spec["items"].index(text)]


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
