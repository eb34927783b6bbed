"""Proposals that talk: each step change told to the applicants, late steps to the staff.

**Applicants.** :func:`tell_applicants` runs inside :func:`services.proposals.transition`, in
its transaction, so a step change and the message about it land together or not at all. It
reaches the applicant's linked chat (the one used last), or for a group every member with a
linked chat, in the chat's language: the new step (numbered as the SOP numbers it), who acts
and by when, what comes after; for a return or a rejection the reason staff gave.

**Staff.** :func:`send_late_digests` (a job in ``app/scheduler.py``) sends once a working day,
from ``LATE_DIGEST_HOUR`` on the office's clock, each active staff member with a linked chat the
late steps their role may record, with how late each is in its standard's own unit and when it
was due. One row per staff member and day (``late_digest``, unique) makes a second run, or a
second worker, send nothing.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

import messages
from models import (
    BULK,
    Conversation,
    GroupMember,
    LateDigest,
    Office,
    Programme,
    ProgrammeStep,
    Proposal,
    StaffUser,
)
from services import chat_links
from services.catalogue import Catalogue, load_catalogue
from services.catalogue import Programme as ProgrammeSpec
from services.outbox import insert_ignoring_conflicts, queue, queue_to_address, template
from services.proposal_status import standard_words
from services.step_time import late_span
from services.timefmt import format_date, format_moment
from services.workdays import is_working_day, lateness, step_due_at

MAX_DIGEST_LINES = 20


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return load_catalogue()


def _standard(step: ProgrammeStep) -> Any:
    from services.proposals import standard_of  # services.proposals calls this module

    return standard_of(step)


def _chats(session: Session, proposal: Proposal) -> list[Conversation]:
    """The applicant's chat used last; for a group, each member's."""
    if proposal.applicant_person_id is not None:
        people = [proposal.applicant_person_id]
    else:
        people = list(
            session.exec(
                select(GroupMember.person_id)
                .where(GroupMember.group_id == proposal.applicant_group_id)
                .order_by(col(GroupMember.id))
            ).all()
        )
    found: dict[int, Conversation] = {}
    for person_id in people:
        chats = chat_links.chats_of(session=session, person_id=person_id)
        if chats and chats[0].id is not None:
            found.setdefault(chats[0].id, chats[0])
    return list(found.values())


def tell_applicants(
    *,
    session: Session,
    proposal: Proposal,
    action: str,
    note: str,
    now: datetime,
    catalogue: Catalogue | None = None,
) -> int:
    """Queue the news of ``action`` ("advanced", "returned", "rejected", "completed") to the
    applicant's chats; how many messages were queued."""
    chats = _chats(session, proposal)
    if not chats:
        return 0
    programme = session.get_one(Programme, proposal.programme_id)
    office = session.get_one(Office, proposal.office_id)
    spec = (catalogue or _default_catalogue()).programme(programme.code)
    steps = list(
        session.exec(
            select(ProgrammeStep)
            .where(ProgrammeStep.programme_id == proposal.programme_id)
            .order_by(col(ProgrammeStep.position))
        ).all()
    )
    for chat in chats:
        text = news_text(
            proposal=proposal,
            action=action,
            note=note,
            spec=spec,
            steps=steps,
            office=office,
            lang=chat.language or messages.DEFAULT_LANGUAGE,
            programme_name=programme.name,
        )
        # Every piece of news begins with its line "Kabar usulan <number> (<programme>):",
        # which the template says itself.
        news = text.partition("\n")[2] or text
        name = spec.name.get(chat.language or messages.DEFAULT_LANGUAGE) if spec else None
        extra = template("sigap_proposal_step", proposal.number, name or programme.name, news)
        queue(session, conversation_id=chat.id or 0, text=text, now=now, priority=BULK, extra=extra)
    return len(chats)


def news_text(
    *,
    proposal: Proposal,
    action: str,
    note: str,
    spec: ProgrammeSpec | None,
    steps: list[ProgrammeStep],
    office: Office,
    lang: str,
    programme_name: str,
) -> str:
    def t(key: str, **params: Any) -> str:
        return messages.render(key, lang, **params)

    position = proposal.step_position
    step = steps[position - 1]
    spec_step = spec.steps[position - 1] if spec and len(spec.steps) == len(steps) else None
    number, total = spec.sop_place(position) if spec_step and spec else (position, len(steps))
    head = {
        "number": proposal.number,
        "programme": spec.name.get(lang) if spec else programme_name,
        "position": number,
        "total": total,
        "step": spec_step.name.get(lang) if spec_step else step.name,
        "reason": note.strip() or "-",
    }
    if action == "rejected":
        return t("news.rejected", **head)
    if action == "completed":
        output = (spec_step.output.stated(lang) if spec_step and spec_step.output else "") or ""
        return t("news.completed", **head) + (f"\n{output}." if output else "")
    lines = [t("news.returned" if action == "returned" else "news.advanced", **head)]
    # Who acts, only where the SOP says so (UEP's table lost who acts: the catalogue's actor
    # is then a marked reading).
    actor = spec_step.actor.stated(lang) if spec_step is not None else None
    if actor:
        lines.append(t("news.actor", actor=actor))
    standard = _standard(step)
    words = standard_words(
        standard, lang, reading=spec_step.time_standard if spec_step is not None else None
    )
    due = step_due_at(proposal.step_entered_at, standard, office.timezone)
    if words is not None and due is not None:
        lines.append(t("news.due", standard=words, due=format_moment(due, office.timezone, lang)))
    if position < len(steps):
        following = spec.steps[position] if spec_step and spec else None
        name = following.name.get(lang) if following else steps[position].name
        lines.append(t("news.next", step=name))
    else:
        lines.append(t("news.last"))
    if action == "returned":
        lines.append(t("news.returned_help"))
    return "\n".join(lines)


# --- the staff's daily digest -------------------------------------------------------------------


def send_late_digests(
    *, session: Session, now: datetime, hour: int, catalogue: Catalogue | None = None
) -> int:
    """Send today's digest to each staff member with late steps to record, once a day from
    ``hour`` o'clock on each office's clock (working days only); how many were sent."""
    from services.proposals import Status  # services.proposals calls this module

    sent = 0
    dialect = session.get_bind().dialect.name
    for office in session.exec(select(Office).order_by(col(Office.id))).all():
        local = now.astimezone(ZoneInfo(office.timezone))
        if local.hour < hour or not is_working_day(local.date()):
            continue
        late = _late_steps(session, office, now, Status.IN_PROGRESS)
        if not late:
            continue
        staff = session.exec(
            select(StaffUser)
            .where(
                StaffUser.office_id == office.id,
                col(StaffUser.active).is_(True),
                col(StaffUser.chat).is_not(None),
            )
            .order_by(col(StaffUser.id))
        ).all()
        for member in staff:
            mine = [row for row in late if member.role in row[1].allowed_roles]
            if not mine:
                continue
            table = LateDigest.__table__  # type: ignore[attr-defined]
            claimed = session.execute(
                insert_ignoring_conflicts(dialect, table)
                .values(staff_id=member.id, day=local.date(), proposals=len(mine), sent_at=now)
                .returning(table.c.id)
            ).first()
            if claimed is None:
                continue  # already sent today, by this run or another worker
            text = _digest_text(session, office, local, mine, catalogue or _default_catalogue())
            # Staff on WhatsApp who have not written for 24 hours get it as the template.
            date = format_date(local, office.timezone, messages.DEFAULT_LANGUAGE)
            as_template = template("sigap_late_digest", office.name, date, len(mine), text)
            queued = queue_to_address(
                session, address=member.chat, text=text, now=now, extra=as_template
            )
            if queued is not None:
                sent += 1
    session.flush()
    return sent


def _late_steps(
    session: Session, office: Office, now: datetime, in_progress: str
) -> list[tuple[Proposal, ProgrammeStep, Any]]:
    rows = session.exec(
        select(Proposal, ProgrammeStep)
        .join(
            ProgrammeStep,
            (col(ProgrammeStep.programme_id) == Proposal.programme_id)
            & (col(ProgrammeStep.position) == Proposal.step_position),
        )
        .where(Proposal.office_id == office.id, Proposal.status == in_progress)
        .order_by(col(Proposal.step_entered_at), col(Proposal.id))
    ).all()
    late = []
    for proposal, step in rows:
        found = lateness(proposal.step_entered_at, _standard(step), now, office.timezone)
        if found is not None and found.is_late:
            late.append((proposal, step, found))
    return late


def _digest_text(
    session: Session,
    office: Office,
    local: datetime,
    rows: list[tuple[Proposal, ProgrammeStep, Any]],
    catalogue: Catalogue,
) -> str:
    lang = messages.DEFAULT_LANGUAGE
    lines = [
        messages.render(
            "news.digest.title",
            lang,
            office=office.name,
            date=format_date(local, office.timezone, lang),
            n=len(rows),
        )
    ]
    for proposal, step, late in rows[:MAX_DIGEST_LINES]:
        programme = session.get_one(Programme, proposal.programme_id)
        spec = catalogue.programme(programme.code)
        number, total = spec.sop_place(step.position) if spec else (step.position, step.position)
        span = late_span(late, _standard(step))
        lines.append(
            messages.render(
                "news.digest.line",
                lang,
                number=proposal.number,
                position=number,
                total=total,
                step=step.name,
                late=span.words(lang) if span else "",
                due=format_moment(late.due_at, office.timezone, lang),
            )
        )
    if len(rows) > MAX_DIGEST_LINES:
        lines.append(messages.render("news.digest.more", lang, n=len(rows) - MAX_DIGEST_LINES))
    lines.append(messages.render("news.digest.where", lang))
    return "\n".join(lines)
