"""The deployment files run only commands that exist: compose.yaml, the Dockerfile and the
systemd units are read, and every `sigap ...` they start is checked against the real command
line (its sub-command and options parsed, with --help so nothing runs)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy").glob("*.service"))

CHECK = """
import json, sys
from typer.testing import CliRunner
from app.cli import cli
from bot.cli import register
register(cli)
runner = CliRunner()
codes = [runner.invoke(cli, [*args, "--help"]).exit_code for args in json.load(sys.stdin)]
print(json.dumps(codes))
"""


def unknown_invocations(invocations: list[list[str]]) -> list[list[str]]:
    """The argument lists (after `sigap`) that the real command line refuses."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        input=json.dumps(invocations),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    codes = json.loads(done.stdout)
    return [args for args, code in zip(invocations, codes, strict=True) if code != 0]


def sigap_arguments(command: list[str]) -> list[str]:
    assert Path(command[0]).name == "sigap", f"not a sigap command: {command}"
    return command[1:]


def compose_commands() -> dict[str, list[str]]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    found = {}
    for name, service in compose["services"].items():
        if "image" in service and service["image"].startswith("postgres"):
            continue
        command = service.get("entrypoint") or service.get("command")
        assert isinstance(command, list), f"{name}: give the command as a list"
        found[name] = command
    return found


def dockerfile_command() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    (cmd,) = [line for line in lines if line.startswith("CMD ")]
    return list(json.loads(cmd.removeprefix("CMD ")))


def unit_commands(path: Path) -> list[list[str]]:
    """ExecStart= and ExecStartPre= lines, as systemd splits them (its prefixes dropped)."""
    commands = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in {"ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload"}:
            commands.append(shlex.split(value.strip().lstrip("-@:+!")))
    return commands


def readme_commands() -> list[list[str]]:
    """`sigap ...` lines in the shell blocks of README's "Going live" (after `exec web`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Going live", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in section.split("```sh")[1:]:
        for line in block.split("```", 1)[0].splitlines():
            words = shlex.split(line.split("#", 1)[0])
            if "sigap" in words and "alias" not in words:
                start = words.index("sigap")
                if start == 0 or words[:start] == ["docker", "compose", "exec", "web"]:
                    commands.append(words[start:])
    return commands


BAD = [["serv"], ["serve", "--bogus"]]


@pytest.fixture(scope="module")
def refused() -> list[list[str]]:
    """Every command the files run, and two made-up ones, checked in one go."""
    invocations = [sigap_arguments(c) for c in compose_commands().values()]
    invocations.append(sigap_arguments(dockerfile_command()))
    for unit in UNITS:
        invocations += [sigap_arguments(c) for c in unit_commands(unit)]
    invocations += [sigap_arguments(c) for c in readme_commands()]
    return unknown_invocations([*invocations, *BAD])


def test_the_check_catches_what_does_not_exist(refused: list[list[str]]) -> None:
    assert [args for args in refused if args in BAD] == BAD


class TestCompose:
    def test_postgres_a_one_shot_migration_and_the_web_server(self) -> None:
        compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
        services = compose["services"]
        assert services["db"]["image"].startswith("postgres:")
        assert services["migrate"]["command"] == ["sigap", "db", "upgrade"]
        assert services["migrate"]["restart"] == "no"
        web = services["web"]
        assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert web["env_file"] == ".env"
        assert web["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert "pgdata" in compose["volumes"]

    def test_every_command_is_a_real_sigap_command(self, refused: list[list[str]]) -> None:
        commands = compose_commands()
        assert {"migrate", "web", "worker"} <= commands.keys()
        assert [sigap_arguments(c) for c in commands.values() if c[1:] in refused] == []


class TestDockerfile:
    def test_a_slim_non_root_image_built_from_the_wheel_with_the_constraints(self) -> None:
        text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
        assert text.count("FROM python:3.11-slim") == 2
        assert "pip wheel --no-deps" in text
        assert "--constraint /constraints.txt /wheels/*.whl" in text
        assert "\nUSER sigap\n" in text and "HEALTHCHECK" in text and "/healthz" in text

    def test_its_cmd_is_a_real_sigap_command(self, refused: list[list[str]]) -> None:
        command = dockerfile_command()
        assert command[:2] == ["sigap", "serve"]
        assert sigap_arguments(command) not in refused


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_a_systemd_unit_starts_a_real_sigap_command(unit: Path, refused: list[list[str]]) -> None:
    commands = unit_commands(unit)
    assert commands, f"{unit.name} has no ExecStart"
    assert [c for c in commands if sigap_arguments(c) in refused] == []


def test_the_going_live_commands_in_the_readme_exist(refused: list[list[str]]) -> None:
    commands = readme_commands()
    assert ["sigap", "db", "upgrade"] in commands
    assert {c[1] for c in commands} >= {"create-staff", "link-code", "set-webhook"}
    assert [c for c in commands if sigap_arguments(c) in refused] == []
