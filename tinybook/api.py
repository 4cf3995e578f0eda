"""Shared plumbing of the JSON API views: input validation."""

from tinybook.exceptions import InvalidInput, first_message


def valid(serializer_class, data, **kwargs) -> dict:
    """The validated data of ``serializer_class`` over ``data``; code 4 naming the field otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors, first_message(serializer.errors))
    return serializer.validated_data
