#!/usr/bin/env bash
# Installs the Debian packages TinyBook needs, when they are missing and apt-get can.
#   scripts/system-deps.sh run    build deps for mysqlclient, gettext for translations
#   scripts/system-deps.sh test   the same plus Chromium for the browser tests
#   scripts/system-deps.sh bench  the same plus wrk and the MariaDB client for `make bench`
# Every mode also sees to MariaDB's Mroonga plugin, which search needs in the services profile
# (scripts/mroonga.sh: installed and enabled where a local server runs, said clearly where not).
set -u
"$(dirname "$0")/mroonga.sh"
need=()
pkg-config --version >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists libmariadb 2>/dev/null || pkg-config --exists mariadb 2>/dev/null \
  || pkg-config --exists mysqlclient 2>/dev/null || need+=(libmariadb-dev)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "${1:-run}" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
if [ "${1:-run}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "system packages missing: ${need[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available: install ${need[*]} with your package manager, then run make again." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "installing ${need[*]} needs root: run 'sudo apt-get install ${need[*]}', then make again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || { echo "apt-get could not install ${need[*]}; install them by hand, then run make again." >&2; exit 1; }
echo "installed: ${need[*]}"
