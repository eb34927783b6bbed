"""The baseline: a bare FastAPI endpoint that reads the same JSON and answers 200."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/webhooks/telegram")
async def bare(request: Request) -> dict[str, Any]:
    await request.json()
    return {"ok": True}


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
