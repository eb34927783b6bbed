"""The wheel is all Sigap needs: built from this tree, installed into a fresh virtualenv, it
migrates, loads the demo and serves from a directory that is not the repository.

The one slow test of the suite (about a minute on a busy two-core machine): it builds the
wheel and a fresh virtualenv. It runs offline: the dependencies are taken from this test
environment's own installed packages (the releases constraints.txt pins), re-packed as wheels,
so pip installs with --no-index, and a dependency that is not declared is not installed.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.fakes.loopback import free_port

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".git", "build", "dist", "var", "tests", "bench", "__pycache__"}


def build_wheel(into: Path) -> Path:
    """From a clean copy of the tree, so a stale build/ cannot add or hide a file."""
    source = into / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=lambda _dir, names: [n for n in names if n in SKIP or n.endswith(".egg-info")],
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(into), str(source)],
        check=True,
    )  # fmt: skip
    return next(into.glob("sigap-*.whl"))


def _requires(requirements: list[str], extras: set[str]) -> Iterator[Requirement]:
    for text in requirements:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in extras | {""}):
            yield requirement


def dependency_closure(wheel: Path) -> list[metadata.Distribution]:
    """The installed distributions the wheel's declared requirements reach, extras included."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        declared = Parser().parsestr(archive.read(name).decode()).get_all("Requires-Dist") or []
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [(r, set(r.extras)) for r in _requires(declared, set())]
    while pending:
        requirement, extras = pending.pop()
        key = canonicalize_name(requirement.name)
        if (key, frozenset(extras)) in seen:
            continue
        seen.add((key, frozenset(extras)))
        dist = metadata.distribution(requirement.name)
        assert requirement.specifier.contains(dist.version, prereleases=True), (
            f"{requirement} is declared but {dist.version} is what the tests ran"
        )
        found[key] = dist
        pending += [(r, set(r.extras)) for r in _requires(dist.requires or [], extras)]
    return list(found.values())


def repack(dist: metadata.Distribution, into: Path) -> None:
    """An installed distribution back into a wheel: its RECORD lists the files; scripts are
    left out (pip writes them again from entry_points.txt)."""
    record = next(
        f for f in dist.files or [] if f.name == "RECORD" and f.parent.name.endswith(".dist-info")
    )
    info = Path(str(record.locate())).parent
    site = Path(str(dist.locate_file("")))
    tags = [
        line.split(":", 1)[1].strip().split("-")
        for line in (info / "WHEEL").read_text().splitlines()
        if line.startswith("Tag:")
    ]
    # py2-none-any and py3-none-any become py2.py3-none-any, as the file name says it.
    tag = "-".join(".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3))
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    with (info / "RECORD").open(newline="") as record:
        files = [row[0] for row in csv.reader(record) if row]
    with zipfile.ZipFile(into / f"{name}-{dist.version}-{tag}.whl", "w") as archive:
        for file in files:
            if file.startswith("..") or "__pycache__" in file or not (site / file).is_file():
                continue
            archive.write(site / file, file)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; returns its bin directory."""
    work = tmp_path_factory.mktemp("packaging")
    wheel = build_wheel(work)
    wheelhouse = work / "wheelhouse"
    wheelhouse.mkdir()
    for dist in dependency_closure(wheel):
        repack(dist, wheelhouse)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-index", "--find-links", str(wheelhouse),
         "--constraint", str(ROOT / "constraints.txt"), str(wheel)],
        check=True,
    )  # fmt: skip
    return venv / "bin"


def _env(database: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "DATABASE_URL": database,
        "DEMO_MODE": "true",
    }


@pytest.mark.timeout(600)
def test_the_installed_wheel_migrates_loads_the_demo_and_serves(
    installed: Path, tmp_path: Path
) -> None:
    office = tmp_path / "office"
    office.mkdir()
    env = _env(f"sqlite:///{office / 'sigap.db'}")

    def sigap(*args: str) -> str:
        done = subprocess.run(
            [str(installed / "sigap"), *args],
            cwd=office,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [str(installed / "python"), "-c", "import app, catalogue; print(app.__file__)"],
        cwd=office, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(installed.parent)), where

    assert "up to date" in sigap("db", "upgrade")
    sigap("seed-demo")

    port = free_port()
    server = subprocess.Popen(
        [str(installed / "sigap"), "serve", "--port", str(port)],
        cwd=office,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "sigap serve did not answer in 90 s"
                time.sleep(0.5)
        assert health.status_code == 200 and health.json()["database"] == "ok"
        login = httpx.get(f"{base}/staff/login", timeout=10)
        assert login.status_code == 200 and "<form" in login.text
        assert httpx.get(f"{base}/simulator", timeout=10).status_code == 200
        assert httpx.get(f"{base}/docs-assets/swagger-ui-bundle.js", timeout=10).is_success
    finally:
        server.terminate()
        server.wait(timeout=30)
