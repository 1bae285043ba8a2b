import time

from django.conf import settings
from django.db import connection


class CleanHeadersMiddleware:
    """Drop NUL characters from request headers before anything stores them.

    PostgreSQL refuses NUL in text, so a browser string or a forged header carrying one
    must not turn a sign-in or an access-log entry into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, value in list(request.META.items()):
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                request.META[key] = value.replace("\x00", "")
        return self.get_response(request)


class ServerTimingMiddleware:
    """With BLOOM_SERVER_TIMING on, report each response's server and SQL time in a header.

    ``Server-Timing: app;dur=12.3, db;dur=4.1, queries;desc="13"``: the time the whole
    middleware stack took, the time spent in SQL, and how many queries ran. Browsers show
    it in their developer tools; ``make bench`` reads it for every request. It sits first
    in MIDDLEWARE so that it times everything below it, session saving included.

    Off by default: timings tell a visitor how much work a page did, which is nobody's
    business in production. The setting is read per request, so switching it costs nothing
    when it is off and tests can turn it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.BLOOM_SERVER_TIMING:
            return self.get_response(request)
        sql = _SQLTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(sql):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={total:.1f}, db;dur={sql.seconds * 1000:.1f}, queries;desc="{sql.count}"'
        return response


class _SQLTimer:
    """A ``connection.execute_wrapper`` that counts queries and adds up their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started
