from prometheus_client import Counter, Histogram

QUERIES = Counter("tinybook_search_queries_total", "Search queries answered, by type (article/user)", ["type"])
QUERY_SECONDS = Histogram(
    "tinybook_search_query_seconds",
    "Time to answer one search (engine, live filter, items and highlights), by type",
    ["type"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
# action: upsert / delete / failed
INDEX_UPDATES = Counter(
    "tinybook_search_index_updates_total", "Documents written to or removed from the search index", ["kind", "action"]
)
