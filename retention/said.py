"""The words ``retention`` stores for people to read later, by code (``bloom.said``).

Each ``legacy`` is the English sentence the services stored before codes: the data migrations
``stored_words_as_codes`` read it to convert the rows written then.
"""

from django.utils.translation import gettext_lazy as _

from bloom.said import Choice, Fields, Words, register
from retention.models import Level

# What the policy's reasons called its fields before codes ("Policy: narratives 24→12").
POLICY_WORDS = {
    "narratives": "narratives_months",
    "documents": "documents_months",
    "identity": "identity_months",
    "reopening window": "reopen_months",
    "backups": "backup_days",
}


class PolicyFields(Fields):
    def from_legacy(self, text):
        return [POLICY_WORDS[change.rsplit(" ", 1)[0]] for change in text.split(", ")]


register(
    "retention",
    # The policy: the months themselves are in the policy's history, shown on its page.
    Words("policy.changed", _("Policy changed: %(fields)s"), fields=PolicyFields(), legacy=r"Policy: (?P<fields>.+)"),
    Words("policy.confirmed", _("Policy set as it stands"), legacy="Policy set as it stands"),
    # Holds and deletions
    Words("hold.placed", _("Hold placed"), legacy="Hold placed"),
    Words("hold.lifted", _("Hold lifted"), legacy="Hold lifted"),
    Words("deletion.requested", _("Deletion requested"), legacy="Deletion requested"),
    Words("deletion.confirmed", _("Deletion confirmed"), legacy="Deletion confirmed"),
    Words("deletion.withdrawn", _("Deletion withdrawn"), legacy="Deletion withdrawn"),
    Words("tombstone.deleted_asked", _("Deleted: the survivor asked"), legacy="Deleted: the survivor asked"),
    Words("tombstone.deleted_mistake", _("Deleted: entered by mistake"), legacy="Deleted: entered by mistake"),
    # The purge
    Words(
        "tombstone.purged",
        _("Purged: %(level)s"),
        level=Choice(Level),
        legacy=r"Purged: (?P<level>narratives|documents|identity)",
    ),
    Words(
        "tombstone.audit_kept",
        _("Kept for a grant audit until the award's retention ends"),
        legacy="Kept for a grant audit until the award's retention ends",
    ),
    Words(
        "tombstone.audit_purged",
        _("Purged: what was kept for a grant audit"),
        legacy="Purged: what was kept for a grant audit",
    ),
    Words("case.intake_age_kept", _("Age at intake kept for the reports"), legacy="Age at intake kept for the reports"),
)
