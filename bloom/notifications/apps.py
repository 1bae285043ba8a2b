from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bloom.notifications"
    label = "notifications"
