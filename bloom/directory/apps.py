from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "bloom.directory"
    label = "directory"
