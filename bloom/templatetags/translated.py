"""``{% load translated %}``: the words the program director wrote, in the reader's language.

``{{ phase|local:"name" }}`` is ``bloom.translated.local(phase, "name")``: the active
language's version, or the English where it has none. Registered by name in the settings
(``TEMPLATES`` ``libraries``): the platform package is not an app, so Django would not find it.
"""

from django import template

from bloom import translated

register = template.Library()


@register.filter
def local(obj, attribute: str):
    """``obj``'s ``attribute`` in the reader's language (a list item by item)."""
    return translated.local(obj, attribute)


@register.filter
def in_language(obj, code: str) -> dict:
    """The words ``obj`` has in language ``code``, as stored ({} when none): for the director's pages."""
    return dict((getattr(obj, translated.FIELD, None) or {}).get(code) or {})
