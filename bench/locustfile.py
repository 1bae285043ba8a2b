"""The load: specialists, supervisors, the program director, finance and an admin-baseline user.

Run by ``bench.run`` (``locust -f bench/locustfile.py --headless ...``), one process. Each
simulated person signs in once through the real sign-in form, then opens pages in the mix
of ``bench.pages.MIX`` with a pause between them. Every answer must be a 200 with the page's
own content; anything else is an error. Each request's Server-Timing header (server time,
SQL time, queries) is kept with its response time and written to BENCH_SAMPLES at the end.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

from bench.pages import MIX, ROLE_WEIGHTS, build

PERSONAS = json.loads(Path(os.environ["BENCH_PERSONAS"]).read_text())
# How long everyone browses once the last person has signed in; then the run stops.
STEADY_SECONDS = float(os.environ["BENCH_STEADY_SECONDS"])
LOW, _, HIGH = os.environ.get("BENCH_WAIT", "0.5-2").partition("-")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# base.html hands htmx the CSRF token in hx-headers; htmx sends it as X-CSRFToken.
HTMX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

samples: list[list] = []
# Signing in is slow by design (Argon2), so the sign-in burst is kept out of the page
# statistics: they cover the steady state, from the last sign-in to the end of the run.
run = {"signed_in": 0, "steady_from": None, "steady_until": None}
_next_person = {role: itertools.count() for role in MIX}


@events.request.add_listener
def keep_sample(name, response_time, response, exception, start_time, **_kwargs):
    timing = {}
    header = (response.headers or {}).get("Server-Timing", "") if response is not None else ""
    for metric in header.split(","):
        name_part, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _sep, value = param.partition("=")
            timing[f"{name_part}_{key}"] = value.strip('"')
    samples.append(
        [
            name,
            start_time,
            response_time,
            exception is None,
            getattr(response, "status_code", 0),
            float(timing.get("app_dur", "nan")),
            float(timing.get("db_dur", "nan")),
            int(timing.get("queries_desc", "-1")),
            "" if exception is None else str(exception)[:200],
        ]
    )


@events.quitting.add_listener
def write_samples(**_kwargs):
    run["steady_until"] = run["steady_until"] or time.time()
    Path(os.environ["BENCH_SAMPLES"]).write_text(json.dumps({**run, "samples": samples}))


def signed_in(environment) -> None:
    """Count a finished sign-in; once everyone is in, browse STEADY_SECONDS more and stop."""
    run["signed_in"] += 1
    if run["signed_in"] == environment.parsed_options.num_users:
        run["steady_from"] = time.time()

        def stop():
            run["steady_until"] = time.time()
            environment.runner.quit()

        gevent.spawn_later(STEADY_SECONDS, stop)


def pause(_user) -> float:
    return random.uniform(float(LOW), float(HIGH or LOW))  # noqa: S311 (think time, not a secret)


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = pause

    def on_start(self):
        people = PERSONAS["people"][self.role]
        self.person = people[next(_next_person[self.role]) % len(people)]
        self.rng = random.Random()  # noqa: S311 (which page to open, not a secret)
        self.kinds, self.weights = zip(*MIX[self.role].items(), strict=True)
        self.token = ""
        try:
            self.sign_in()
        finally:
            signed_in(self.environment)

    def sign_in(self):
        with self.client.get("/accounts/login/", name="sign-in form", catch_response=True) as response:
            found = CSRF_INPUT.search(response.text or "")
            if response.status_code != 200 or not found:
                response.failure(f"no sign-in form (status {response.status_code})")
                raise StopUser
        form = {
            "csrfmiddlewaretoken": found.group(1),
            "username": self.person["email"],
            "password": PERSONAS["password"],
            "next": "",
        }
        with self.client.post(
            "/accounts/login/", data=urlencode(form), headers=FORM, name="sign in", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            # A good sign-in redirects; a refused one shows the form again with a 200.
            if response.status_code != 302:
                response.failure(f"sign-in refused for {self.person['email']} (status {response.status_code})")
                raise StopUser
            response.success()
        # The role's first page (home, where the sign-in leads), which also hands over the
        # CSRF token that htmx sends with a search.
        self.visit(build(self.kinds[0], self.person))

    @task
    def open_a_page(self):
        self.visit(build(self.rng.choices(self.kinds, weights=self.weights)[0], self.person, self.rng))

    def visit(self, page):
        headers = {}
        if page.htmx:
            headers = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": f"{self.host}/cases/"}
        if page.method == "POST":
            headers |= {**FORM, "X-CSRFToken": self.token}
        with self.client.request(
            page.method, page.path, name=page.label(self.role), data=urlencode(page.form) or None,
            headers=headers, allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif page.expect not in text:
                response.failure("the page's content is missing")
            else:
                response.success()
            found = HTMX_TOKEN.search(text)
            if found:
                self.token = found.group(1)


class Specialist(Person):
    role = "specialist"
    weight = ROLE_WEIGHTS[role]


class Supervisor(Person):
    role = "supervisor"
    weight = ROLE_WEIGHTS[role]


class Director(Person):
    role = "director"
    weight = ROLE_WEIGHTS[role]


class Finance(Person):
    role = "finance"
    weight = ROLE_WEIGHTS[role]


class AdminBaseline(Person):
    role = "admin"
    weight = ROLE_WEIGHTS[role]
