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
