"""Plant three faults, one at a time, in a scratch copy of the tree; the tests must catch each.

    python -m tests.mutants        (what `make mutants` runs)

1. a form that answers 500 to one hostile value (a right-to-left override in a contact's note);
2. a page that prints one stored field unescaped (the survivor's preferred name on the case page);
3. a service that saves a row without its history (a contact logged with ``bulk_create``).

Each fault is a small text replacement in one file of a copy of the working tree (the tracked
and the new files; ``.venv`` and ``node_modules`` are linked, not copied). The tests that should
catch it run in that copy, on their own test database: first without the fault, where they must
pass, then with it, where they must fail (failures, not errors). The command exits non-zero
unless all three are caught, or if a fault no longer applies (the line it replaces changed:
update it here).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    before: str
    after: str
    tests: list[str]


MUTANTS = [
    Mutant(
        "a form that answers 500 to a right-to-left override",
        "cases/forms/contacts.py",
        "    @classmethod\n    def initial_from(cls, contact: Contact) -> dict:",
        "    def clean_note(self):\n"
        "        if '\\u202e' in self.cleaned_data['note']:\n"
        "            raise RuntimeError('planted fault')\n"
        "        return self.cleaned_data['note']\n\n"
        "    @classmethod\n    def initial_from(cls, contact: Contact) -> dict:",
        ["tests/hostile/test_cases.py::test_every_field_takes_every_hostile_value[cases/<int:pk>/contacts/new/]"],
    ),
    Mutant(
        "a page that prints a stored name unescaped",
        "cases/templates/cases/detail.html",
        '<dd>{{ survivor.preferred_name|default:"—" }}</dd>',
        '<dd>{% autoescape off %}{{ survivor.preferred_name|default:"—" }}{% endautoescape %}</dd>',
        ["tests/hostile/test_escaping.py::test_every_page_shows_stored_markup_escaped[/cases/<int:pk>/]"],
    ),
    Mutant(
        "a service that forgets its history row",
        "cases/services/contacts.py",
        '    _save(contact, by=by, reason="Contact logged")',
        "    Contact.objects.bulk_create([contact])",
        ["tests/hostile/test_cases.py::test_every_field_takes_every_hostile_value[cases/<int:pk>/contacts/new/]"],
    ),
]


def scratch_copy() -> Path:
    """The working tree's tracked and new files, copied; the installed tools linked."""
    target = Path(tempfile.mkdtemp(prefix="bloom-mutants-"))
    listed = subprocess.run(
        [shutil.which("git") or "/usr/bin/git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for linked in (".venv", "node_modules"):
        if (ROOT / linked).exists():
            (target / linked).symlink_to(ROOT / linked)
    return target


def run_tests(mutant: Mutant, tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": mutant_database(os.environ.get("DATABASE_URL", ""))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", *mutant.tests],
        cwd=tree,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )


def caught(mutant: Mutant, tree: Path) -> bool:
    """Whether the tests, which pass on the tree, fail (not error) once the fault is planted."""
    path = tree / mutant.path
    original = path.read_text()
    if original.count(mutant.before) != 1:
        raise SystemExit(f"The fault '{mutant.name}' no longer applies to {mutant.path}: update tests/mutants.py.")
    clean = run_tests(mutant, tree)
    if clean.returncode != 0 or " passed" not in clean.stdout:
        raise SystemExit(f"The tests for '{mutant.name}' fail without it:\n{clean.stdout[-3000:]}")
    path.write_text(original.replace(mutant.before, mutant.after))
    try:
        planted = run_tests(mutant, tree)
    finally:
        path.write_text(original)
    summary = planted.stdout.strip().splitlines()[-1] if planted.stdout.strip() else ""
    if planted.returncode == 1 and " failed" in summary and " error" not in summary:
        return True
    if planted.returncode == 0:
        return False
    raise SystemExit(f"The tests for '{mutant.name}' did not run:\n{planted.stdout[-3000:]}{planted.stderr[-2000:]}")


def mutant_database(url: str) -> str:
    """The same server, another database name: the mutants never touch the suite's own test database."""
    base, _slash, name = url.rpartition("/")
    return f"{base}/{name or 'bloom'}_mutants" if base else url


def main() -> int:
    tree = scratch_copy()
    missed = []
    try:
        for mutant in MUTANTS:
            found = caught(mutant, tree)
            print(f"{'caught' if found else 'MISSED'}: {mutant.name} ({mutant.path})")  # noqa: T201
            if not found:
                missed.append(mutant.name)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    if missed:
        print(f"{len(missed)} of {len(MUTANTS)} planted faults went unnoticed.")  # noqa: T201
        return 1
    print(f"All {len(MUTANTS)} planted faults were caught.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
