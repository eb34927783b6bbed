"""The `sigap` command: serve, migrate, load demo data, manage staff, talk to the bot."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

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
        summary = load_demo(
            session=session, catalogue=catalogue, now=datetime.now(UTC), settings=settings
        )
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
    from core.db import make_engine, unit_of_work
    from services.errors import DomainError
    from services.staff import create_staff as create

    password = getpass.getpass("Password: ")
    if len(password) < 8 or password != getpass.getpass("Again: "):
        raise typer.BadParameter("passwords must match and have at least 8 characters")
    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            row = _office(session, office)
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


def _office(session: Any, office: str) -> Any:
    from sqlmodel import select

    from models import Office

    row = session.exec(
        select(Office).where((Office.code == office) | (Office.slug == office))
    ).first()
    if row is None:
        raise typer.BadParameter(f"no office {office!r}; run 'sigap seed-demo' first")
    return row


@cli.command("link-code")
def link_code(
    person: Annotated[
        str | None, typer.Option("--person", help="NIK of the person whose chat is linked.")
    ] = None,
    office: Annotated[
        str | None, typer.Option(help="Office code (e.g. 73.08) or slug (e.g. bone).")
    ] = None,
    officers: Annotated[
        bool, typer.Option("--officers", help="Link the office's officers' chat.")
    ] = False,
    staff: Annotated[
        str | None, typer.Option("--staff", help="Username whose own chat is linked.")
    ] = None,
) -> None:
    """Print a one-time code, its expiry and deep links: the chat that sends the code is
    linked to the person, the staff member's own chat or the office's officers' chat."""
    from sqlmodel import select

    from bot.channels import registered
    from core.db import make_engine, unit_of_work
    from models import Office, Person, StaffUser
    from services import link_codes
    from services.errors import DomainError
    from services.nik import mask_nik
    from services.timefmt import format_moment

    if [person is not None, officers, staff is not None].count(True) != 1:
        raise typer.BadParameter("give one of --person NIK, --officers or --staff USERNAME")
    if office is None and person is None:
        raise typer.BadParameter("--officers and --staff need --office")
    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            found_person = found_staff = None
            if person is not None:
                nik = "".join(person.split())
                found_person = session.exec(select(Person).where(Person.nik == nik)).first()
                if found_person is None:
                    raise typer.BadParameter("no person with that NIK")
                row = session.get_one(Office, found_person.office_id)
                if office is not None and _office(session, office).id != row.id:
                    raise typer.BadParameter(f"that person belongs to {row.slug}, not {office}")
                kind = link_codes.Kind.PERSON
                target = f"{found_person.name} (NIK {mask_nik(found_person.nik)})"
            else:
                row = _office(session, office or "")
                if staff is not None:
                    found_staff = session.exec(
                        select(StaffUser).where(StaffUser.username == staff)
                    ).first()
                    if found_staff is None or found_staff.office_id != row.id:
                        raise typer.BadParameter(f"no staff member {staff!r} at {row.slug}")
                    kind = link_codes.Kind.STAFF
                    target = f"the own chat of {found_staff.full_name} ({found_staff.username})"
                else:
                    kind = link_codes.Kind.OFFICERS
                    target = "the officers' chat"
            issued = link_codes.issue(
                session=session,
                kind=kind,
                office=row,
                person=found_person,
                staff=found_staff,
                now=datetime.now(UTC),
                valid_for=link_codes.lifetime(kind, settings),
                secret=settings.secret_key.get_secret_value(),
                issued_by="cli",
            )
            office_name, zone = row.name, row.timezone
    except DomainError as exc:
        raise typer.BadParameter(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(f"link code for {target} at {office_name}")
    typer.echo(f"code: {link_codes.display(issued.code)}")
    typer.echo(f"valid until: {format_moment(issued.expires_at, zone, 'en')}")
    for channel in registered():
        link = channel.deep_link(settings, issued.code, kind == link_codes.Kind.OFFICERS)
        if link is not None:
            typer.echo(f"{channel.name}: {link}")


@cli.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="The new backup file (must not exist).")],
) -> None:
    """Copy the SQLite database to FILE while Sigap runs (SQLite's online backup); on
    PostgreSQL use pg_dump."""
    from app.backup import BackupError, backup

    try:
        size = backup(get_settings().sqlalchemy_url, file)
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"backed up to {file} ({size:,} bytes)")


@cli.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="A file made by 'sigap backup'.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing.")] = False,
) -> None:
    """Replace the SQLite database's content with FILE's (stop Sigap first); on PostgreSQL
    use pg_restore."""
    from app.backup import BackupError, restore, sqlite_path

    url = get_settings().sqlalchemy_url
    try:
        target = sqlite_path(url)
        if not yes and not typer.confirm(f"Replace everything in {target} with {file}?"):
            raise typer.Exit(1)
        restore(url, file)
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"restored {target} from {file}; run 'sigap db upgrade' if the backup is older")


def main() -> None:
    from bot.cli import register

    register(cli)
    cli()
