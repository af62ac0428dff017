"""Real PostgreSQL and Redis for the store tests.

The URLs come from ``WEALTHBOT_TEST_POSTGRES_URL`` / ``WEALTHBOT_TEST_REDIS_URL`` (see
``scripts/services.sh``); when unset, a session fixture starts throwaway servers with that same
script (``--no-install``) and stops them afterwards. Without the server binaries the tests that
need them skip, naming the script.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVICES_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "services.sh"
_HOW_TO = 'install and start them with: eval "$(sudo bash scripts/services.sh start)"'


def _start_service(name: str, env_name: str) -> Iterator[str]:
    if os.environ.get(env_name):
        yield os.environ[env_name]
        return
    started = time.perf_counter()
    # the script makes its own temp folder: pytest's are private to root, and postgres runs as postgres
    done = subprocess.run(
        ["bash", str(SERVICES_SCRIPT), "start", "--no-install", name],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode == 3:
        pytest.skip(f"{name} is not installed and {env_name} is unset; {_HOW_TO}")
    if done.returncode != 0:
        pytest.fail(f"scripts/services.sh could not start {name}:\n{done.stderr}")
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in done.stdout.splitlines()
        if line.startswith("export ")
    )
    print(f"\n{name} server started in {time.perf_counter() - started:.2f} s")
    try:
        yield exports[env_name]
    finally:
        folder = exports["WEALTHBOT_TEST_SERVICES_DIR"]
        subprocess.run(["bash", str(SERVICES_SCRIPT), "stop", folder], capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server whose user may create databases."""
    yield from _start_service("postgres", "WEALTHBOT_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """URL of a Redis server."""
    yield from _start_service("redis", "WEALTHBOT_TEST_REDIS_URL")


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    pytest.importorskip("psycopg", reason='PostgreSQL tests need psycopg: pip install "psycopg[binary]"')
    name = f"wbtest_{uuid.uuid4().hex[:12]}"
    server = make_url(postgres_server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix no other test uses."""
    return f"wbtest:{uuid.uuid4().hex[:12]}:"
