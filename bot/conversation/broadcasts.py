"""What a person answers to notices, in any state of the chat: ``BERHENTI``/``STOP`` (no more
broadcasts), ``MULAI``/``START`` (broadcasts again), ``HADIR`` and ``TIDAK BISA HADIR`` (the
buttons under a notice send the same words with the notice's id); and "Jadwal saya", the
events a linked person is expected at (menu 4).

Each answer gets one line back and leaves the chat where it was. ``start`` only means
"broadcasts again" when they were stopped; otherwise it is the menu, as always.
"""

from __future__ import annotations

from bot.conversation.turn import Turn
from bot.conversation.words import NoticeReply, notice_reply
from bot.inbound import InboundEvent
from services import notice_replies
from services.notice_fanout import office_zone
from services.timefmt import format_moment


def try_reply(turn: Turn, event: InboundEvent) -> bool:
    if event.kind not in ("text", "choice"):
        return False
    found = notice_reply(event.input)
    if found is None:
        return False
    reply, notice_id = found
    session, chat = turn.session, turn.conversation
    if reply is NoticeReply.STOP:
        stopped = notice_replies.stop_broadcasts(session=session, conversation=chat, now=turn.now)
        turn.say(turn.t("notice.reply.stopped" if stopped else "notice.reply.already_stopped"))
        return True
    if reply is NoticeReply.START:
        if not notice_replies.broadcasts_stopped(session, chat):
            if event.input.strip().lower() == "start":
                return False  # the menu, as "start" always was
            turn.say(turn.t("notice.reply.not_stopped"))
            return True
        notice_replies.start_broadcasts(session=session, conversation=chat)
        turn.say(turn.t("notice.reply.started"))
        return True
    attending = reply is NoticeReply.ATTEND
    notice = notice_replies.answer_attendance(
        session=session, conversation=chat, attending=attending, now=turn.now, notice_id=notice_id
    )
    if notice is None:
        turn.say(turn.t("notice.reply.nothing"))
        return True
    when = format_moment(notice.starts_at, office_zone(session, notice), turn.lang)
    key = "notice.reply.attend" if attending else "notice.reply.decline"
    turn.say(turn.t(key, title=notice.title, when=when))
    return True


def my_schedule(turn: Turn) -> str | None:
    """The linked person's events ahead, with time, place and their answer; None when the
    chat is linked to nobody."""
    person_id = turn.conversation.person_id
    if person_id is None:
        return None
    listed = notice_replies.schedule_of(session=turn.session, person_id=person_id, now=turn.now)
    if not listed:
        return turn.t("notice.schedule.none")
    lines = [turn.t("notice.schedule.title")]
    for entry in listed:
        notice = entry.notice
        when = format_moment(notice.starts_at, office_zone(turn.session, notice), turn.lang)
        answer = {"yes": "notice.schedule.yes", "no": "notice.schedule.no"}.get(
            entry.attendance or "", "notice.schedule.ask"
        )
        lines.append(
            f"\n• {turn.t(f'notice.kind.{notice.kind}')}: {notice.title}\n  {when}\n"
            f"  {notice.place}\n  {turn.t(answer)}"
        )
    return "\n".join(lines)
