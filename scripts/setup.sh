#!/usr/bin/env bash
# Installs what the service and its tests need on a fresh machine, and does
# nothing when it is already there. Run by `npm start`, `npm test` and
# `npm run check` before they start (npm's pre-scripts), and by .ci/run.
# `--test` (from `npm test` and `npm run check`) adds what only the tests
# need; `--bench` (from `npm run bench`) what only the benchmark needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages from Debian (apt): "command:package" pairs, installed when the command is missing.
APT_NEEDS=(
  "chromium:chromium"                                # browser tests of the pages
  "chromium-headless-shell:chromium-headless-shell"  # renders the PDF handouts
  "pdftotext:poppler-utils"                          # tests read the PDFs back
)
# Only for the tests: Caddy, the TLS proxy the compose file runs, in front of the service;
# Redis, which carries the handout queue to the render workers; psql, which runs compose's
# database init script (deploy/postgres-init) in the production test.
if [ "${1:-}" = "--test" ]; then
  APT_NEEDS+=("caddy:caddy" "redis-server:redis-server" "psql:postgresql-client")
fi
# Only for `npm run bench`, not for running or testing the service: wkhtmltopdf renders the
# same handout HTML for comparison with Chromium. Headless without an X server (Qt's
# offscreen platform), so no xvfb.
if [ "${1:-}" = "--bench" ]; then
  APT_NEEDS+=("wkhtmltopdf:wkhtmltopdf")
fi
apt_packages=()
for entry in "${APT_NEEDS[@]:-}"; do
  [ -z "$entry" ] && continue
  command -v "${entry%%:*}" >/dev/null 2>&1 || apt_packages+=("${entry#*:}")
done
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${apt_packages[*]}. Install them with: sudo apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${apt_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  # Debian starts Caddy (ports 80 and 443) and Redis as system services; the tests start their own.
  if command -v systemctl >/dev/null 2>&1; then
    for service in caddy redis-server; do
      [[ " ${apt_packages[*]} " == *" $service "* ]] && systemctl disable --now "$service" >/dev/null 2>&1 || true
    done
  fi
fi

# Node dependencies, exactly as locked; again only when package-lock.json changed.
stamp=node_modules/.install-stamp
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "Installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
