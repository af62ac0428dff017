#!/usr/bin/env bash
# Create .venv in the checkout and install the platform into it.
#   scripts/install.sh          runtime dependencies
#   scripts/install.sh test     plus what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch first: a looser pin makes pip fetch a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet torch==2.13.0
if [ "$extra" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
