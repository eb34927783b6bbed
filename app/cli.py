"""The `sigap` command: serve, migrate, load demo data, manage staff, talk to the bot."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Annotated

import typer

from core.settings import get_settings

cli = typer.Typer(
    help="Sigap: chat bot and case service for Dinas Sosial offices.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the staff API, the webhooks and (in demo mode) the chat simulator."""
    import uvicorn

    from app.logs import configure_logging
    from app.main import create_app

    settings = get_settings()
    configure_logging()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", log_config=None)


@cli.command()
def worker() -> None:
    """Run the bot's workers (processor, senders, timers) without the web server: more of
    these on one PostgreSQL database share the work; run the web server with RUN_WORKERS=false
    where its own worker is not wanted."""
    import asyncio

    from app.logs import configure_logging
    from app.worker import serve_worker

    settings = get_settings()
    configure_logging()
    asyncio.run(serve_worker(settings))


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Bring the database schema up to date."""
    from app.migrate import upgrade

    upgrade(get_settings().sqlalchemy_url, revision)
    typer.echo("database is up to date")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Step the schema back to REVISION (e.g. 'base')."""
    from app.migrate import downgrade

    downgrade(get_settings().sqlalchemy_url, revision)
    typer.echo(f"database downgraded to {revision}")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo offices, people, proposals and staff (idempotent)."""
    from core.db import make_engine, unit_of_work
    from services.catalogue import load_catalogue
    from services.catalogue_sync import apply_catalogue
    from services.demo import load_demo

    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    catalogue = load_catalogue(settings.catalogue_dir)
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=catalogue)
        summary = load_demo(session=session, catalogue=catalogue, now=datetime.now(UTC))
    engine.dispose()
    typer.echo(summary)


@cli.command("create-staff")
def create_staff(
    username: Annotated[str, typer.Argument()],
    office: Annotated[str, typer.Option(help="Office code (e.g. 73.08) or slug (e.g. bone).")],
    role: Annotated[str, typer.Option(help="operator, complaint_officer, supervisor, head, admin")],
    full_name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
) -> None:
    """Create a staff account; the password is asked for, never passed on the command line."""
    from sqlmodel import select

    from core.db import make_engine, unit_of_work
    from models import Office
    from services.errors import DomainError
    from services.staff import create_staff as create

    password = getpass.getpass("Password: ")
    if len(password) < 8 or password != getpass.getpass("Again: "):
        raise typer.BadParameter("passwords must match and have at least 8 characters")
    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            row = session.exec(
                select(Office).where((Office.code == office) | (Office.slug == office))
            ).first()
            if row is None:
                raise typer.BadParameter(f"no office {office!r}; run 'sigap seed-demo' first")
            create(
                session=session,
                office_id=row.id or 0,
                username=username,
                full_name=full_name or username,
                role=role,
                password=password,
            )
    except DomainError as exc:
        raise typer.BadParameter(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(f"created {role} {username} at {office}")


def main() -> None:
    from bot.cli import register

    register(cli)
    cli()
