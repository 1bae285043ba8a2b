"""Names as people type them: one folded form that a stored name and a typed one are compared in.

A specialist types "Jose Nunez" on a keyboard without accents for "José Núñez", or "JOSÉ" from
a form written in capitals. Both sides of every name comparison go through ``fold``: what is
stored beside the name (``Survivor.legal_name_key`` and its siblings) and what was typed. The
database then compares plain text, the same way on PostgreSQL and on SQLite, and its trigram
indexes serve the comparison.

If ``fold`` ever changes, the stored keys must be refilled: add a data migration that saves them
again, as ``cases`` migration 0017 did when they were added.
"""

import unicodedata

# Letters that Unicode does not take apart into a plain letter and a mark, written the way an
# English keyboard writes them: "Łukasz" is typed "Lukasz", "Søren" "Soren" (and the
# Turkish dotless i, U+0131, is an "i").
_PLAIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """``text`` without accents or case, its spaces single: " José  NÚÑEZ" is "jose nunez".

    Compatibility forms are taken apart too: a ligature "ﬁ" is "fi", a superscript "²" is "2".
    The result may be longer than ``text`` ("ß" is "ss"): store it in a column without a limit.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_PLAIN).split())


def fold_lines(text: str) -> str:
    """Each line of ``text`` folded, the empty ones left out: other names, one per line, stay
    apart, so that a typed name cannot match across the end of one and the start of the next."""
    return "\n".join(line for line in map(fold, text.splitlines()) if line)
