from django.utils.functional import SimpleLazyObject

from bloom.notifications.queries import unread_for

HEADER_LIMIT = 5


def notifications(request):
    """The header's unread notifications, loaded only if a template asks for them."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def header():
        unread = list(unread_for(request.user)[: HEADER_LIMIT + 1])
        return {"items": unread[:HEADER_LIMIT], "more": len(unread) > HEADER_LIMIT, "count": len(unread)}

    return {"header_notifications": SimpleLazyObject(header)}
