from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bloom.accounts"
    label = "accounts"
