#!/usr/bin/env bash
# Search on MariaDB needs the Mroonga storage engine (docs/search.md). This installs the Debian
# package when it is missing and enables the plugin in the MariaDB server, when it can:
#   scripts/mroonga.sh            install the package if a local MariaDB server is installed,
#                                 enable the plugin if the server is reachable as root
#   MROONGA_REQUIRED=1 ...        exit 1 when Mroonga cannot be enabled (CI)
# The server is reached with the `mariadb` client as root over 127.0.0.1 (MROONGA_DB_HOST,
# MROONGA_DB_PORT), as .ci/run does. Nothing is done to a remote database server: say so and stop.
set -u
host=${MROONGA_DB_HOST:-127.0.0.1}
port=${MROONGA_DB_PORT:-3306}
required=${MROONGA_REQUIRED:-0}
fail() { echo "mroonga: $*" >&2; [ "$required" = "1" ] && exit 1; exit 0; }

if [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
  # The embedded profile (no DATABASE_URL) needs nothing; a remote server is its admin's to set up.
  case "${DATABASE_URL:-}" in mysql://*|mariadb://*) ;; *) [ "$required" = "1" ] || exit 0 ;; esac
  fail "no MariaDB server on this machine: on the database server, install mariadb-plugin-mroonga and run INSTALL SONAME 'ha_mroonga'; as root (the embedded profile needs nothing)"
fi

plugin_dir=$( (mariadbd --verbose --help 2>/dev/null || true) | awk '$1 == "plugin-dir" {print $2}')
plugin_dir=${plugin_dir:-/usr/lib/mysql/plugin}
if [ ! -e "$plugin_dir/ha_mroonga.so" ]; then
  echo "mroonga: installing mariadb-plugin-mroonga"
  sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else fail "installing mariadb-plugin-mroonga needs root: run 'sudo apt-get install mariadb-plugin-mroonga'"; fi
  fi
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available: install the Mroonga plugin for MariaDB by hand"
  export DEBIAN_FRONTEND=noninteractive
  # The package's own post-install step enables the plugin only where /etc/mysql/debian.cnf
  # exists; it never fails the install. Enabling is done below either way.
  { $sudo apt-get install -y -qq --no-install-recommends mariadb-plugin-mroonga >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq --no-install-recommends mariadb-plugin-mroonga >/dev/null 2>&1; }; } \
    || fail "apt-get could not install mariadb-plugin-mroonga; install it by hand"
fi

command -v mariadb >/dev/null 2>&1 || fail "the mariadb client is missing (apt-get install mariadb-client): cannot enable the plugin"
db() { mariadb -h "$host" -P "$port" -u root --batch --skip-column-names -e "$1" 2>/dev/null; }
if ! db "SELECT 1" >/dev/null; then
  fail "MariaDB at $host:$port is not reachable as root without a password: enable the plugin there with INSTALL SONAME 'ha_mroonga';"
fi
support=$(db "SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga'")
if [ "$support" != "YES" ] && [ "$support" != "DEFAULT" ]; then
  db "INSTALL SONAME 'ha_mroonga'" || fail "INSTALL SONAME 'ha_mroonga' failed at $host:$port"
  support=$(db "SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga'")
  [ "$support" = "YES" ] || [ "$support" = "DEFAULT" ] || fail "the Mroonga engine is still not available at $host:$port"
  echo "mroonga: plugin enabled at $host:$port"
fi
exit 0
