"""The default phase templates of 0002 in Spanish, beside their English (``bloom.translated``).

Only what still reads as 0002 wrote it is translated: a name, purpose or checklist the director
has changed is theirs, and is left for them to translate on the template's page. A row that
already has a Spanish version keeps it. Each row translated gets a history row.
"""

from django.db import migrations
from django.utils import timezone

READY = "La persona sobreviviente dice que está lista para pasar a la siguiente fase."
WHO_TO_CALL = "La persona sobreviviente sabe a quién llamar cuando termine el programa."
INCOME = "Los ingresos o beneficios ya están disponibles o en trámite."

# English, as 0002 wrote it -> Spanish.
TEMPLATES = {
    "Strengthen, Heal, Revitalize": {
        "name": "Fortalecer, Sanar, Revitalizar",
        "description": "El plan del caso del programa, en tres fases, pensado para durar al menos un año.",
        "english_description": "The program's three-phase case plan, designed to take at least a year.",
    },
    "Crisis, stabilization, sustainability": {
        "name": "Crisis, estabilización, sostenibilidad",
        "description": "Para programas que organizan sus fases en respuesta a la crisis, estabilización y sostenibilidad.",
        "english_description": "For programs that phase by crisis response, stabilization and sustainability.",
    },
}

PHASES = {
    "Strengthen": {
        "name": "Fortalecer",
        "purpose": ("Stabilize housing and income.", "Estabilizar la vivienda y los ingresos."),
        "checklist": [
            (
                "Housing is settled for now (emergency, transitional or long-term).",
                "La vivienda está resuelta por ahora (de emergencia, de transición o a largo plazo).",
            ),
            ("Income or benefits are in place, or on the way.", INCOME),
            ("A monthly budget has been worked through together.", "Se preparó un presupuesto mensual en conjunto."),
            ("The safety plan was reviewed during this phase.", "El plan de seguridad se revisó durante esta fase."),
            ("The survivor says they are ready to move on.", READY),
        ],
    },
    "Heal": {
        "name": "Sanar",
        "purpose": (
            "Spiritual and therapeutic recovery: mental, behavioral or trauma therapy, joined with the survivor's "
            "own religious or spiritual beliefs where the survivor wants it.",
            "Recuperación espiritual y terapéutica: terapia de salud mental, conductual o de trauma, unida a las "
            "propias creencias religiosas o espirituales de la persona sobreviviente, si así lo desea.",
        ),
        "checklist": [
            (
                "Therapy or counseling was offered, and taken up if the survivor wanted it.",
                "Se ofreció terapia o consejería, y se inició si la persona sobreviviente lo deseaba.",
            ),
            (
                "Spiritual support was offered as the survivor wished.",
                "Se ofreció apoyo espiritual según los deseos de la persona sobreviviente.",
            ),
            ("Health needs are being looked after.", "Se están atendiendo las necesidades de salud."),
            (
                "Healthy relationships and safe work have been talked through.",
                "Se conversó sobre las relaciones sanas y el trabajo seguro.",
            ),
            ("The survivor says they are ready to move on.", READY),
        ],
    },
    "Revitalize": {
        "name": "Revitalizar",
        "purpose": (
            "Reintegration into the community: community events, AA/NA meetings, local sports and the like.",
            "Reintegración a la comunidad: eventos comunitarios, reuniones de AA/NA, deportes locales y "
            "actividades parecidas.",
        ),
        "checklist": [
            (
                "The survivor takes part in community activities they chose.",
                "La persona sobreviviente participa en actividades comunitarias que eligió.",
            ),
            ("The survivor knows who to call once the program ends.", WHO_TO_CALL),
            ("Continued care has been talked through.", "Se conversó sobre la atención continua."),
        ],
    },
    "Crisis": {
        "name": "Crisis",
        "purpose": (
            "Immediate safety, shelter, food, clothing and medical care.",
            "Seguridad inmediata, refugio, comida, ropa y atención médica.",
        ),
        "checklist": [
            (
                "The survivor is somewhere safe tonight.",
                "La persona sobreviviente tiene un lugar seguro donde pasar esta noche.",
            ),
            ("A safety plan has been made together.", "Se hizo un plan de seguridad en conjunto."),
            ("Urgent medical needs have been met.", "Se atendieron las necesidades médicas urgentes."),
        ],
    },
    "Stabilization": {
        "name": "Estabilización",
        "purpose": (
            "Steady housing, income, health care and legal help.",
            "Vivienda estable, ingresos, atención médica y ayuda legal.",
        ),
        "checklist": [
            ("Housing is settled for now.", "La vivienda está resuelta por ahora."),
            ("Income or benefits are in place, or on the way.", INCOME),
            (
                "Legal and immigration needs have been looked at with the survivor.",
                "Se revisaron con la persona sobreviviente sus necesidades legales y migratorias.",
            ),
            ("The survivor says they are ready to move on.", READY),
        ],
    },
    "Sustainability": {
        "name": "Sostenibilidad",
        "purpose": (
            "Independence: long-term housing, work or school, and community ties.",
            "Independencia: vivienda a largo plazo, trabajo o estudios, y lazos con la comunidad.",
        ),
        "checklist": [
            (
                "Long-term housing is in place or planned.",
                "La vivienda a largo plazo ya está asegurada o planificada.",
            ),
            ("The survivor knows who to call once the program ends.", WHO_TO_CALL),
        ],
    },
}

# Stored as a code (``bloom.said``), put into words in the reader's language.
REASON = "template.spanish_installed"


def spanish_template(template) -> dict:
    spec = TEMPLATES.get(template.name)
    if spec is None:
        return {}
    words = {"name": spec["name"]}
    if template.description == spec["english_description"]:
        words["description"] = spec["description"]
    return words


def spanish_phase(phase) -> dict:
    spec = PHASES.get(phase.name)
    if spec is None:
        return {}
    words = {"name": spec["name"]}
    english_purpose, purpose = spec["purpose"]
    if phase.purpose == english_purpose:
        words["purpose"] = purpose
    if list(phase.checklist) == [english for english, _spanish in spec["checklist"]]:
        words["checklist"] = [spanish for _english, spanish in spec["checklist"]]
    return words


def translate(apps, schema_editor):
    for name, spanish in (("PhaseTemplate", spanish_template), ("Phase", spanish_phase)):
        model = apps.get_model("phases", name)
        historical = apps.get_model("phases", f"Historical{name}")
        changed = []
        for row in model.objects.order_by("pk"):
            words = spanish(row)
            if words and not (row.translations or {}).get("es"):
                row.translations = {**(row.translations or {}), "es": words}
                row.save(update_fields=["translations"])
                changed.append(row)
        now = timezone.now()
        historical.objects.bulk_create(
            historical(
                **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
            for row in changed
        )


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0005_translations"),
    ]

    operations = [
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
