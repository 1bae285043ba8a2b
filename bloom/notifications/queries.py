from bloom.accounts.models import User
from bloom.notifications.models import Notification


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user)


def unread_for(user: User):
    return notifications_for(user).filter(read_at__isnull=True)
