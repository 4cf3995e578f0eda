"""Path converters shared by every app's URLs (registered in ``TinybookConfig.ready``)."""


class LooseIdConverter:
    """Anything number-like reaches the view, which answers code 4 unless it is a valid id.

    Letters are not matched, so ``/articles/pub/like`` and friends (interactions) are free.
    """

    regex = r"[0-9.eE+-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
