"""The endpoints `make bench` measures, each against a baseline answer of its size."""


def build(base, env, workdir):
    """Scenario dicts: name, path (what wrk hits), probe_path (a request whose body size the
    baseline mimics), optional a_script (a wrk Lua file) and after (a check run afterwards)."""
    return [
        {"name": "GET /healthz", "path": "/healthz", "probe_path": "/healthz"},
    ]


def extras(env, workdir):
    """Measurements that are not HTTP endpoints (e.g. consumer throughput); yields lines."""
    return []
