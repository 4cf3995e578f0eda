"""The index tables, one per kind, made by the database's own full-text engine.

SQLite: FTS5 virtual tables (the indexed columns hold the bigram form, see search.text).
MariaDB/MySQL: Mroonga tables (TokenBigram: CJK in bigrams, words otherwise, case-insensitive
by the utf8mb4_unicode_ci collation). Mroonga is a plugin: when the server lacks it this
migration stops with what to do (scripts/system-deps.sh enables it on a local server).
"""

from django.db import migrations, models

TABLES = ("search_article", "search_user")

SQLITE = (
    "CREATE VIRTUAL TABLE {t} USING fts5(title, body, author, id UNINDEXED, ts UNINDEXED, version UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
# `all` (title, body, author) ranks and pages: Mroonga answers ORDER BY its score and `ts` with
# LIMIT from the index (fast order limit; `ts` must be a DATETIME for that). `doc` holds the same
# text in one column, for COUNT(*): Mroonga counts a single-column match without reading a row.
MROONGA = (
    "CREATE TABLE {t} (id BIGINT NOT NULL PRIMARY KEY, title VARCHAR(255) NOT NULL, body LONGTEXT NOT NULL, "
    "author VARCHAR(64) NOT NULL, doc LONGTEXT NOT NULL, ts DATETIME(6) NOT NULL, version VARCHAR(32) NOT NULL, "
    "FULLTEXT INDEX {t}_all (title, body, author), FULLTEXT INDEX {t}_doc (doc)) "
    "ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
)
MROONGA_MISSING = (
    "Search needs the Mroonga storage engine, which this MariaDB server does not have enabled. "
    "On Debian/Ubuntu: apt-get install mariadb-plugin-mroonga, then as the database root user: "
    "INSTALL SONAME 'ha_mroonga'; (scripts/system-deps.sh run does both on a local server). "
    "See docs/search.md."
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        ddl = SQLITE
    elif connection.vendor == "mysql":
        with connection.cursor() as cur:
            cur.execute("SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga'")
            row = cur.fetchone()
        if not row or row[0] not in ("YES", "DEFAULT"):
            raise RuntimeError(MROONGA_MISSING)
        ddl = MROONGA
    else:
        raise RuntimeError(f"search has no index for the {connection.vendor} database (docs/search.md)")
    for table in TABLES:
        schema_editor.execute(ddl.format(t=table))


def drop(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def _entry(name, table, verbose, plural):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigIntegerField(primary_key=True, serialize=False)),
            ("title", models.TextField(verbose_name="title")),
            ("ts", models.CharField(help_text="publication or sign-up time", max_length=32, verbose_name="time")),
            ("version", models.CharField(help_text="the source's update time when indexed", max_length=32,
                                         verbose_name="version")),
        ],
        options={"verbose_name": verbose, "verbose_name_plural": plural, "db_table": table, "abstract": False,
                 "managed": False},
    )


class Migration(migrations.Migration):
    initial = True
    atomic = False  # DDL of a virtual / Mroonga table; MariaDB cannot roll DDL back anyway
    dependencies = []

    operations = [
        _entry("ArticleEntry", "search_article", "indexed article", "indexed articles"),
        _entry("UserEntry", "search_user", "indexed person", "indexed people"),
        migrations.RunPython(create, drop, atomic=False),
    ]
