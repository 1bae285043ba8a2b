"""The words ``bloom.reports`` stores for people to read later, by code (``bloom.said``)."""

from django.utils.translation import gettext_lazy as _

from bloom.said import DAY, TEXT, Param, Words, register


class FileFormat(Param):
    """A file's format as the program names it ("csv"), shown as people write it ("CSV")."""

    def show(self, value, reading):
        return str(value).upper()

    def sample(self):
        return "xlsx"


register(
    "reports",
    # The report's kind is its funder's name for it, the same in every language.
    Words(
        "report.submitted",
        _("Submitted %(kind)s, %(start)s to %(end)s"),
        kind=TEXT,
        start=DAY,
        end=DAY,
        legacy=r"Submitted (?P<kind>\S+) (?P<start>[0-9-]{10}) to (?P<end>[0-9-]{10})",
    ),
    # The access log's reason for a program report or a dashboard's figures produced as a file,
    # or shown on the report's page.
    Words("log.export", _("Exported as %(format)s"), format=FileFormat(), legacy=r"(?P<format>csv|xlsx|pdf)"),
    Words("log.shown", _("Shown on its page"), legacy="page"),
)
