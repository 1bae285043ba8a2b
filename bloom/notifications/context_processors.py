from django.utils.functional import SimpleLazyObject

from bloom.notifications.queries import header_for


def notifications(request):
    """The header's unread notifications, loaded only if a template asks for them (and then
    usually already loaded with the signed-in user: see ``queries.header_rows``)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"header_notifications": SimpleLazyObject(lambda: header_for(request.user))}
