#!/usr/bin/env bash
# Quick start on a fresh machine: `bash scripts/test.sh`. Installs npm dependencies when needed, then hands
# over to `npm run test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/npm-deps.sh"
exec npm run -s test -- "$@"
