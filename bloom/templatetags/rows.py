"""``{% load rows %}``: a list's links without a ``reverse()`` for every row.

``{% row_url "cases:detail" case.pk %}`` gives exactly what ``{% url "cases:detail" case.pk %}``
gives. The first row of a render reverses the name once with stand-in ids and keeps the path
cut at them; every later row only puts its own ids between the pieces. A row's arguments are
ids (integers), and an id is written into a path as its digits, so the result is the same
string ``reverse()`` would build. Anything else (a slug, a missing id) is reversed as ``{% url %}``
would, so the tag never answers differently from it. Registered by name in the settings
(``TEMPLATES`` ``libraries``), as ``translated`` is.
"""

from django import template
from django.urls import reverse

register = template.Library()

# Stand-in ids: digits that a path's fixed parts will never hold, one per argument.
_STAND_INS = tuple(str(9_081_726_354_001 + n) for n in range(4))
# The key of this tag's paths in a render context.
_CUTS = object()


def _pieces(viewname: str, count: int) -> tuple[str, ...] | None:
    """The path of ``viewname`` cut where its ``count`` ids go, or None when it cannot be cut."""
    path = reverse(viewname, args=_STAND_INS[:count])
    pieces = []
    for stand_in in _STAND_INS[:count]:
        head, found, path = path.partition(stand_in)
        if not found or stand_in in head:
            return None
        pieces.append(head)
    pieces.append(path)
    return tuple(pieces)


def _is_id(value) -> bool:
    return type(value) is int and value >= 0


@register.simple_tag(takes_context=True)
def row_url(context, viewname: str, *args) -> str:
    """``viewname``'s path for these ids, reversed once per render and name (see the module)."""
    if not args or len(args) > len(_STAND_INS) or not all(_is_id(arg) for arg in args):
        return reverse(viewname, args=args)
    # The render context's first level lasts one render of a page, includes and partials
    # (which each push a level of their own) among it, as ``{% include %}`` keeps its
    # templates: one reverse per page, and no request's URLconf is carried into another's.
    cuts = context.render_context.dicts[0].setdefault(_CUTS, {})
    key = (viewname, len(args))
    if key not in cuts:
        cuts[key] = _pieces(viewname, len(args))
    cut = cuts[key]
    if cut is None:
        return reverse(viewname, args=args)
    parts = [cut[0]]
    for arg, piece in zip(args, cut[1:], strict=True):
        parts.append(str(arg))
        parts.append(piece)
    return "".join(parts)
