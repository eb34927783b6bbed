from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import BigId, UTCDateTime, utcnow


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    username: str = Field(max_length=60, unique=True, index=True)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=20)  # operator, complaint_officer, supervisor, head, admin
    password_hash: str = Field(max_length=200)
    active: bool = True
    # The office's information officer (PPID), told when a complaint stays unanswered.
    ppid: bool = False
    # Where this person gets officer notifications, "telegram:12345" style.
    chat: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Set when an admin resets the password: the temporary one must be replaced before
    # anything else is done with this account.
    must_change_password: bool = False


class StaffSession(SQLModel, table=True):
    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # The last request made with it (to a minute): a session unused for SESSION_IDLE_MINUTES
    # ends even before its absolute expiry.
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """A log-in attempt that failed, or one whose password is still being checked (it is
    counted before the hash is computed and deleted when the password was right), so a burst
    of concurrent attempts is throttled as surely as a sequence."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    # As typed, lower-cased (an unknown name is throttled like a known one).
    username: str = Field(max_length=80, index=True)
    # The client's address as the server sees it (behind a trusted proxy, the forwarded one).
    address: str = Field(max_length=64, index=True)


class AuditLog(SQLModel, table=True):
    """Who read or changed a person's data, and when."""

    __tablename__ = "audit_log"
    # What was read or changed: the viewer's filter by person, and its office's scope.
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    actor: str = Field(default="", max_length=80)  # "staff:3", "chat:telegram:123"
    action: str = Field(max_length=20)  # read, create, update, import
    entity: str = Field(max_length=30)
    entity_id: int | None = Field(default=None, sa_type=BigId)  # an attachment's, too
    detail: str = Field(default="", max_length=300)
