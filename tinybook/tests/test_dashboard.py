"""deploy/grafana/tinybook.json: every metric a panel queries is on /metrics, and every metric an
alert rule watches has a panel (docs/tracing.md#the-dashboard)."""

import json
import re

import pytest
import yaml
from django.conf import settings

pytestmark = pytest.mark.django_db

DASHBOARD = settings.BASE_DIR / "deploy" / "grafana" / "tinybook.json"
ALERTS = settings.BASE_DIR / "deploy" / "prometheus" / "alerts.yml"

# PromQL words that are not metric names (functions are recognised by the "(" after them).
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or",
            "unless", "inf", "nan"}
SUFFIXES = {"counter": ("", "_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
            "summary": ("", "_count", "_sum", "_created"), "gauge": ("",), "untyped": ("",)}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings (label values, legend text)
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges, $__rate_interval included
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)  # label lists
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", expr):
        name, rest = match.group(0), expr[match.end():].lstrip()
        if rest.startswith("(") or name.lower() in KEYWORDS or re.fullmatch(r"e\d*", name):
            continue  # a function, a keyword, the exponent of 1e-9
        names.add(name)
    return names


def test_metric_names_are_found_in_promql():
    assert metric_names('histogram_quantile(0.9, sum by (le, view) (rate(a_bucket{status=~"5.."}[$__rate_interval])))'
                        ) == {"a_bucket"}
    assert metric_names("time() - max(b) > 900 and max(delta(c[15m])) / clamp_min(d, 1e-9) > 0") == {"b", "c", "d"}


def _exported(client) -> set[str]:
    """Every sample name /metrics has or would have: a labelled metric nobody touched yet shows
    only its TYPE line, which names the samples its type implies."""
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _hash, _type, name, kind = line.split()
            names.update(name + suffix for suffix in SUFFIXES.get(kind, ("",)))
        elif line and not line.startswith("#"):
            names.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return names


def _panels(dashboard: dict) -> list[dict]:
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))  # panels inside a collapsed row
    return out


def _exprs(panel: dict) -> list[str]:
    return [t["expr"] for t in panel.get("targets", []) if t.get("expr")]


def test_every_metric_a_panel_queries_exists(client):
    dashboard = json.loads(DASHBOARD.read_text())
    client.get("/healthz")  # the request metrics get samples
    exported = _exported(client)
    missing = {}
    graphs = [p for p in _panels(dashboard) if p["type"] != "row"]
    assert len(graphs) >= 20
    for panel in graphs:
        exprs = _exprs(panel)
        assert exprs, f"panel {panel['title']!r} queries nothing"
        for expr in exprs:
            for name in metric_names(expr) - exported:
                missing.setdefault(name, []).append(panel["title"])
    assert not missing


def test_every_metric_an_alert_watches_has_a_panel():
    dashboard = json.loads(DASHBOARD.read_text())
    shown = {n for p in _panels(dashboard) for e in _exprs(p) for n in metric_names(e)}
    rules = [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]
    watched = {n for r in rules for n in metric_names(r["expr"])}
    assert len(watched) >= 10
    assert not sorted(watched - shown)


def test_the_dashboard_imports_with_a_chosen_prometheus():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "tinybook" and dashboard["title"] == "TinyBook"
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in _panels(dashboard)]
    assert len(ids) == len(set(ids))
    for panel in _panels(dashboard):
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
