#!/usr/bin/env bash
# The test suite: set up if needed, then pytest (fast layers; add `-m slow` for full recipes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
exec "$root/.venv/bin/python" -m pytest "$@"
