#!/usr/bin/env bash
# The main job: set up if needed, then `mnist-parity compare` (arguments pass through).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
exec "$root/.venv/bin/mnist-parity" compare "$@"
