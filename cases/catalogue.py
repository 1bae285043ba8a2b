"""The service catalogue Bloom starts with: the funders' codes and the program's services.

This is seed data, loaded once by a migration; afterwards the program director edits the
catalogue in Bloom, and funders' new codes are followed there, without a release. Code
names a service only by its ``key`` (the constants below), which never changes.

The victim-services codes are the federal victim-services funder's service categories and
sub-services (A-E); the HHS codes are the categories of assistance HHS's trafficking grants
count. Names are the program's own words; the funders' names are on the codes.
"""

from django.utils import timezone

# Keys that Bloom's own rules use to derive service events from other records.
REFERRAL_VICTIM_SERVICES = "referral-victim-services"
REFERRAL_OTHER_SERVICES = "referral-other-services"
EMERGENCY_SHELTER = "emergency-shelter"
TRANSITIONAL_HOUSING = "transitional-housing"
EMERGENCY_FINANCIAL = "emergency-financial-assistance"
BASIC_NECESSITIES = "basic-necessities"
CRISIS_SAFETY_PLANNING = "crisis-intervention"
INTERPRETER = "interpreter-services"

VICTIM_SERVICES = "victim services"
HHS = "hhs"

_A = "A. Information and referral"
_B = "B. Personal advocacy and accompaniment"
_C = "C. Emotional support or safety services"
_D = "D. Shelter and housing services"
_E = "E. Criminal and civil justice system assistance"

# (code, the funder's name, category)
VICTIM_SERVICES_CODES = [
    ("A1", "Information about the criminal justice process", _A),
    ("A2", "Information about victim rights, how to obtain notifications, and similar", _A),
    ("A3", "Referral to other victim service programs", _A),
    ("A4", "Referral to other services, supports and resources", _A),
    ("B1", "Victim advocacy or accompaniment to emergency medical care", _B),
    ("B2", "Victim advocacy or accompaniment to a medical forensic exam", _B),
    ("B3", "Law enforcement interview advocacy or accompaniment", _B),
    ("B4", "Individual advocacy (public benefits, return of personal property and similar)", _B),
    ("B5", "Performance of a medical or nonmedical forensic exam or interview", _B),
    ("B6", "Immigration assistance (special visas, Continued Presence and other relief)", _B),
    ("B7", "Intervention with an employer, creditor, landlord or academic institution", _B),
    ("B8", "Child or dependent care assistance", _B),
    ("B9", "Transportation assistance", _B),
    ("B10", "Interpreter services", _B),
    ("C1", "Crisis intervention (in person, includes safety planning)", _C),
    ("C2", "Hotline or crisis line counseling", _C),
    ("C3", "On-scene crisis response", _C),
    ("C4", "Individual counseling", _C),
    ("C5", "Support groups (facilitated or peer)", _C),
    ("C6", "Other therapy (traditional, cultural or alternative healing; art, writing or play therapy)", _C),
    ("C7", "Emergency financial assistance", _C),
    ("D1", "Emergency shelter or safe house", _D),
    ("D2", "Transitional housing", _D),
    ("D3", "Relocation assistance (includes help obtaining housing)", _D),
    ("E1", "Notification of criminal justice events", _E),
    ("E2", "Victim impact statement assistance", _E),
    ("E3", "Assistance with restitution", _E),
    ("E4", "Civil legal assistance in obtaining a protection or restraining order", _E),
    ("E5", "Civil legal assistance with family law issues", _E),
    ("E6", "Other emergency justice-related assistance", _E),
    ("E7", "Immigration legal assistance", _E),
    ("E8", "Prosecution interview advocacy or accompaniment", _E),
    ("E9", "Law enforcement interview advocacy or accompaniment (justice system)", _E),
    ("E10", "Criminal advocacy or accompaniment", _E),
    ("E11", "Other legal advice or counsel", _E),
]

# (code, the funder's name)
HHS_CODES = [
    ("basic-necessities", "Basic necessities (food, clothing, hygiene)"),
    ("case-management", "Case management"),
    ("childcare", "Childcare"),
    ("crisis-intervention", "Crisis intervention"),
    ("dental", "Dental care"),
    ("education", "Education"),
    ("employment", "Employment assistance"),
    ("family-reunification", "Family reunification"),
    ("financial", "Financial assistance"),
    ("health-care", "Health care"),
    ("housing", "Housing or shelter"),
    ("interpretation", "Interpretation or translation"),
    ("legal", "Legal services"),
    ("life-skills", "Life skills"),
    ("mental-health", "Mental health"),
    ("substance-use", "Substance use treatment"),
    ("transportation", "Transportation"),
    ("other", "Other"),
]

# (key, the program's name, group, usual, victim-services code, HHS code)
SERVICES = [
    ("justice-process-information", "Information about the justice process", "information", False, "A1", "legal"),
    ("rights-information", "Information about rights and notifications", "information", False, "A2", "legal"),
    (
        REFERRAL_VICTIM_SERVICES,
        "Referral to another victim service program",
        "information",
        False,
        "A3",
        "case-management",
    ),
    (REFERRAL_OTHER_SERVICES, "Referral to other services", "information", True, "A4", "case-management"),
    ("medical-accompaniment", "Accompaniment to emergency medical care", "advocacy", False, "B1", "health-care"),
    ("forensic-exam-accompaniment", "Accompaniment to a forensic exam", "advocacy", False, "B2", "health-care"),
    ("police-interview-accompaniment", "Accompaniment to a police interview", "advocacy", False, "B3", "legal"),
    ("individual-advocacy", "Individual advocacy (benefits, belongings)", "advocacy", True, "B4", "case-management"),
    ("forensic-interview", "Forensic exam or interview", "advocacy", False, "B5", "health-care"),
    ("immigration-assistance", "Immigration assistance", "advocacy", True, "B6", "legal"),
    (
        "employer-landlord-intervention",
        "Speaking with an employer, landlord or school",
        "advocacy",
        False,
        "B7",
        "case-management",
    ),
    ("childcare", "Child or dependent care", "advocacy", False, "B8", "childcare"),
    ("transportation", "Transportation", "advocacy", True, "B9", "transportation"),
    (INTERPRETER, "Interpreter services", "advocacy", False, "B10", "interpretation"),
    (CRISIS_SAFETY_PLANNING, "Crisis intervention and safety planning", "support", True, "C1", "crisis-intervention"),
    ("crisis-line", "Crisis line counseling", "support", False, "C2", "crisis-intervention"),
    ("on-scene-crisis-response", "On-scene crisis response", "support", False, "C3", "crisis-intervention"),
    ("individual-counseling", "Individual counseling", "support", True, "C4", "mental-health"),
    ("support-group", "Support group", "support", False, "C5", "mental-health"),
    ("other-therapy", "Other therapy or healing", "support", False, "C6", "mental-health"),
    (EMERGENCY_FINANCIAL, "Emergency financial assistance", "support", False, "C7", "financial"),
    (EMERGENCY_SHELTER, "Emergency shelter or safe house", "housing", False, "D1", "housing"),
    (TRANSITIONAL_HOUSING, "Transitional housing", "housing", False, "D2", "housing"),
    ("relocation", "Relocation and help finding housing", "housing", False, "D3", "housing"),
    ("justice-event-notification", "Notice of court and justice events", "justice", False, "E1", "legal"),
    ("impact-statement", "Help with a victim impact statement", "justice", False, "E2", "legal"),
    ("restitution", "Help with restitution", "justice", False, "E3", "legal"),
    ("protection-order", "Help with a protection or restraining order", "justice", False, "E4", "legal"),
    ("family-law", "Help with family law", "justice", False, "E5", "legal"),
    ("emergency-justice", "Other emergency justice-related help", "justice", False, "E6", "legal"),
    ("immigration-legal", "Immigration legal help", "justice", False, "E7", "legal"),
    ("prosecution-accompaniment", "Accompaniment to a prosecutor's interview", "justice", False, "E8", "legal"),
    ("justice-police-accompaniment", "Advocacy with law enforcement in a case", "justice", False, "E9", "legal"),
    ("court-accompaniment", "Criminal court advocacy or accompaniment", "justice", False, "E10", "legal"),
    ("legal-advice", "Other legal advice", "justice", False, "E11", "legal"),
    (BASIC_NECESSITIES, "Food, clothing or hygiene items", "needs", True, None, "basic-necessities"),
    ("case-management", "Case management", "needs", True, None, "case-management"),
    ("dental-care", "Dental care", "needs", False, None, "dental"),
    ("education", "Education", "needs", False, None, "education"),
    ("employment", "Help finding work", "needs", False, None, "employment"),
    ("family-reunification", "Family reunification", "needs", False, None, "family-reunification"),
    ("health-care", "Health care", "needs", False, None, "health-care"),
    ("life-skills", "Life skills and budgeting", "needs", False, None, "life-skills"),
    ("substance-use", "Substance use treatment", "needs", False, None, "substance-use"),
]


def first_history(apps, model_name: str, rows, *, reason: str, kind: str = "+") -> None:
    """Give ``rows`` a history row as they are now (a migration's ``apps``: no signals run there):
    ``kind`` "+" for rows just made, "~" for rows just changed."""
    model = apps.get_model("cases", model_name)
    historical = apps.get_model("cases", f"Historical{model_name}")
    now = timezone.now()
    historical.objects.bulk_create(
        historical(
            **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
            history_date=now,
            history_type=kind,
            history_change_reason=reason,
        )
        for row in rows
    )


def seed(apps) -> None:
    """Load the catalogue into an empty database (a migration's ``apps``), with its first history."""
    FunderCode = apps.get_model("cases", "FunderCode")
    Service = apps.get_model("cases", "Service")
    codes = {}
    for order, (code, label, category) in enumerate(VICTIM_SERVICES_CODES):
        codes[VICTIM_SERVICES, code] = FunderCode.objects.create(
            scheme=VICTIM_SERVICES, code=code, label=label, category=category, order=order
        )
    for order, (code, label) in enumerate(HHS_CODES):
        codes[HHS, code] = FunderCode.objects.create(scheme=HHS, code=code, label=label, order=order)
    for order, (key, name, group, usual, vs_code, hhs_code) in enumerate(SERVICES):
        Service.objects.create(
            key=key,
            name=name,
            group=group,
            usual=usual,
            order=order,
            victim_services_code=codes[VICTIM_SERVICES, vs_code] if vs_code else None,
            hhs_code=codes[HHS, hhs_code],
        )
    first_history(apps, "FunderCode", FunderCode.objects.order_by("pk"), reason="Catalogue installed")
    first_history(apps, "Service", Service.objects.order_by("pk"), reason="Catalogue installed")
