"""What the complaints endpoints accept and return."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.api.schemas import Id, _In

# Every channel the seed SOPs name besides the bot (services.complaints.OFFLINE_CHANNELS).
OfflineChannel = Literal[
    "book",
    "box",
    "walk_in",
    "phone",
    "sms",
    "email",
    "website",
    "facebook",
    "instagram",
    "whatsapp_admin",
    "lapor",
]
AnswerVia = Literal[
    "chat", "linked_chat", "phone_call", "letter", "in_person", "email", "sms", "lapor"
]


class OfflineComplaintIn(_In):
    channel: OfflineChannel
    category: str = Field(max_length=40)
    description: str = Field(max_length=4000)
    programme_code: str | None = Field(default=None, max_length=60)
    complainant_name: str = Field(default="", max_length=120)
    # Required except for SP4N-LAPOR! and the suggestion box: a phone, an e-mail, an address.
    complainant_contact: str = Field(default="", max_length=120)
    confidential: bool = False
    lapor_tracking: str | None = Field(default=None, max_length=40)
    # Where it was received: "Admin 2 (082349133203)", the Facebook page, the mailbox.
    source_detail: str = Field(default="", max_length=120)
    person_id: Id | None = None
    # A chat the complainant also uses ("telegram:12345"); the answer is sent there too.
    chat: str | None = Field(default=None, max_length=80, pattern=r"^[a-z]+:[-\w]+$")


class AnswerIn(_In):
    text: str = Field(max_length=4000)
    # How the answer reached the complainant. Left out: sent to their chat (an error when
    # they have none). Any other value records an answer given outside the bot.
    via: AnswerVia | None = None


class ReassignIn(_In):
    staff_id: Id = Field(description="The officer (or Kabid, Kadis) who takes it over")


class ComplaintEventPublic(BaseModel):
    at: datetime
    kind: str
    staff_id: int | None
    text: str
    staff_name: str | None = None


class AttachmentPublic(BaseModel):
    id: int
    kind: str  # photo, document, voice, location
    # pending (not fetched yet), stored, failed; none for a location
    status: str
    file_name: str
    mime_type: str
    size: int | None
    # A location's map link.
    map_url: str | None
    # Where staff open the file (it streams after the office and role check), once stored.
    url: str | None


class ThreadEntryPublic(BaseModel):
    at: datetime
    kind: str
    side: str  # complainant or officer
    officer: str | None
    text: str
    via: str | None
    attachments: list[AttachmentPublic] = []


class ComplaintPublic(BaseModel):
    id: int
    number: str
    status: str
    category: str
    category_label: str
    channel: str
    lapor_tracking: str | None
    programme_code: str | None
    programme_name: str | None = None
    description: str
    complainant: str
    # Hidden, as the name is, from officers when the complainant asked for confidentiality.
    complainant_contact: str
    source_detail: str
    # The complainant follows it in a chat (theirs, or one they linked with the receipt's code).
    in_chat: bool
    confidential: bool
    received_at: datetime
    due_at: datetime
    overdue: bool
    # While open: "on_time", "due_soon" (under 12 hours left) or "breached"; else none.
    urgency: Literal["on_time", "due_soon", "breached"] | None = None
    # Seconds until the deadline while open (negative once breached).
    seconds_left: int | None = None
    first_response_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    claimed_by: str | None
    claimed_by_id: int | None = None
    cycle: int
    rating: int | None
    rating_comment: str | None
    # What the reader may do next: "claim", "answer", "reassign".
    actions: list[str] = []
    events: list[ComplaintEventPublic] = []
    # The conversation: the complainant's words and files, the officers' answers.
    thread: list[ThreadEntryPublic] = []


class ComplaintReportOut(BaseModel):
    start: datetime
    end: datetime
    total: int
    by_category: dict[str, int]
    by_programme: dict[str, int]
    by_channel: dict[str, int]
    answered_on_time: int
    on_time_share: Annotated[float | None, Field(description="Answered within the limit, of all")]
    median_first_response_hours: float | None
    p90_first_response_hours: float | None
    open_now: int
    breached_now: int
    rated: Annotated[int, Field(description="Ratings in the period: the IKM's n")]
    satisfaction_average: float | None
    ikm_index: Annotated[
        float | None,
        Field(description="IKM (PermenPANRB 14/2017): mean rating x 25, 25-100; none unrated"),
    ] = None
    ikm_grade: Annotated[
        str | None,
        Field(description="A from 88.31, B from 76.61, C from 65.00, D below"),
    ] = None
