from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self):
        from users import receivers, schema  # noqa: F401  (sessions end on deactivation; the bearer scheme)
