"""`sigap chat`: talk to the bot from a terminal, through the simulator channel."""

from __future__ import annotations

import time
import uuid

import httpx
import typer


def chat(
    chat_id: str = typer.Option("1001", "--chat-id", help="Which simulated person you are."),
    url: str = typer.Option("http://127.0.0.1:8000", "--url", help="The running Sigap server."),
    wait: float = typer.Option(10.0, help="Seconds to wait for the bot's answer."),
    sender_id: str | None = typer.Option(
        None,
        "--sender-id",
        help="Write as this officer in a group chat, e.g. --chat-id officers-buton-tengah "
        "--sender-id officer-buton-tengah; then type 'klaim ADU-...' or 'jawab ADU-... text'.",
    ),
) -> None:
    """Talk to the bot through the simulator channel (the server must run with DEMO_MODE=true)."""
    with httpx.Client(base_url=url, timeout=10) as client:
        after = _show_new(client, chat_id, 0)
        typer.echo("Ketik pesan (angka pilihan, atau 'menu'); Ctrl-D untuk keluar.")
        if sender_id is None:  # an officers' chat has no menu to open
            _send(client, chat_id, "/start" if after == 0 else "0")
            after = _await_reply(client, chat_id, after, wait)
        while True:
            try:
                text = input("> ").strip()
            except (EOFError, KeyboardInterrupt):
                typer.echo("")
                return
            if text:
                _send(client, chat_id, text, sender_id)
                after = _await_reply(client, chat_id, after, wait)


def _send(client: httpx.Client, chat_id: str, text: str, sender_id: str | None = None) -> None:
    body = {
        "chat_id": chat_id,
        "text": text,
        "message_id": uuid.uuid4().hex,
        "display_name": "Terminal",
    }
    if sender_id is not None:
        body["sender_id"] = sender_id
    response = client.post("/webhooks/sim", json=body)
    if response.status_code == 404:
        raise typer.BadParameter("the server does not run the simulator: set DEMO_MODE=true")
    response.raise_for_status()


def _show_new(client: httpx.Client, chat_id: str, after: int) -> int:
    response = client.get(f"/webhooks/sim/{chat_id}/messages", params={"after": after})
    response.raise_for_status()
    for message in response.json()["messages"]:
        typer.echo(f"\n{message['text']}")
        after = max(after, int(message["id"]))
    return after


def _await_reply(client: httpx.Client, chat_id: str, after: int, wait: float) -> int:
    # The bot answers through its outbox; poll until something new arrives or we give up.
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        newest = _show_new(client, chat_id, after)
        if newest > after:
            return newest
        time.sleep(0.3)
    typer.echo("(belum ada jawaban; apakah server berjalan dengan worker?)")
    return after
