#!/usr/bin/env bash
# Creates .venv with the kit installed (editable, with the test extra) when it is
# missing or pyproject.toml changed since the last install. Sourced by the other scripts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: $python is missing or older than 3.11; set PYTHON=/path/to/python3.11+" >&2
  exit 1
fi
stamp="$venv/.installed-$(sha256sum "$root/pyproject.toml" | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  echo "setup: installing the kit into $venv (first run takes a minute or two)" >&2
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet -e "$root[test]" >&2
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
