"""The attack on one page's forms, below HTTP and through it.

A ``Target`` is a page that takes input: how its view builds the forms, a post it takes, and
what the view does with a post (``submit``: validate, then call the service, catching what
the view catches). ``attack`` gives every field every hostile value of its kind
(``corpus.values_for``), the other fields valid, straight to the forms and the service: an
exception the view would not catch is a server error, and fails the test naming the field and
the value. ``post_through_http`` then sends a few posts through the whole stack: the valid post
with every text field spoiled with markup, which must be stored and shown escaped wherever it
is shown; an empty post; and every field sent twice.

What must hold of the stored records is checked once, after the attack, by each app's
invariants (and ``every_row_has_history``), and by the database's own constraints as it goes.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.utils.datastructures import MultiValueDict
from simple_history.models import registered_models

from bloom.forms import show_refusal
from tests.hostile.corpus import MARKER, MARKUP, MISSING, SHORT_MARKUP, Hostile, Upload, kind_of, text_limit, values_for
from tests.objects import Objects

Page = Any  # what ``Target.bind`` returns: a form, a formset, a list of them, or a page object


def parts_of(page: Page) -> list[forms.BaseForm]:
    """The forms a page is made of, formsets' management forms and rows included."""
    if isinstance(page, forms.BaseForm):
        return [page]
    if isinstance(page, forms.BaseFormSet):
        return [page.management_form, *page.forms]
    if isinstance(page, list | tuple):
        return [part for each in page for part in parts_of(each)]
    raise TypeError(f"give the Target a `parts` for a {type(page).__name__}")


def all_valid(page: Page, parts: Callable[[Page], list] = parts_of) -> bool:
    """Every form of the page valid; each validated, as a view validates all to show every message."""
    top = page if isinstance(page, list | tuple) else [page]
    return all([each.is_valid() for each in top])  # noqa: C419 (a list, so no form is skipped)


def saved(call, *refusals, shown_on: Callable[[Page], forms.BaseForm] | None = None):
    """``submit`` for a page whose view calls one service: valid forms, then ``call(o, page)``.

    ``refusals`` are the errors the view catches; it shows them on the form ``shown_on`` picks
    (the page's first form unless told), as the view does, beside the field each names.
    """

    def submit(o: Objects, page: Page) -> bool:
        if not all_valid(page):
            return False
        try:
            call(o, page)
        except refusals as error:
            show_refusal(shown_on(page) if shown_on else parts_of(page)[0], error)
            return False
        return True

    return submit


@dataclass(frozen=True)
class Target:
    """A page that takes input, to be attacked."""

    route: str  # its route in tests/matrix.py
    persona: str | None  # who posts it; None: nobody signed in
    bind: Callable[[Objects, QueryDict | None, MultiValueDict | None], Page]  # the forms, as the view builds them
    valid: Callable[[Objects], dict]  # a post the page takes (lists for several values, Upload for files)
    submit: Callable[[Objects, Page], bool]  # what the view does with a post; whether it stored something
    path: Callable[[Objects], str]
    shows: Callable[[Objects], list[str]] = lambda o: []  # pages that show what a post stored
    # Whether the text a post stores is shown on ``shows`` (False: it is kept, for the history, but
    # no page this persona may open displays it).
    shows_text: bool = True
    stores: bool = True  # a valid post stores something (a search or a filter does not)
    status: int = 302  # the answer to the valid post through HTTP
    method: str = "post"  # a filter is a GET
    parts: Callable[[Page], list[forms.BaseForm]] = parts_of
    # Extra checks after the attack (e.g. that every kept file is what its name says).
    after: Callable[[Objects], None] = lambda o: None
    name: str = ""

    def __str__(self) -> str:
        return self.name or self.route


def form_classes(target: Target, objects: Objects) -> set[type]:
    return {type(part) for part in target.parts(target.bind(objects, *as_post(target.valid(objects))))}


def fields_of(target: Target, objects: Objects) -> list[tuple[str, forms.Field]]:
    """Every field the page posts, by the name it is posted under, from the forms bound to a valid post."""
    page = target.bind(objects, *as_post(target.valid(objects)))
    return [(part.add_prefix(name), part.fields[name]) for part in target.parts(page) for name in part.fields]


def plan(target: Target, objects: Objects) -> list[tuple[str, Hostile]]:
    """Each (field, hostile value) the attack sends: every field, every value of its kind."""
    return [(name, hostile) for name, field_ in fields_of(target, objects) for hostile in values_for(field_)]


def as_post(values: dict) -> tuple[QueryDict, MultiValueDict]:
    """A post as a view receives it: the data, and the files."""
    data, files = QueryDict(mutable=True), MultiValueDict()
    for name, value in values.items():
        if value is MISSING:
            continue
        if isinstance(value, Upload):
            files[name] = value.file()
        elif isinstance(value, list | tuple):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = "" if value is None else str(value)
    return data, files


@dataclass
class Outcome:
    sent: int = 0
    stored: int = 0
    refused: dict[str, int] = field(default_factory=dict)


def attack(target: Target, objects: Objects) -> Outcome:
    """Every field of ``target`` gets every hostile value of its kind, the other fields valid."""
    outcome = Outcome()
    for name, hostile in plan(target, objects):
        values = {**target.valid(objects), name: hostile.value}
        page = target.bind(objects, *as_post(values))
        try:
            with transaction.atomic():
                stored = target.submit(objects, page)
        except Exception as error:
            raise AssertionError(f"{target}: {name} = {hostile.label} ({hostile.value!r:.80}): {error!r}") from error
        outcome.sent += 1
        outcome.stored += bool(stored)
        if not stored:
            outcome.refused[name] = outcome.refused.get(name, 0) + 1
    return outcome


# Through HTTP ------------------------------------------------------------------------------


def assert_no_live_markup(body: str, where: str) -> None:
    lowered = body.lower()
    for live in (f"<script>{MARKER}", f'onerror="{MARKER}', f"<{MARKER}"):
        assert live not in lowered, f"unescaped markup on {where}"


def markup_for(field_: forms.Field, n: int) -> str | None:
    limit = text_limit(field_)
    for markup in (MARKUP[n % 3], SHORT_MARKUP):  # the first three are live markup when unescaped
        if limit is None or len(markup) <= limit:
            return markup
    return None


def spoiled(target: Target, objects: Objects) -> dict:
    """The valid post with markup in every text field the forms take it in (others stay valid)."""
    valid = target.valid(objects)
    texts = [(name, f) for name, f in fields_of(target, objects) if kind_of(f) == "text" and not f.disabled]
    values = dict(valid)
    for n, (name, field_) in enumerate(texts):
        if (markup := markup_for(field_, n)) is not None:
            values[name] = markup
    # Drop the markup from each field the forms refuse it in (a phone number, an email), until none.
    for _attempt in range(len(texts) + 1):
        page = target.bind(objects, *as_post(values))
        all_valid(page)
        refused = {part.add_prefix(f) for part in target.parts(page) if part.is_bound for f in part.errors}
        back = [name for name, _f in texts if name in refused and values.get(name) != valid.get(name, MISSING)]
        if not back:
            return values
        for name in back:
            if name in valid:
                values[name] = valid[name]
            else:
                values.pop(name)
    return values


def client_for(target: Target, objects: Objects) -> Client:
    client = Client()
    if target.persona:
        client.force_login(getattr(objects.world, target.persona))
    return client


def send(client: Client, target: Target, path: str, values: dict):
    data, files = as_post(values)
    if target.method == "get":
        return client.get(path, data)
    payload = {name: data.getlist(name) for name in data}
    payload.update({name: files[name] for name in files})
    return client.post(path, payload)


def check_answer(response, path: str) -> None:
    assert response.status_code < 500, path
    if response.status_code in (200, 400, 403, 404, 422) and response.get("Content-Type", "").startswith("text/html"):
        assert_no_live_markup(response.content.decode(), path)


def posts_through_http(target: Target, objects: Objects) -> Iterator[tuple[str, dict]]:
    """The few posts sent through the whole stack."""
    yield "the valid post with markup in every text field", spoiled(target, objects)
    yield "an empty post", {}
    twice = {name: [v, v] if not isinstance(v, list | Upload) else v for name, v in target.valid(objects).items()}
    yield "every field sent twice", {**twice, "unexpected-field": MARKUP[0]}


def post_through_http(target: Target, objects: Objects) -> None:
    """The valid post with markup in its text is stored and shown escaped; odd posts get a clear answer."""
    client = client_for(target, objects)
    for label, values in posts_through_http(target, objects):
        path = target.path(objects)
        client.get(path)  # as a browser does, which also gives the survey link its device cookie
        response = send(client, target, path, values)
        check_answer(response, f"{path} ({label})")
        if label.startswith("the valid post"):
            assert response.status_code == target.status, f"{path}: the spoiled valid post was not taken"
            pages = {shown: client.get(shown) for shown in target.shows(objects)}
            for shown, page in pages.items():
                assert page.status_code == 200, shown
                assert_no_live_markup(page.content.decode(), shown)
            if target.shows_text and pages and any(MARKER in str(value) for value in values.values()):
                # The markup was stored and is shown, escaped, somewhere: else nothing was checked.
                assert any(MARKER in page.content.decode() for page in pages.values()), f"{path}: markup shown nowhere"


# What holds of every app's records ------------------------------------------------------------


def every_row_has_history() -> None:
    """Every row of a model with history has at least one history row."""
    missing = {}
    for model in registered_models.values():
        history = getattr(model, getattr(model._meta, "simple_history_manager_attribute", ""), None)
        if model._meta.proxy or history is None:
            continue  # a many-to-many table's history is kept with the row it belongs to
        without = model._default_manager.exclude(pk__in=history.values("id")).count()
        if without:
            missing[model._meta.label] = without
    assert missing == {}, f"rows without history: {missing}"
