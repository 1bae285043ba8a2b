"""Pick-lists shared by several apps: screening, safety plans and outreach use the same words.

They live in the platform so that ``outreach`` and ``training`` can use them without
importing ``cases``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueType(models.TextChoices):
    """Where exploitation happens, as seen in Connecticut (sex and labor venues)."""

    INTERNET = "internet", _("Internet-based")
    HOTEL = "hotel", _("Hotel or motel")
    ESCORT = "escort", _("Escort or delivery service")
    MASSAGE = "massage", _("Illicit massage or spa")
    RESIDENCE = "residence", _("Residence-based")
    STREET = "street", _("Street-based")
    PEDDLING = "peddling", _("Peddling ring")
    SALES_CREW = "sales crew", _("Traveling sales crew")
    BEGGING = "begging", _("Begging ring")
    DOMESTIC_WORK = "domestic work", _("Domestic work")
    RESTAURANT = "restaurant", _("Restaurant or food service")
    AGRICULTURE = "agriculture", _("Agriculture")
    CONSTRUCTION = "construction", _("Construction")
    OTHER = "other", _("Other")


class ControlMethod(models.TextChoices):
    """Methods of control, from the IOM Human Trafficking Case Data Standard."""

    DEBT_BONDAGE = "debt bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes earnings", _("Takes earnings")
    RESTRICTS_FINANCES = "restricts finances", _("Restricts financial access")
    THREATS = "threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "psychological abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual abuse", _("Sexual abuse")
    FALSE_PROMISES = "false promises", _("False promises")
    SUBSTANCES = "substances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "restricts movement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "restricts medical care", _("Restricts medical care")
    EXCESSIVE_HOURS = "excessive hours", _("Excessive working hours")
    USES_CHILDREN = "uses children", _("Uses children")
    THREAT_OF_LAW_ENFORCEMENT = "threat of law enforcement", _("Threat of law enforcement")
    WITHHOLDS_NECESSITIES = "withholds necessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "withholds documents", _("Withholds documents")
    OTHER = "other", _("Other")


class HelpNeed(models.TextChoices):
    """What a person met in outreach asked for help with, in words they would use."""

    SAFE_PLACE = "safe place", _("A safe place to stay")
    FOOD = "food", _("Food or basic needs")
    MEDICAL = "medical", _("Medical care")
    LEGAL = "legal", _("Legal or immigration help")
    LEAVING = "leaving", _("Help leaving a situation")
    TALK = "talk", _("Someone to talk to")
    OTHER = "other", _("Something else")
