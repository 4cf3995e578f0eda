"""Shared plumbing of the JSON API views: input validation."""

from tinybook.exceptions import InvalidInput, first_message, labelled


def _first_error(errors: dict) -> tuple[str, object]:
    field, value = next(iter(errors.items()))
    while isinstance(value, list | dict) and value:
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
    return field, value


def valid(serializer_class, data, **kwargs) -> dict:
    """The validated data of ``serializer_class`` over ``data``; code 4 naming the field otherwise.

    The field is named by its ``label`` when the serializer gives one (translated with the
    message, so a Chinese message carries a Chinese field name), else by its name on the wire.
    """
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return serializer.validated_data
    errors = serializer.errors
    field, error = _first_error(errors)
    spec = serializer.fields.get(field)
    if spec is None:  # non_field_errors and the like: the message alone
        raise InvalidInput(errors, first_message(errors))
    label = spec._kwargs.get("label") or field  # DRF fills in a capitalised name: only an explicit one
    raise InvalidInput(errors, labelled(label, error))
