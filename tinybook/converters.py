"""Path converters shared by every app's URLs (registered in ``TinybookConfig.ready``)."""


class LooseIdConverter:
    """Any path segment reaches the view, which answers code 4 unless it is a valid id
    (``tinybook.fields.parse_path_id``): webook-fe asks for ``/articles/pub/null`` before it
    knows the id, and an invalid input is HTTP 200 code 4, never a 404.

    A route using it matches every word, so it is included after the routes that share its
    prefix (``/articles/pub/like`` and friends): see tinybook/urls.py.
    """

    regex = r"[^/]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
