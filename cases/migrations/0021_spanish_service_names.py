"""The names of the service catalogue 0013 installed, in Spanish (``bloom.translated``).

A service is translated only while it keeps the name 0013 gave it: a name the director changed
is theirs, and is left for them to translate on the catalogue's page. A service that already
has a Spanish name keeps it. Each service translated gets a history row.
"""

from django.db import migrations

from cases.catalogue import first_history

# key -> (the name 0013 gave it, in Spanish)
SPANISH = {
    "justice-process-information": ("Information about the justice process", "Información sobre el proceso judicial"),
    "rights-information": (
        "Information about rights and notifications",
        "Información sobre derechos y notificaciones",
    ),
    "referral-victim-services": (
        "Referral to another victim service program",
        "Referido a otro programa de servicios para víctimas",
    ),
    "referral-other-services": ("Referral to other services", "Referido a otros servicios"),
    "medical-accompaniment": (
        "Accompaniment to emergency medical care",
        "Acompañamiento a atención médica de emergencia",
    ),
    "forensic-exam-accompaniment": ("Accompaniment to a forensic exam", "Acompañamiento a un examen forense"),
    "police-interview-accompaniment": (
        "Accompaniment to a police interview",
        "Acompañamiento a una entrevista con la policía",
    ),
    "individual-advocacy": (
        "Individual advocacy (benefits, belongings)",
        "Defensoría individual (beneficios, pertenencias)",
    ),
    "forensic-interview": ("Forensic exam or interview", "Examen o entrevista forense"),
    "immigration-assistance": ("Immigration assistance", "Ayuda con inmigración"),
    "employer-landlord-intervention": (
        "Speaking with an employer, landlord or school",
        "Hablar con un empleador, arrendador o escuela",
    ),
    "childcare": ("Child or dependent care", "Cuidado de niños o dependientes"),
    "transportation": ("Transportation", "Transporte"),
    "interpreter-services": ("Interpreter services", "Servicios de intérprete"),
    "crisis-intervention": (
        "Crisis intervention and safety planning",
        "Intervención en crisis y plan de seguridad",
    ),
    "crisis-line": ("Crisis line counseling", "Consejería por línea de crisis"),
    "on-scene-crisis-response": ("On-scene crisis response", "Respuesta a la crisis en el lugar"),
    "individual-counseling": ("Individual counseling", "Consejería individual"),
    "support-group": ("Support group", "Grupo de apoyo"),
    "other-therapy": ("Other therapy or healing", "Otra terapia o sanación"),
    "emergency-financial-assistance": ("Emergency financial assistance", "Asistencia económica de emergencia"),
    "emergency-shelter": ("Emergency shelter or safe house", "Refugio de emergencia o casa segura"),
    "transitional-housing": ("Transitional housing", "Vivienda de transición"),
    "relocation": ("Relocation and help finding housing", "Reubicación y ayuda para encontrar vivienda"),
    "justice-event-notification": (
        "Notice of court and justice events",
        "Aviso de audiencias y trámites judiciales",
    ),
    "impact-statement": (
        "Help with a victim impact statement",
        "Ayuda con una declaración de impacto de la víctima",
    ),
    "restitution": ("Help with restitution", "Ayuda con la restitución"),
    "protection-order": (
        "Help with a protection or restraining order",
        "Ayuda con una orden de protección o de alejamiento",
    ),
    "family-law": ("Help with family law", "Ayuda con derecho de familia"),
    "emergency-justice": ("Other emergency justice-related help", "Otra ayuda judicial de emergencia"),
    "immigration-legal": ("Immigration legal help", "Ayuda legal de inmigración"),
    "prosecution-accompaniment": (
        "Accompaniment to a prosecutor's interview",
        "Acompañamiento a una entrevista con la fiscalía",
    ),
    "justice-police-accompaniment": (
        "Advocacy with law enforcement in a case",
        "Defensoría ante la policía en un caso",
    ),
    "court-accompaniment": (
        "Criminal court advocacy or accompaniment",
        "Defensoría o acompañamiento en el tribunal penal",
    ),
    "legal-advice": ("Other legal advice", "Otra asesoría legal"),
    "basic-necessities": ("Food, clothing or hygiene items", "Comida, ropa o artículos de higiene"),
    "case-management": ("Case management", "Manejo de caso"),
    "dental-care": ("Dental care", "Atención dental"),
    "education": ("Education", "Educación"),
    "employment": ("Help finding work", "Ayuda para encontrar trabajo"),
    "family-reunification": ("Family reunification", "Reunificación familiar"),
    "health-care": ("Health care", "Atención médica"),
    "life-skills": ("Life skills and budgeting", "Habilidades para la vida y presupuesto"),
    "substance-use": ("Substance use treatment", "Tratamiento por consumo de sustancias"),
}


def translate(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    changed = []
    for service in Service.objects.filter(key__in=SPANISH).order_by("pk"):
        english, spanish = SPANISH[service.key]
        if service.name == english and not (service.translations or {}).get("es"):
            service.translations = {**(service.translations or {}), "es": {"name": spanish}}
            service.save(update_fields=["translations"])
            changed.append(service)
    first_history(apps, "Service", changed, reason="catalogue.spanish_installed", kind="~")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_service_translations"),
    ]

    operations = [
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
