"""Fixtures: one emulator per test session, started by ../start on a free port and stopped by
../stop; --parent-pid makes sure it goes away even if pytest is killed. Every test starts from
an empty emulator (moto's /moto-api/reset)."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LOCALSTACK = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(LOCALSTACK))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def endpoint():
    port = free_port()
    out = subprocess.run(
        [str(LOCALSTACK / "start"), "--port", str(port), "--parent-pid", str(os.getpid())],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"emulator ready on http://127.0.0.1:{port}\n"
    yield f"http://127.0.0.1:{port}"
    subprocess.run([str(LOCALSTACK / "stop"), "--port", str(port)], check=True, timeout=30)


@pytest.fixture(autouse=True)
def reset(request):
    if "endpoint" in request.fixturenames:
        endpoint = request.getfixturevalue("endpoint")
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    yield


@pytest.fixture
def cw(endpoint):
    from helpers import CborClient

    return CborClient(endpoint)


@pytest.fixture
def boto(endpoint):
    from helpers import boto_client

    return lambda service, region="us-east-1": boto_client(service, endpoint, region)
