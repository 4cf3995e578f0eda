"""The endpoints `make bench` measures, each against a baseline answer of its size.

Data: ``seed_demo`` has run (run.py); ``prepare.py`` picks published article ids and users from
it and opens one real login session per user. Each scenario is a dict: ``name``, ``path`` (what
wrk hits), ``probe_path`` (+ ``probe_method``/``probe_body``/``headers``: one request whose body
size the baseline mimics), optional ``a_script`` (a wrk Lua file) and ``after`` (a check run
afterwards, returning a line to print).
"""

import json
import random
import subprocess
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
UA = "tinybook-bench/1.0"

ARTICLES = 200  # distinct articles the detail scenario cycles over (all warm)
USERS = 200  # distinct logged-in users for the profile and like scenarios
COMMENTS = 2000  # comments on the article whose comment list is measured


def _run_json(args, env):
    done = subprocess.run([PY, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _lua(value):
    """A Lua literal: strings as JSON strings (ASCII here: ids, tokens, JSON bodies), lists as tables."""
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    return json.dumps(value)


# Appended to a wrk script: answers that are not a code-0 envelope are counted (wrk itself
# only sees HTTP statuses, and the API answers refusals with HTTP 200 code 4), and the total
# is printed as "code_errors N", which run.py reports next to non-2xx.
CODE_CHECK = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
bad = 0
function response(status, headers, body)
  if not string.find(body, '"code":0', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("code_errors %d\\n", total))
end
"""


def _lua_list(name, values):
    return f"local {name} = {{\n" + ",\n".join(_lua(v) for v in values) + "\n}\n"


def _write(workdir, name, text):
    path = Path(workdir) / name
    path.write_text(text)
    return str(path)


def _token_get(workdir, name, path, tokens, check=True):
    """A wrk script: ``GET path``, each request with the next of ``tokens``."""
    return _write(workdir, name, _lua_list("tokens", tokens) + f"""
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "{path}", {{ ["User-Agent"] = "{UA}", ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] }})
end
""" + (CODE_CHECK if check else ""))


def _get(base, path, headers=None):
    req = urllib.request.Request(base + path, headers={"User-Agent": UA, **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read()


def _post(base, path, body, headers=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"User-Agent": UA, "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        answer = json.loads(resp.read())
    if answer.get("code") != 0:
        raise SystemExit(f"{path} answered {answer}")
    return answer


# Every endpoint of the run, in its order: what --only chooses from (``build`` answers these).
NAMES = (
    "GET /healthz",
    "GET /articles/pub/<id> (anonymous, warm)",
    "GET /ranking/hot",
    "GET /ranking/likes?n=10",
    "GET /users/profile (token)",
    "POST /articles/pub/like (like/unlike)",
    "GET /comments/list (2000 comments warm)",
    "POST /comments/create",
    "GET /feed (a token following 5+ authors)",
    "GET /search?q=orchard",
    "GET /search?q=winter tea",
)


def build(base, env, workdir):
    data = _run_json(["scripts/bench/prepare.py", str(ARTICLES), str(USERS)], env)
    ids, tokens = data["article_ids"], data["tokens"]
    print(f"prepared: {len(ids)} published articles, {len(tokens)} sessions, hot list: {data['hot']}", flush=True)

    # Warm the reader copies (the scenario is "warm cache") and each user's profile cache.
    for article_id in ids:
        _get(base, f"/articles/pub/{article_id}")
    for token in tokens:
        _get(base, "/users/profile", {"Authorization": f"Bearer {token}"})

    pub_script = _write(workdir, "pub.lua", _lua_list("paths", [f"/articles/pub/{i}" for i in ids]) + """
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], { ["User-Agent"] = "tinybook-bench/1.0" })
end
""" + CODE_CHECK)
    # /users/profile answers webook's bare profile object, not an envelope: no code check.
    profile_script = _token_get(workdir, "profile.lua", "/users/profile", tokens, check=False)
    # Every user likes the same article, then every user takes it back, round and round: the
    # worst case for the counter row (one hot row), and each request changes state.
    liked = ids[0]
    likes = [[t, json.dumps({"id": liked, "like": True})] for t in tokens]
    likes += [[t, json.dumps({"id": liked, "like": False})] for t in tokens]
    like_script = _write(workdir, "like.lua", _lua_list("items", likes) + """
local n = 0
request = function()
  n = n + 1
  local item = items[(n % #items) + 1]
  return wrk.format("POST", "/articles/pub/like",
    { ["User-Agent"] = "tinybook-bench/1.0", ["Authorization"] = "Bearer " .. item[1], ["Content-Type"] = "application/json" }, item[2])
end
""" + CODE_CHECK)

    def check_likes():
        # Whatever state the load left, the first 50 users now like the article for sure: the
        # check below compares non-trivial numbers (counter == live like rows >= 50 == cache
        # == ranking score).
        for token in tokens[:50]:
            _post(base, "/articles/pub/like", {"id": liked, "like": True}, {"Authorization": f"Bearer {token}"})
        verdict = _run_json(["scripts/bench/prepare.py", "check-likes", str(liked)], env)
        verdict["exact"] = verdict["exact"] and verdict["like_rows"] >= 50
        state = "exact" if verdict["exact"] else "NOT EXACT"
        return f"like counts {state}: {verdict}"

    # Comments: one article with 2,000 comments, its first page listed warm; posting spreads
    # over the users onto another article, every text different (the duplicate refusal).
    listed, posted = ids[1], ids[2]
    seeded = _run_json(["scripts/bench/prepare.py", "seed-comments", str(listed), str(COMMENTS)], env)
    print(f"prepared: {seeded['comments']} comments on article {listed}", flush=True)
    _get(base, f"/comments/list?biz=article&bizId={listed}")  # warm
    post_script = _write(workdir, "comment.lua", _lua_list("tokens", tokens) + f"""
local n = 0
request = function()
  n = n + 1
  -- tid: this run's start time and wrk thread (set below): no two threads, and no two runs
  -- within the duplicate window, send the same text.
  local body = '{{"biz":"article","bizId":{posted},"content":"bench comment ' .. tostring(tid) .. ' ' .. n .. '"}}'
  return wrk.format("POST", "/comments/create",
    {{ ["User-Agent"] = "tinybook-bench/1.0", ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1], ["Content-Type"] = "application/json" }}, body)
end
""" + CODE_CHECK + """
local started = 0
local count_setup = setup
function setup(thread)
  started = started + 1
  thread:set("tid", os.time() .. "-" .. started)
  count_setup(thread)
end
""")

    def check_comments():
        verdict = _run_json(["scripts/bench/prepare.py", "check-comments", str(posted)], env)
        return f"comment count {'exact' if verdict['exact'] else 'NOT EXACT'}: {verdict}"

    # The feed: readers who follow several authors each, their inboxes warm (docs/relations.md).
    feed_tokens = data["feed_tokens"]
    if not feed_tokens:
        raise SystemExit("no bench user follows 5 authors: seed_demo built no follow graph")
    for token in feed_tokens:
        _get(base, "/feed?limit=10", {"Authorization": f"Bearer {token}"})
    feed_script = _token_get(workdir, "feed.lua", "/feed?limit=10", feed_tokens)
    # Search: one word and two words over the bench's articles, warm (docs/search.md).
    searches = {"one word": "/search?q=orchard", "two words": "/search?q=winter%20tea"}
    for query in searches.values():
        if not json.loads(_get(base, query))["data"]["total"]:
            raise SystemExit(f"{query} finds nothing in the bench data")

    auth = {"Authorization": f"Bearer {tokens[0]}"}
    built = [
        {"name": "GET /healthz", "path": "/healthz", "probe_path": "/healthz"},
        {"name": "GET /articles/pub/<id> (anonymous, warm)", "path": "/", "a_script": pub_script,
         "probe_path": f"/articles/pub/{ids[0]}"},
        {"name": "GET /ranking/hot", "path": "/ranking/hot", "probe_path": "/ranking/hot"},
        {"name": "GET /ranking/likes?n=10", "path": "/ranking/likes?n=10", "probe_path": "/ranking/likes?n=10"},
        {"name": "GET /users/profile (token)", "path": "/", "a_script": profile_script,
         "probe_path": "/users/profile", "headers": auth},
        {"name": "POST /articles/pub/like (like/unlike)", "path": "/", "a_script": like_script, "method": "POST",
         "probe_path": "/articles/pub/like", "probe_method": "POST", "headers": auth,
         "probe_body": {"id": liked, "like": False}, "after": check_likes},
        {"name": "GET /comments/list (2000 comments warm)",
         "path": f"/comments/list?biz=article&bizId={listed}", "probe_path": f"/comments/list?biz=article&bizId={listed}"},
        {"name": "POST /comments/create", "path": "/", "a_script": post_script, "method": "POST",
         "probe_path": f"/comments/list?biz=article&bizId={posted}&limit=1", "after": check_comments},
        {"name": "GET /feed (a token following 5+ authors)", "path": "/", "a_script": feed_script,
         "probe_path": "/feed?limit=10", "headers": {"Authorization": f"Bearer {feed_tokens[0]}"}},
        {"name": "GET /search?q=orchard", "path": searches["one word"], "probe_path": searches["one word"]},
        {"name": "GET /search?q=winter tea", "path": searches["two words"], "probe_path": searches["two words"]},
    ]
    if tuple(b["name"] for b in built) != NAMES:
        raise SystemExit("scripts/bench/scenarios.py: NAMES and the endpoints built differ")
    return built


def extras(env, workdir, events=200_000):
    """Consumer throughput, on a Redis db of its own so the running consumer stays out of it."""
    base, _, db = env["REDIS_URL"].rpartition("/")
    consumer_env = {**env, "REDIS_URL": f"{base}/{int(db) + 1}"}
    ids = _run_json(["scripts/bench/prepare.py", str(2000), "0"], env)["article_ids"]
    random.seed(7)
    Path(workdir, "events.json").write_text(json.dumps([random.choice(ids) for _ in range(events)]))
    result = _run_json(["scripts/bench/consumer.py", str(Path(workdir, "events.json"))], consumer_env)
    state = "exact" if result["exact"] else "NOT EXACT"
    yield (
        f"read-event consumer: {result['events']} events in {result['seconds']:.2f} s = "
        f"{result['events_per_s']:.0f} events/s (batch {result['batch_size']}); counts {state}"
    )
