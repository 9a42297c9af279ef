#!/usr/bin/env bash
# Prepare a fresh machine for PayQR: pnpm (pinned), dependencies, and with --browser the
# Chromium and zbarimg the browser tests use (Debian packages; never a downloaded browser).
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.stdout.write(String(a>20||(a===20&&b>=19)))')
if [ "$node_ok" != "true" ]; then
  echo "PayQR needs Node.js ≥ 20.19 (found $(node -v))." >&2
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "› installing pnpm $PNPM_VERSION"
  # corepack is not usable here and pnpm 11 does not run on Node 20: install the pinned one.
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

if [ "$want_browser" = 1 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "› installing ${missing[*]} from Debian's packages"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "The browser tests need: ${missing[*]} (e.g. sudo apt-get install -y ${missing[*]})." >&2
      exit 1
    fi
  fi
fi

# better-sqlite3 builds from source; node-gyp cannot download headers here, use the system's.
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
export NEXT_TELEMETRY_DISABLED=1
echo "› installing dependencies"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^(Progress|\s*$)' | tail -n 5
