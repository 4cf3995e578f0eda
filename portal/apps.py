from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages and answers that combine several apps: the home page, the article page and its
    API answer, the author's dashboard, demo data. It sits above every domain app and no app
    imports it (docs/architecture.md)."""

    name = "portal"
