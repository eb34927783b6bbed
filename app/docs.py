"""The staff API's docs (Swagger UI at /docs, ReDoc at /redoc) from files in the wheel.

FastAPI's own pages load their scripts from a CDN, which leaves /docs blank in an office with
poor or no internet. fastapi-offline ships the same Swagger UI and ReDoc bundles as package
data; they are served from /docs-assets. The pages also carry a Content-Security-Policy that
keeps the browser on this server: ReDoc's footer asks for a logo from its CDN, which would
otherwise be a request out of the office on every visit.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/docs-assets"
# Both UIs start from an inline script and inject their styles; ReDoc runs a worker from blob:.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


def _local_only(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = POLICY
    return response


def install(app: FastAPI) -> None:
    """Call on an app made with ``docs_url=None, redoc_url=None``."""
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _local_only(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=f"{root}{oauth2_redirect}",
                swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{root}{PREFIX}/favicon.png",
                # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
                swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
            )
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _local_only(
            get_redoc_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{PREFIX}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{PREFIX}/favicon.png",
                with_google_fonts=False,
            )
        )
