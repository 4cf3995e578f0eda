"""A bounded fuzz run against our own OpenAPI schema (issue 22): no HTTP 500, and no answer the
schema does not describe (status, content type, body).

Schemathesis generates requests for every operation of ``/api/schema`` — valid ones and
invalid ones — with a fixed seed (Hypothesis ``derandomize``), and sends them to the WSGI
application in this process, with a fresh login for routes that need one. ``make test`` runs
``FUZZ_EXAMPLES`` (default 6) per operation and mode; ``make fuzz`` runs many more. Every
failure is collected and reported (kind, operation, request), then the test fails on any.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import TEST_USER_AGENT
from users.services import session_start
from users.tests.factories import UserFactory

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _kind(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "ServerError":
        return "HTTP 500"
    if name in ("JsonSchemaError", "UndefinedStatusCode", "UndefinedContentType", "MalformedJson"):
        return "schema violation"
    return name


def _describe(exc: BaseException, case) -> str:
    return f"{type(exc).__name__}: {str(exc)[:1200]}\n  request: {case.method} {case.formatted_path} " \
           f"query={case.query} body={str(case.body)[:300]}"


def _fuzz(operation, mode, user, failures, sent):
    needs_login = bool(operation.definition.raw.get("security"))

    @hypothesis_settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        headers = {"User-Agent": TEST_USER_AGENT}
        if needs_login:
            access, _refresh = session_start(user_id=user.id, user_agent=TEST_USER_AGENT)
            headers["Authorization"] = f"Bearer {access}"
        sent[operation.label] += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collected: every failure is reported
            for failure in getattr(exc, "exceptions", None) or [exc]:
                failures.append((_kind(failure), operation.label, mode.value, _describe(failure, case)))

    run()


def test_generated_requests_get_no_500_and_only_described_answers(transactional_db, settings):
    settings.IP_RATE_LIMIT = 0  # the limiter would answer 429 to most of the run
    settings.SMS_PROVIDERS = ["console"]
    schema = schemathesis.openapi.from_wsgi("/api/schema", get_wsgi_application())
    user = UserFactory()
    failures, sent = [], Counter()

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, user, failures, sent)
            except Exception as exc:  # no data could be generated for this mode (nothing to negate)
                if "Unsatisfiable" not in type(exc).__name__ and "generat" not in str(exc).lower():
                    raise

    report = Counter(kind for kind, *_ in failures)
    print(f"\nfuzz: {sum(sent.values())} requests over {len(sent)} operations; failures: {dict(report) or 0}")
    for kind, label, mode, detail in failures[:20]:
        print(f"--- {kind}: {label} ({mode})\n{detail}\n")
    assert sum(sent.values()) > 0
    assert not failures, f"{len(failures)} failures: {dict(report)}"
