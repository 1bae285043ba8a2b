"""The funder and program reports: what each one counts, as tables of ``figures.Report``.

The counts come from ``cases.tallies`` (the aggregate-only selector over every case,
restricted ones included), and from outreach and training for their own activity. This
module only arranges counts into labelled tables: it never sees a row about a survivor.
How each count is made is written in docs/REPORTING.md.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bloom.reports.figures import Period, Report, Row, Table, fiscal_year_start, half_year_of, quarter_of
from cases import tallies
from cases.amp import Determination
from cases.models import (
    ClosureReason,
    FamilyMember,
    FunderScheme,
    Gender,
    HHSCertification,
    ImmigrationRelief,
    LivingSituation,
    NotEnrolledReason,
    Race,
    ReferralSource,
    Survivor,
)

VICTIM_SERVICES = "victim-services-quarterly"
TRAFFICKING_PROGRAM = "trafficking-semiannual"
HHS = "hhs-quarterly"
STATE = "state-tables"

PEOPLE = (("people", gettext_lazy("People")),)
PEOPLE_AND_TIMES = (("people", gettext_lazy("People")), ("times", gettext_lazy("Times given")))
CASES = (("cases", gettext_lazy("Cases")),)


@dataclass(frozen=True)
class Definition:
    kind: str
    title: object
    cadence: str  # "quarter", "half" or "year": the period the funder asks for
    # Funder reports are exact; tables for the public suppress small cells.
    exact: bool
    build: Callable[[Period, object], Report]
    # Whether the report counts within one federal fiscal year ("new" is new in that year).
    one_fiscal_year: bool = False


def _table(key, title, counts: Counter, choices, *, columns=PEOPLE, suppress=False, note="") -> Table:
    """One column of counts, a row per choice (key, label) in order, zero rows kept."""
    rows = tuple(Row(str(value), str(label), (counts.get(value, 0),)) for value, label in choices)
    return Table(key, str(title), tuple((k, str(v)) for k, v in columns), rows, suppress_small=suppress, note=note)


def _services_table(key, title, services: dict, codes) -> Table:
    rows = tuple(
        Row(code, f"{code} {label}" if code != label else label, services.get(code, (0, 0))) for code, label in codes
    )
    return Table(key, str(title), tuple((k, str(v)) for k, v in PEOPLE_AND_TIMES), rows)


NOT_REPORTED = (tallies.NOT_REPORTED, gettext_lazy("Not reported"))
VS_RACES = (
    (Race.AMERICAN_INDIAN, Race.AMERICAN_INDIAN.label),
    (Race.ASIAN, Race.ASIAN.label),
    (Race.BLACK, Race.BLACK.label),
    (Race.HISPANIC, Race.HISPANIC.label),
    (Race.PACIFIC_ISLANDER, Race.PACIFIC_ISLANDER.label),
    (Race.WHITE, Race.WHITE.label),
    ("other", gettext_lazy("Some other race")),
    ("multiple", gettext_lazy("Multiple races")),
    NOT_REPORTED,
)
GENDERS = (*((value, label) for value, label in Gender.choices if value != Gender.DECLINED), NOT_REPORTED)
AGE_BANDS = (*((key, key) for key, _low, _high in tallies.AGE_BANDS), NOT_REPORTED)


def _gender_counts(counts: Counter) -> Counter:
    # "Prefers not to say" is not reported, as the funders count it.
    merged = Counter(counts)
    merged[tallies.NOT_REPORTED] += merged.pop(Gender.DECLINED, 0)
    return merged


def _sentence(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


def _fund_cases(fund):
    if fund is None:
        return None
    from assistance.queries import cases_under  # noqa: PLC0415 (assistance reads cases; reports read both)

    return cases_under(fund)


def victim_services_report(period: Period, fund=None) -> Report:
    fy_start = fiscal_year_start(period.start)
    served = tallies.victim_services(period.start, period.end, fiscal_year_start=fy_start, cases=_fund_cases(fund))
    people = Counter(total=served.total, new=served.new, continuing=served.continuing)
    victimization = Counter(
        sex=served.victimization[Determination.SEX] + served.victimization[Determination.BOTH],
        labor=served.victimization[Determination.LABOR] + served.victimization[Determination.BOTH],
        undetermined=sum(
            served.victimization[k] for k in (Determination.UNCERTAIN, Determination.NOT_MET, "not screened")
        ),
    )
    classifications = [
        (name, _sentence(Survivor._meta.get_field(name).verbose_name)) for name in Survivor.CLASSIFICATION_FIELDS
    ]
    codes = [(code, label) for code, label, _category in tallies.codes(FunderScheme.VICTIM_SERVICES)]
    return Report(
        kind=VICTIM_SERVICES,
        title=_("Victim-services quarterly report"),
        period=period,
        tables=(
            _table("people", _("People served"), people, (
                ("total", _("People served (unduplicated)")),
                ("new", _("New: first service in the fiscal year during this period")),
                ("continuing", _("Continuing: served earlier in the fiscal year")),
            )),
            _table("race", _("Race and ethnicity of new people"), served.race, VS_RACES),
            _table("gender", _("Gender identity of new people"), _gender_counts(served.gender), GENDERS),
            _table("age", _("Age of new people on their first service in the fiscal year"), served.age, AGE_BANDS),
            _table("classifications", _("Special classifications of new people"), served.classifications,
                   classifications,
                   note=_("Counted when the answer is yes; not asked and declined are not counted.")),
            _table("victimization", _("Victimization type of new people"), victimization, (
                ("sex", _("Sex trafficking")),
                ("labor", _("Labor trafficking")),
                ("undetermined", _("Not yet determined")),
            ), note=_("A person trafficked for both sex and labor is counted in both rows.")),
            _services_table("services", _("Services given, by sub-service"), served.services, codes),
        ),
        notes=(
            _("Fiscal year from %(start)s.") % {"start": fy_start.isoformat()},
            _("People are counted once however many enrollments they have; family members are not counted."),
            _("A service is counted once per person's case, service and day."),
        ),
    )  # fmt: skip


def trafficking_program_report(period: Period, fund=None) -> Report:
    cases = _fund_cases(fund)
    served = tallies.trafficking_program(period.start, period.end, cases=cases)
    clients = Counter(total=served.total, new=served.new, continuing=served.continuing)
    kinds = Counter(served.victimization)
    kinds["uncertain"] = kinds.pop(Determination.UNCERTAIN, 0) + kinds.pop("not screened", 0)
    categories = sorted({category for _code, _label, category in tallies.codes(FunderScheme.VICTIM_SERVICES)})
    outreach, trained = _outreach_and_training(period)
    return Report(
        kind=TRAFFICKING_PROGRAM,
        title=_("Trafficking-program semiannual report"),
        period=period,
        tables=(
            _table("clients", _("Clients"), clients, (
                ("total", _("Clients served")),
                ("new", _("New clients: first service ever during this period")),
                ("continuing", _("Continuing clients")),
            )),
            _table("age", _("Adults and minors"), served.adults_minors, (
                ("adult", _("Adults")), ("minor", _("Minors (under 18)")), ("unknown", _("Age not known")),
            )),
            _table("type", _("Type of trafficking"), kinds, (
                (Determination.SEX, _("Sex")),
                (Determination.LABOR, _("Labor")),
                (Determination.BOTH, _("Both sex and labor")),
                ("uncertain", _("Uncertain")),
                (Determination.NOT_MET, _("Criteria not met")),
            )),
            _table("gender", _("Gender"), _gender_counts(served.gender), GENDERS),
            _table("citizenship", _("Citizenship"), served.citizenship, (
                ("citizen or resident", _("U.S. citizens and lawful permanent residents")),
                ("foreign national", _("Foreign nationals")),
                ("not known", _("Not known")),
            )),
            _table("referral", _("Referral source"), served.referral_source,
                   (*ReferralSource.choices, NOT_REPORTED)),
            _services_table("services", _("Services by type"), served.services, [(c, c) for c in categories]),
            _table("activity", _("Outreach and training"), Counter(**outreach, **trained), (
                ("outreach_sessions", _("Outreach sessions")),
                ("people_contacted", _("People contacted in outreach")),
                ("training_sessions", _("Training sessions")),
                ("people_trained", _("People trained")),
            ), columns=(("count", gettext_lazy("Count")),)),
        ),
        notes=(
            _("Clients are survivors served in the period; family members are not counted."),
            _("Adults and minors by age on the first service in the period."),
        ),
    )  # fmt: skip


def _outreach_and_training(period: Period) -> tuple[dict, dict]:
    from outreach.models import OutreachSession  # noqa: PLC0415
    from training import queries as training_queries  # noqa: PLC0415
    from training.models import TrainingEvent  # noqa: PLC0415

    start, end = _moments(period)
    sessions = OutreachSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
    outreach = {
        "outreach_sessions": sessions.count(),
        "people_contacted": sessions.aggregate(n=Sum("people_contacted"))["n"] or 0,
    }
    events = training_queries.with_counts(TrainingEvent.objects.filter(starts_at__gte=start, starts_at__lt=end))
    headcounts = list(events.values_list("headcount", flat=True))
    return outreach, {"training_sessions": len(headcounts), "people_trained": sum(headcounts)}


def _moments(period: Period) -> tuple[datetime, datetime]:
    """The period's first moment and the first moment after it, in the program's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone),
    )


def hhs_report(period: Period, fund=None) -> Report:
    entries = tallies.hhs(period.start, period.end, cases=_fund_cases(fund))
    codes = [(code, label) for code, label, _category in tallies.codes(FunderScheme.HHS)]
    return Report(
        kind=HHS,
        title=_("HHS trafficking grant quarterly report"),
        period=period,
        tables=(
            _table("entered", _("Program entry"), Counter(entered=entries.entered),
                   (("entered", _("Cases with an intake in this period")),), columns=CASES),
            _table("intake_type", _("Type of intake"), entries.intake_type, (
                ("first", _("First enrollment")), ("returning", _("Returning after an earlier enrollment")),
            ), columns=CASES),
            _table("referral", _("Referral source"), entries.referral_source,
                   (*ReferralSource.choices, NOT_REPORTED), columns=CASES),
            _table("matched", _("Matched with a specialist within 48 hours of referral"), entries.matched_in_48_hours, (
                ("yes", _("Yes")), ("no", _("No")), ("not yet", _("Not yet assigned")),
            ), columns=CASES),
            _table("eligibility", _("Eligibility"), entries.eligibility, (
                ("enrolled", _("Enrolled")), ("intake", _("Intake not finished")), *NotEnrolledReason.choices,
            ), columns=CASES),
            _table("age", _("Age at intake"), entries.age, AGE_BANDS, columns=CASES),
            _table("gender", _("Gender"), _gender_counts(entries.gender), GENDERS, columns=CASES),
            _table("race", _("Race and ethnicity"), entries.race, VS_RACES, columns=CASES),
            _table("family", _("Family members served, by relation"), entries.family,
                   (*FamilyMember.Relation.choices, NOT_REPORTED),
                   columns=(("members", gettext_lazy("Family members")),)),
            _table("closed", _("Case closure"), Counter(closed=entries.closed),
                   (("closed", _("Cases closed in this period")),), columns=CASES),
            _table("closure_reason", _("Reason for closing"), entries.closure_reason, ClosureReason.choices,
                   columns=CASES),
            _table("living", _("Living situation at closure"), entries.living_situation, LivingSituation.choices,
                   columns=CASES),
            _table("relief", _("Continued Presence or T visa"), entries.immigration_relief, ImmigrationRelief.choices,
                   columns=CASES),
            _table("certification", _("HHS certification or eligibility letter"), entries.certification,
                   HHSCertification.choices, columns=CASES),
            _table("continued_care", _("Referred for continued case management"), entries.continued_care,
                   (("yes", _("Yes")), ("no", _("No"))), columns=CASES),
            _services_table("services", _("Services given, by HHS category"), entries.services, codes),
        ),
        notes=(
            _("Program entry counts the cases whose intake date is in the period; closure, the cases closed in it."),
            _("Family members are counted apart and never as clients."),
        ),
    )  # fmt: skip


STATE_AGE_LABELS = {"10 and under": gettext_lazy("10 and under"), "over 18": gettext_lazy("Over 18")}
STATE_RACES = (
    ("hispanic", gettext_lazy("Hispanic")),
    ("caucasian", gettext_lazy("Caucasian")),
    ("black", gettext_lazy("African American/Black")),
    ("multi-racial", gettext_lazy("Multi-racial")),
    ("asian", gettext_lazy("Asian")),
    ("other", gettext_lazy("Other")),
    ("unknown", gettext_lazy("Unknown")),
)
STATE_RESIDENCES = (
    ("parent home", gettext_lazy("Parent/Guardian home")),
    ("runaway", gettext_lazy("AWOL/Runaway")),
    ("foster home", gettext_lazy("Foster home")),
    ("congregate care", gettext_lazy("Congregate care")),
    ("relative home", gettext_lazy("Relative/Other home")),
    ("detention", gettext_lazy("Detention")),
    ("shelter", gettext_lazy("Shelter")),
    ("unknown", gettext_lazy("Missing/Unknown")),
)


def state_report(period: Period, fund=None) -> Report:
    tables = tallies.state_tables(period.start, period.end, cases=_fund_cases(fund))
    years = [(str(year), str(year)) for year in range(period.start.year, period.end.year + 1)]
    ages = (*((key, STATE_AGE_LABELS.get(key, key)) for key, _low, _high in tallies.STATE_AGE_BANDS),
            ("unknown", _("Unknown")))  # fmt: skip
    return Report(
        kind=STATE,
        title=_("State program tables"),
        period=period,
        tables=(
            _table("referrals", _("Referrals by year"), tables.referrals_by_year, years,
                   columns=(("referrals", gettext_lazy("Referrals")),), suppress=True),
            _table("race", _("Race/Ethnicity"), tables.race, STATE_RACES, suppress=True),
            _table("age", _("Age at time of victimization"), tables.age_at_victimization, ages, suppress=True),
            _table("residence", _("Residence at time of exploitation"), tables.residence, STATE_RESIDENCES,
                   suppress=True),
        ),
        notes=(
            _("Counts from 1 to 4 are shown as fewer than 5."),
            _("Where a single small count could be worked out from the others, the next smallest is not shown."),
            _("Hispanic is counted first, whatever else is chosen; then two or more races are Multi-racial."),
        ),
    )  # fmt: skip


DEFINITIONS = {
    definition.kind: definition
    for definition in (
        Definition(VICTIM_SERVICES, gettext_lazy("Victim-services quarterly report"), "quarter", True,
                   victim_services_report, one_fiscal_year=True),
        Definition(TRAFFICKING_PROGRAM, gettext_lazy("Trafficking-program semiannual report"), "half", True,
                   trafficking_program_report),
        Definition(HHS, gettext_lazy("HHS trafficking grant quarterly report"), "quarter", True, hhs_report),
        Definition(STATE, gettext_lazy("State program tables"), "year", False, state_report),
    )
}  # fmt: skip


def period_problem(kind: str, period: Period) -> str | None:
    """Why the report cannot be made for ``period``, beyond the rules of every period, or None."""
    year_start = fiscal_year_start(period.start)
    if DEFINITIONS[kind].one_fiscal_year and fiscal_year_start(period.end) != year_start:
        last = date(year_start.year + 1, 9, 30)
        return _(
            "This report counts within one federal fiscal year (October to September): end by %(last)s, "
            "or start on October 1 or later."
        ) % {"last": date_format(last, "DATE_FORMAT")}
    return None


def suggested_period(kind: str, today: date) -> Period:
    """The last complete period of the report's cadence before ``today``."""
    cadence = DEFINITIONS[kind].cadence
    if cadence == "quarter":
        return quarter_of(quarter_of(today).start - timedelta(days=1))
    if cadence == "half":
        return half_year_of(half_year_of(today).start - timedelta(days=1))
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
