#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinybook.settings")
    from django.core.management import execute_from_command_line

    from tinybook import tracing

    tracing.setup()  # only if OTEL_TRACES_EXPORTER names an exporter (docs/tracing.md)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
