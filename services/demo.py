"""Demo data: fictional people and proposals for every programme, staff of every role.

Everything here is made up, but structurally real: NIKs encode the office's region, the
birth date and the sex; each applicant is built to meet its programme's own rules, and each
proposal moves through the SOP by the same transition function staff use, back-dated so
that some sit late against their step's time standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from core.settings import Settings
from models import Office, Person, StaffUser
from services import link_codes
from services.catalogue import Catalogue, Programme
from services.complaints import AnswerVia, ClockPolicy, NewComplaint, answer, file_complaint
from services.nik import make_nik
from services.notices import NewNotice, create_notice
from services.persons import GroupIn, PersonIn, register_group, register_person
from services.proposals import Action, create_proposal, transition
from services.roles import Role
from services.staff import create_staff, hash_password

DEMO_PASSWORD = "sigap-demo"
# (role, username suffix, title, whether they watch a simulator chat, PPID officer)
STAFF_ROLES = (
    (Role.OPERATOR, "operator", "Operator Layanan", False, False),
    (Role.COMPLAINT_OFFICER, "pengaduan", "Petugas Pengaduan", True, False),
    (Role.SUPERVISOR, "kabid", "Kepala Bidang", True, False),
    # "Kepala" + "Dinas Sosial Kabupaten Bone": the head's title is the office's own name.
    (Role.HEAD, "kadis", "Kepala", True, False),
    (Role.OPERATOR, "ppid", "Pejabat PPID", True, True),
    (Role.ADMIN, "admin", "Admin Sistem", False, False),
)
WOMEN = (
    "Siti Aminah",
    "Nurhayati",
    "Wa Ode Sitti",
    "Maria Goreti",
    "Hasnah",
    "Yustina Jelita",
    "Rosmini",
    "Fransiska Nuri",
    "Sri Wahyuni",
    "Agustina Lende",
    "Marlina",
    "Hadijah",
)
MEN = (
    "Andi Baso",
    "Muhammad Arif",
    "La Ode Hamzah",
    "Yohanes Jehadu",
    "Ahmad Fauzi",
    "Daeng Naba",
    "Budi Santoso",
    "Rahmat Hidayat",
    "Kornelis Ndolu",
    "Yusran",
    "Samsul Bahri",
    "Agus Salim",
)
# How far each demo proposal of a programme has walked: (steps done, days ago it started).
# Birth years count back from a fixed year so demo NIKs (listed in the README) never change.
BIRTH_YEAR_BASE = 2026
PROGRESS = ((0, 1), (1, 12), (2, 3))


@dataclass(frozen=True)
class DemoApplicant:
    programme: str
    proposal: str
    step: str
    nik: str
    name: str
    birth_date: date
    late: bool


def demo_phone(serial: int) -> str:
    """A made-up mobile number in a range of Telkomsel's, written as an operator would."""
    return f"0812-7000-{serial:04d}"


def load_demo(
    *, session: Session, catalogue: Catalogue, now: datetime, settings: Settings | None = None
) -> str:
    """Load the demo once. With ``settings``, each applicant also gets a link code (they are
    printed in the summary; the demo's only copy)."""
    if session.exec(select(StaffUser).where(StaffUser.username.like("%.admin"))).first():  # type: ignore[attr-defined]
        return "demo data already loaded"
    admins: dict[str, StaffUser] = {}
    # One hash for every demo account: they share the published password anyway, and each
    # Argon2 hash costs a fifth of a second (thirty of them were most of the demo's load).
    demo_hash = hash_password(DEMO_PASSWORD)
    for office in session.exec(select(Office).order_by(Office.code)).all():
        # Officers' notices land in simulator chats a newcomer can open and watch.
        office.officers_chat = f"sim:officers-{office.slug}"
        for role, suffix, title, watches, ppid in STAFF_ROLES:
            staff = create_staff(
                session=session,
                office_id=office.id or 0,
                username=f"{office.slug}.{suffix}",
                full_name=f"{title} {office.name}",
                role=role,
                password=DEMO_PASSWORD,
                password_hash=demo_hash,
                chat=f"sim:{suffix}-{office.slug}" if watches else None,
            )
            staff.ppid = ppid
            if role == Role.ADMIN:
                admins[office.code] = staff
    serial = 1
    lines = ["demo data loaded:"]
    for programme in catalogue.programmes:
        office = session.exec(select(Office).where(Office.code == programme.office)).one()
        for index, (done, days_ago) in enumerate(PROGRESS):
            people, serial = _people_for(session, programme, office, serial, index, now)
            started = now - timedelta(days=days_ago)
            proposal = create_proposal(
                session=session,
                staff=admins[office.code],
                catalogue=catalogue,
                programme_code=programme.code,
                now=started,
                person_id=people[0].id if programme.applicant == "person" else None,
                group_id=(
                    _group_for(session, programme, office, people, index, started)
                    if programme.applicant == "group"
                    else None
                ),
                note="Data demo",
            )
            for step_index in range(min(done, len(programme.steps) - 1)):
                moment = started + timedelta(hours=6 * (step_index + 1))
                transition(
                    session=session,
                    staff=admins[office.code],
                    proposal_id=proposal.id or 0,
                    action=Action.ADVANCE,
                    expected_version=proposal.version,
                    now=min(moment, now),
                    note="Data demo",
                )
            code = _link_code(session, office, people[0], now, settings)
            lines.append(
                f"  {proposal.number:20} {programme.code:24} step {proposal.step_position}"
                f"  NIK {people[0].nik}  HP {people[0].phone}{code}  {people[0].name}"
            )
    lines.extend(_complaints(session, now))
    lines.extend(_kpm(session, now))
    lines.extend(_notices(session, now))
    lines.append(
        f"staff: <office-slug>.<operator|pengaduan|kabid|kadis|ppid|admin> / {DEMO_PASSWORD}"
    )
    return "\n".join(lines)


def _link_code(
    session: Session, office: Office, person: Person, now: datetime, settings: Settings | None
) -> str:
    if settings is None:
        return ""
    issued = link_codes.issue(
        session=session,
        kind=link_codes.Kind.PERSON,
        office=office,
        person=person,
        now=now,
        valid_for=link_codes.lifetime(link_codes.Kind.PERSON, settings),
        secret=settings.secret_key.get_secret_value(),
        issued_by="seed-demo",
    )
    return f"  kode {link_codes.display(issued.code)}"


def _people_for(
    session: Session, programme: Programme, office: Office, serial: int, index: int, now: datetime
) -> tuple[list[Person], int]:
    rules = programme.eligibility
    size = 1
    if programme.applicant == "group":
        size = (rules.group_size.min if rules.group_size and rules.group_size.min else 5) or 5
    sex_fixed = rules.sex
    marital = rules.marital_status_in[0] if rules.marital_status_in else "kawin"
    registries = list(rules.registered_in or ("DTKS",))
    age = 35 + index * 7
    if rules.age and rules.age.max is not None:
        age = min(age, rules.age.max - 2)
    kecamatan = 1 + index
    people = []
    for member in range(size):
        sex = sex_fixed or ("P" if (member + index) % 2 == 0 else "L")
        names = WOMEN if sex == "P" else MEN
        name = names[(serial + member) % len(names)]
        born = date(BIRTH_YEAR_BASE - age - member % 5, 1 + (serial + member) % 12, 1 + serial % 27)
        nik = make_nik(office.code, kecamatan, born, sex, serial)
        kk = make_nik(office.code, kecamatan, date(2001, 1, 1), "L", serial)[:12] + f"{serial:04d}"
        person = register_person(
            session=session,
            office_id=office.id or 0,
            data=PersonIn(
                nik=nik,
                kk_number=kk,
                name=name,
                birth_place=office.name.split()[-1],
                birth_date=born,
                sex=sex,
                marital_status=marital,
                education="SD",
                occupation="Petani" if sex == "L" else "Penenun",
                address=f"Dusun {1 + member % 4}",
                desa=f"Desa Demo {kecamatan}",
                kecamatan=f"Kecamatan Demo {kecamatan}",
                # The applicant (or the group's chair) has a phone on file: a newcomer shares
                # it in the simulator to link the chat.
                phone=demo_phone(serial) if member == 0 else "",
                registries=registries,
            ),
            now=now,
        )
        people.append(person)
        serial += 1
    return people, serial


def _group_for(
    session: Session,
    programme: Programme,
    office: Office,
    people: list[Person],
    index: int,
    now: datetime,
) -> int:
    group = register_group(
        session=session,
        office_id=office.id or 0,
        data=GroupIn(
            name=f"Kelompok {programme.kind.upper()} Demo {index + 1}",
            kind=programme.kind,
            business_type="Tenun ikat" if programme.eligibility.sex == "P" else "Ternak kambing",
            desa=people[0].desa,
            kecamatan=people[0].kecamatan,
            member_niks=[p.nik for p in people],
        ),
        now=now,
    )
    return group.id or 0


def _complaints(session: Session, now: datetime) -> list[str]:
    """Complaints at Buton Tengah, where the 2×24-hour rule comes from: one answered in time,
    one near its deadline, one already past it (the clock escalates it on the next sweep)."""
    office = session.exec(select(Office).where(Office.slug == "buton-tengah")).first()
    if office is None:
        return []
    officer = session.exec(
        select(StaffUser).where(StaffUser.username == "buton-tengah.pengaduan")
    ).one()
    policy = ClockPolicy()
    stories = (
        (60, "bantuan-terlambat", "Saldo BPNT bulan ini belum masuk ke KKS saya.", "Rosmini"),
        (30, "data-salah", "Nama saya di daftar penerima salah ketik.", "La Ode Hamzah"),
        (50, "pungli", "Ada potongan Rp20.000 saat pencairan di e-warung.", ""),
    )
    contacts = ("0812-7000-0901", "0812-7000-0902", "")
    lines = ["complaints (Buton Tengah):"]
    for index, (hours_ago, code, text, name) in enumerate(stories):
        complaint = file_complaint(
            session=session,
            data=NewComplaint(
                office_id=office.id or 0,
                category=code,
                description=text,
                channel="book" if index == 0 else "walk_in",
                complainant_name=name,
                complainant_contact=contacts[index],
                confidential=not name,
            ),
            now=now - timedelta(hours=hours_ago),
            policy=policy,
            recorded_by=officer,
        )
        if index == 0:
            answer(
                session=session,
                staff=officer,
                complaint_id=complaint.id or 0,
                text="Saldo sudah masuk tanggal 20; silakan cek di e-warung.",
                now=now - timedelta(hours=hours_ago - 20),
                via=AnswerVia.PHONE_CALL,
            )
        lines.append(f"  {complaint.number}  {code:18} {complaint.status}")
    return lines


# Buton Tengah's KPM register, beyond the applicants: people who never wrote to the bot, each
# (but two) with a phone on file; a notice to their desa reaches them at their phone.
KPM: tuple[tuple[str, Literal["L", "P"], str, str, bool], ...] = (
    ("Wa Ode Sitti", "P", "Boneoge", "Lakudo", True),
    ("Hasnah", "P", "Boneoge", "Lakudo", True),
    ("La Ode Hamzah", "L", "Boneoge", "Lakudo", False),
    ("Nurhayati", "P", "Boneoge", "Lakudo", True),
    ("Daeng Naba", "L", "Boneoge", "Lakudo", True),
    ("Hadijah", "P", "Lakudo", "Lakudo", True),
    ("Yusran", "L", "Lakudo", "Lakudo", True),
    ("Marlina", "P", "Lakudo", "Lakudo", False),
    ("Sri Wahyuni", "P", "Mawasangka", "Mawasangka", True),
    ("Samsul Bahri", "L", "Mawasangka", "Mawasangka", True),
)
KPM_SERIAL = 500


def kpm_phone(index: int) -> str:
    return f"0812-7100-{index + 1:04d}"


def _kpm(session: Session, now: datetime) -> list[str]:
    office = session.exec(select(Office).where(Office.slug == "buton-tengah")).first()
    if office is None:
        return []
    lines = ["KPM (Buton Tengah; a notice to their desa shows at /simulator?chat=<number>):"]
    for index, (name, sex, desa, kecamatan, has_phone) in enumerate(KPM):
        serial = KPM_SERIAL + index
        born = date(1970 + index * 2, 1 + index % 12, 1 + index % 27)
        kecamatan_number = 1 if kecamatan == "Lakudo" else 2
        person = register_person(
            session=session,
            office_id=office.id or 0,
            data=PersonIn(
                nik=make_nik(office.code, kecamatan_number, born, sex, serial),
                kk_number=make_nik(office.code, kecamatan_number, date(2001, 1, 1), "L", serial)[
                    :12
                ]
                + f"{serial:04d}",
                name=name,
                birth_place="Buton Tengah",
                birth_date=born,
                sex=sex,
                marital_status="kawin",
                address=f"Desa {desa}",
                desa=desa,
                kecamatan=kecamatan,
                phone=kpm_phone(index) if has_phone else "",
                registries=["DTKS"],
            ),
            now=now,
        )
        number = person.phone_e164.removeprefix("+") or "tanpa HP"
        lines.append(f"  {person.name:16} {desa:11} {number}")
    return lines


def _notices(session: Session, now: datetime) -> list[str]:
    """A BPNT socialisation in Buton Tengah three days from now, announced at once: menu 4 of
    the bot lists it, and a chat that proves who it is hears the reminder a day before."""
    office = session.exec(select(Office).where(Office.slug == "buton-tengah")).first()
    if office is None:
        return []
    operator = session.exec(
        select(StaffUser).where(StaffUser.username == "buton-tengah.operator")
    ).one()
    local = (now + timedelta(days=3)).astimezone(ZoneInfo(office.timezone))
    starts_at = local.replace(hour=9, minute=0, second=0, microsecond=0)
    notice = create_notice(
        session=session,
        staff=operator,
        data=NewNotice(
            kind="socialisation",
            title="Sosialisasi BPNT dan pemutakhiran data KPM",
            place="Aula Kantor Camat Lakudo",
            starts_at=starts_at.astimezone(UTC),
            details="Bawa KTP dan KKS.",
            audience={"programme": ["bpnt-buton-tengah"]},
            send_at=now,
        ),
        now=now,
    )
    return [f"notice (Buton Tengah): {notice.title}, {starts_at:%d-%m-%Y %H.%M} WITA"]
