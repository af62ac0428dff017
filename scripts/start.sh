#!/usr/bin/env bash
# Set up and run the platform on embedded defaults: install, train all four robots,
# serve them on http://127.0.0.1:5005 (chat widget demo at /, REST, WebSocket, voice gateway,
# POST /model/parse, docs at /docs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/wealthbot serve "$@"
