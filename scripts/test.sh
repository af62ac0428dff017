#!/usr/bin/env bash
# Install the platform with its test dependencies and run lint + the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system_packages.sh
bash scripts/install.sh test
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
