# Sourced by scripts/start.sh and scripts/test.sh: go to the repo root and install npm dependencies when
# they are missing or stale (the project's own Node 24 arrives with them).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is required (any Node.js >= 18 with npm; the project brings its own Node 24)." >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
