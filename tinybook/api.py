"""Shared plumbing of the JSON API views: input validation, method checks."""

from rest_framework.exceptions import MethodNotAllowed

from tinybook.exceptions import InvalidInput, first_message


def valid(serializer_class, data, **kwargs) -> dict:
    """The validated data of ``serializer_class`` over ``data``; code 4 naming the field otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors, first_message(serializer.errors))
    return serializer.validated_data


class MethodFirst:
    """A mixin for API views: a method the view does not answer is 405 before anything else.

    DRF authenticates and checks permissions before it looks for the method's handler, so
    ``TRACE`` on a route that needs login answered 401, as if a token could make it work.
    """

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
