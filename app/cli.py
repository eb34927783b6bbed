"""The `sigap` command: serve, migrate, load demo data, manage staff, talk to the bot."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from core.settings import get_settings

cli = typer.Typer(
    help="Sigap: chat bot and case service for Dinas Sosial offices.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
staff_cli = typer.Typer(
    help="Staff accounts: list, create, disable, enable, reset-password, set-role.",
    no_args_is_help=True,
)
cli.add_typer(staff_cli, name="staff")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Web processes (uvicorn) sharing the port; more than one needs PostgreSQL.",
        ),
    ] = 1,
) -> None:
    """Serve the staff API, the webhooks and (in demo mode) the chat simulator."""
    import uvicorn

    from app.logs import configure_logging
    from app.main import create_app

    settings = get_settings()
    configure_logging(log_format=settings.log_format)
    if workers == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            log_config=None,
            **_proxy(settings),
        )
        return
    if not settings.sqlalchemy_url.startswith("postgresql"):
        raise typer.BadParameter(
            "several web processes need PostgreSQL (SQLite has one writer); "
            "set DATABASE_URL to a PostgreSQL database or serve with --workers 1",
            param_hint="--workers",
        )
    _serve_processes(settings, host=host, port=port, workers=workers)


def _serve_processes(settings: Any, *, host: str, port: int, workers: int) -> None:
    """uvicorn's supervisor starts ``workers`` web processes on one socket (each built by
    :func:`web_process`) and starts again any that dies; beside them, as with one web process,
    one worker process runs the bot's workers, kept running from a thread of this one."""
    import os

    import uvicorn

    from app.worker import WorkerThread

    bot_workers = WorkerThread(settings) if settings.run_workers else None
    # Read by each web process's own settings: the workers run once, beside them.
    os.environ["RUN_WORKERS"] = "false"
    if bot_workers is not None:
        bot_workers.start()
    try:
        uvicorn.run(
            "app.cli:web_process",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=None,
            **_proxy(settings),
        )
    finally:
        if bot_workers is not None:
            bot_workers.stop()


def _proxy(settings: Any) -> dict[str, Any]:
    """Behind a TLS-terminating proxy at one of these addresses, the scheme and client address
    it forwards are believed: cookies are then Secure, and log-ins are throttled per client."""
    return {"proxy_headers": True, "forwarded_allow_ips": settings.forwarded_allow_ips}


def web_process() -> Any:
    """One of the web processes of ``sigap serve --workers N``: its logging as the parent's
    (scrubbed, text or JSON), its application without workers of its own."""
    from app.logs import configure_logging
    from app.main import create_app

    settings = get_settings()
    configure_logging(log_format=settings.log_format)
    return create_app(settings)


@cli.command()
def worker() -> None:
    """Run the bot's workers (processor, senders, timers) without the web server: more of
    these on one PostgreSQL database share the work; run the web server with RUN_WORKERS=false
    where its own worker is not wanted."""
    from app.logs import configure_logging
    from app.worker import run_loop, serve_worker

    settings = get_settings()
    configure_logging(log_format=settings.log_format)
    run_loop(serve_worker(settings))


@cli.command()
def poll() -> None:
    """Fetch updates from the channels that can be asked for them (Telegram's getUpdates)
    into the same durable path as their webhooks, for a server the platform cannot reach (no
    public HTTPS address). Run beside `sigap serve` (or `sigap worker`), which answers them."""
    import asyncio
    import contextlib
    import logging
    import signal

    from app.logs import configure_logging
    from bot.channels import PollRefused, registered
    from core.db import make_engine

    settings = get_settings()
    configure_logging(log_format=settings.log_format)
    pollers = [(channel.name, channel.poll) for channel in registered() if channel.poll]
    engine = make_engine(settings.sqlalchemy_url)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, stop.set)
        for name, _ in pollers:
            logging.getLogger("sigap.poll").info("polling %s for updates", name)
        await asyncio.gather(*(poller(settings, engine, stop) for _, poller in pollers))

    try:
        asyncio.run(run())
    except PollRefused as exc:
        typer.echo(f"cannot poll: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Bring the database schema up to date, then the offices and programmes from the
    catalogue (as start-up does), so a fresh database is ready for its first admin."""
    from app.migrate import upgrade
    from core.db import make_engine
    from services.catalogue import load_catalogue
    from services.catalogue_sync import sync_catalogue

    settings = get_settings()
    upgrade(settings.sqlalchemy_url, revision)
    if revision != "head":
        typer.echo(f"database upgraded to {revision}")
        return
    engine = make_engine(settings.sqlalchemy_url)
    try:
        catalogue = load_catalogue(settings.catalogue_dir)
        sync_catalogue(engine, catalogue)
    finally:
        engine.dispose()
    offices = ", ".join(office.slug for office in catalogue.offices)
    typer.echo(f"database is up to date; offices from the catalogue: {offices}")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Step the schema back to REVISION (e.g. 'base')."""
    from app.migrate import downgrade

    downgrade(get_settings().sqlalchemy_url, revision)
    typer.echo(f"database downgraded to {revision}")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo offices, people, proposals and staff (idempotent; DEMO_MODE only)."""
    from core.db import make_engine, unit_of_work
    from services.catalogue import load_catalogue
    from services.catalogue_sync import apply_catalogue
    from services.demo import load_demo

    settings = get_settings()
    if not settings.demo_mode:
        fail(
            "seed-demo refused: it creates fictional people and staff with a public password, "
            "so it runs only with DEMO_MODE=true"
        )
    engine = make_engine(settings.sqlalchemy_url)
    catalogue = load_catalogue(settings.catalogue_dir)
    with unit_of_work(engine) as session:
        apply_catalogue(session=session, catalogue=catalogue)
        summary = load_demo(
            session=session, catalogue=catalogue, now=datetime.now(UTC), settings=settings
        )
    engine.dispose()
    typer.echo(summary)


def fail(text: str) -> NoReturn:
    """One line on standard error naming the problem, and a non-zero exit."""
    typer.echo(f"error: {text}", err=True)
    raise typer.Exit(1)


def read_password() -> str:
    """Asked twice, hidden, at a terminal; otherwise the first line of standard input, so a
    script can pipe it in (never an argument: those show in the process list and history)."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            fail("the two passwords differ")
        return password
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("no password on standard input")
    return password


@cli.command("create-staff")
def create_staff(
    username: Annotated[str, typer.Argument()],
    office: Annotated[str, typer.Option(help="Office code (e.g. 73.08) or slug (e.g. bone).")],
    role: Annotated[str, typer.Option(help="operator, complaint_officer, supervisor, head, admin")],
    full_name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
    ppid: Annotated[bool, typer.Option("--ppid", help="The office's PPID officer.")] = False,
) -> None:
    """Create a staff account (the same as 'sigap staff create'). The password is asked for
    twice at a terminal, or read from standard input; never passed on the command line."""
    _create(username, office, role, full_name, ppid)


def _create(username: str, office: str, role: str, full_name: str, ppid: bool) -> None:
    from services import staff as staff_service

    with _session() as session:
        # Everything but the password first: no one types a password to hear of a typo.
        staff_service.find_office(session=session, office=office)
        staff_service.check_new_staff(
            session=session, username=username, full_name=full_name or username, role=role
        )
    password = read_password()
    with _session() as session:
        row = staff_service.find_office(session=session, office=office)
        staff_service.add_staff(
            session=session,
            by=None,
            office_id=row.id or 0,
            username=username,
            full_name=full_name or username,
            role=role,
            password=password,
            now=_now(),
            ppid=ppid,
        )
    typer.echo(f"created {role} {username} at {row.slug}")


@staff_cli.command("list")
def staff_list(
    office: Annotated[str | None, typer.Option(help="Only this office (code or slug).")] = None,
) -> None:
    """Every staff account: office, username, role, state, and whether their chat is linked."""
    from sqlmodel import select

    from models import Office
    from services import staff as staff_service

    with _session() as session:
        office_id = staff_service.find_office(session=session, office=office).id if office else None
        slugs = {row.id: row.slug for row in session.exec(select(Office)).all()}
        rows = staff_service.staff_of_office(session=session, office_id=office_id)
    for row in rows:
        role = row.role + (" (ppid)" if row.ppid else "")
        state = ("active" if row.active else "disabled") + (
            ", must change password" if row.must_change_password else ""
        )
        typer.echo(
            f"{slugs.get(row.office_id, '?'):<14} {row.username:<28} {role:<24} {state:<32} "
            f"chat {'linked' if row.chat else '-'}"
        )
    if not rows:
        typer.echo("no staff accounts yet: sigap staff create USERNAME --office X --role admin")


@staff_cli.command("create")
def staff_create(
    username: Annotated[str, typer.Argument()],
    office: Annotated[str, typer.Option(help="Office code (e.g. 73.08) or slug (e.g. bone).")],
    role: Annotated[str, typer.Option(help="operator, complaint_officer, supervisor, head, admin")],
    full_name: Annotated[str, typer.Option("--name", help="Full name.")] = "",
    ppid: Annotated[bool, typer.Option("--ppid", help="The office's PPID officer.")] = False,
) -> None:
    """Create a staff account; the password is asked for twice at a terminal, or read from
    standard input."""
    _create(username, office, role, full_name, ppid)


def _change(username: str, change: Any) -> Any:
    from services import staff as staff_service

    with _session() as session:
        target = staff_service.find_staff(session=session, username=username)
        return change(session, target.id or 0)


@staff_cli.command("disable")
def staff_disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account: it cannot log in, and its sessions end at once."""
    from services.staff import set_active

    _change(
        username,
        lambda s, i: set_active(session=s, by=None, staff_id=i, active=False, now=_now()),
    )
    typer.echo(f"disabled {username}; their sessions have ended")


@staff_cli.command("enable")
def staff_enable(username: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled account again."""
    from services.staff import set_active

    _change(
        username, lambda s, i: set_active(session=s, by=None, staff_id=i, active=True, now=_now())
    )
    typer.echo(f"enabled {username}")


@staff_cli.command("reset-password")
def staff_reset_password(username: Annotated[str, typer.Argument()]) -> None:
    """Print a temporary password, shown this once: it must be replaced at the next log-in."""
    from services.staff import reset_password

    password = _change(
        username, lambda s, i: reset_password(session=s, by=None, staff_id=i, now=_now())
    )
    typer.echo(f"temporary password for {username}: {password}")
    typer.echo("they must choose their own at their next log-in; their sessions have ended")


@staff_cli.command("set-role")
def staff_set_role(
    username: Annotated[str, typer.Argument()],
    role: Annotated[
        str, typer.Argument(help="operator, complaint_officer, supervisor, head, admin")
    ],
    ppid: Annotated[
        bool | None, typer.Option("--ppid/--no-ppid", help="The office's PPID officer.")
    ] = None,
) -> None:
    """Change an account's role (and whether they are the office's PPID officer)."""
    from services.staff import set_role

    _change(
        username,
        lambda s, i: set_role(session=s, by=None, staff_id=i, role=role, ppid=ppid, now=_now()),
    )
    typer.echo(f"{username} is now {role}")


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _session() -> Iterator[Any]:
    """A unit of work on the configured database; a domain error ends the command with its
    one line."""
    from core.db import make_engine, unit_of_work
    from services.errors import DomainError

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            yield session
    except DomainError as exc:
        fail(str(exc))
    finally:
        engine.dispose()


def _office(session: Any, office: str) -> Any:
    from services.errors import DomainError
    from services.staff import find_office

    try:
        return find_office(session=session, office=office)
    except DomainError as exc:
        raise typer.BadParameter(str(exc)) from None


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


person_cli = typer.Typer(
    help="A person's data on their request (UU PDP): export or erase; each is audited.",
    no_args_is_help=True,
)
cli.add_typer(person_cli, name="person")


@person_cli.command("export")
def person_export(
    nik: Annotated[str, typer.Option("--nik", help="NIK of the person.")],
    fmt: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
    out: Annotated[
        str | None, typer.Option("--out", help="File to write; standard output without it.")
    ] = None,
) -> None:
    """Everything held about a person: the person, household, proposals with their history,
    complaints, linked chats and notices delivered."""
    from pathlib import Path

    from core.db import make_engine, unit_of_work
    from services import person_data
    from services.errors import DomainError

    if fmt not in person_data.FORMATS:
        raise typer.BadParameter("--format is json or csv")
    chosen: person_data.Format = "csv" if fmt == "csv" else "json"
    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            person = person_data.by_nik(session=session, nik=nik)
            text = person_data.export(
                session=session, person=person, fmt=chosen, now=datetime.now(UTC), actor="cli"
            )
    except DomainError as exc:
        raise typer.BadParameter(str(exc)) from None
    finally:
        engine.dispose()
    if out is None:
        typer.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")
        typer.echo(f"written to {out}", err=True)


@person_cli.command("erase")
def person_erase(
    nik: Annotated[str, typer.Option("--nik", help="NIK of the person.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Pseudonymise a person: name, NIK, No. KK, phone, address and birth date replaced or
    removed, chats unlinked, complaint texts blanked; proposals, complaints and the audit
    trail kept."""
    from core.db import make_engine, unit_of_work
    from services import person_data
    from services.errors import DomainError

    if not yes:
        raise typer.BadParameter("erasure cannot be undone; add --yes to go ahead")
    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with unit_of_work(engine) as session:
            person = person_data.by_nik(session=session, nik=nik)
            erased = person_data.erase(
                session=session, person=person, now=datetime.now(UTC), actor="cli"
            )
            person_id = person.id
    except DomainError as exc:
        raise typer.BadParameter(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(
        f"person #{person_id} erased: {erased.chats} chats unlinked, "
        f"{erased.complaints} complaints blanked, {erased.link_codes} link codes revoked"
    )


import_cli = typer.Typer(help="Import an office's own lists.", no_args_is_help=True)
cli.add_typer(import_cli, name="import")


@import_cli.command("persons")
def import_persons(
    file: Annotated[Path, typer.Argument(help="The KPM list: CSV or XLSX.")],
    office: Annotated[str, typer.Option(help="Office code (e.g. 74.14) or slug.")],
    check: Annotated[
        bool, typer.Option("--check", help="Check every row and report; write nothing.")
    ] = False,
) -> None:
    """Register the families of an office's KPM list (see the README's "KPM register"): each
    person matched by NIK, created or updated; a bad row is reported by its number and
    reason, and the other rows go in. --check exits 1 when any row would be rejected."""
    from core.db import make_engine
    from services import register_import
    from services.errors import DomainError

    if not file.is_file():
        raise typer.BadParameter(f"no such file: {file}", param_hint="FILE")
    with _session() as session:
        found = _office(session, office)
        office_id, office_name = found.id or 0, found.name
    verb = "checking" if check else "importing"
    typer.echo(f"{verb} {file.name} for {office_name}", err=True)

    def progress(_session: Any, done: Any, totals: Any) -> None:
        for error in done.errors:
            where = f"row {error.row}" + (f", {error.column}" if error.column else "")
            typer.echo(f"{where}: {error.message_en}")
        typer.echo(f"... {totals.read:,} rows read (up to row {totals.last_row:,})", err=True)

    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        with file.open("rb") as source:
            outcome = register_import.import_register(
                engine=engine, source=source, office_id=office_id, now=_now(), write=not check,
                actor="cli", name=file.name, on_chunk=progress,
            )  # fmt: skip
    except DomainError as exc:
        fail(str(exc))
    finally:
        engine.dispose()
    if outcome.ignored:
        typer.echo(f"columns ignored: {', '.join(outcome.ignored)}")
    totals = outcome.totals
    would = "would be " if check else ""
    typer.echo(
        f"{totals.read:,} rows read ({outcome.kind}): {totals.created:,} {would}created, "
        f"{totals.updated:,} {would}updated, {totals.unchanged:,} unchanged, "
        f"{totals.rejected:,} rejected"
    )
    if check and totals.rejected:
        raise typer.Exit(1)


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
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from bot.cli import register

    register(cli)
    try:
        cli()
    except (OperationalError, ProgrammingError) as exc:
        # No traceback for a database that is missing, unreachable or behind the code.
        first = str(exc.orig or exc).strip().splitlines()[0]
        hint = "is DATABASE_URL right, and has 'sigap db upgrade' run?"
        typer.echo(f"error: database: {first} ({hint})", err=True)
        raise SystemExit(1) from None
