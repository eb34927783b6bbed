"""Tables. Importing this package registers every table on SQLModel.metadata."""

from models.base import UTCDateTime, utcnow
from models.chat import (
    BULK,
    REPLY,
    Conversation,
    InboundMessage,
    OutboxMessage,
    ProofAttempt,
    SendRate,
)
from models.complaint import Complaint, ComplaintAttachment, ComplaintDraft, ComplaintEvent
from models.link import LinkCode
from models.notice import Notice, NoticeRecipient, NoticeRound
from models.office import Office
from models.ops import SendCount
from models.person import BeneficiaryGroup, GroupMember, Person
from models.programme import Programme, ProgrammeStep
from models.proposal import Proposal, ProposalEvent
from models.proposal_records import GroupReport, LateDigest, ProposalOutput
from models.staff import AuditLog, LoginFailure, StaffSession, StaffUser

__all__ = [
    "BULK",
    "REPLY",
    "AuditLog",
    "BeneficiaryGroup",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintDraft",
    "ComplaintEvent",
    "Conversation",
    "GroupMember",
    "GroupReport",
    "InboundMessage",
    "LateDigest",
    "LinkCode",
    "LoginFailure",
    "Notice",
    "NoticeRecipient",
    "NoticeRound",
    "Office",
    "OutboxMessage",
    "Person",
    "Programme",
    "ProgrammeStep",
    "ProofAttempt",
    "Proposal",
    "ProposalEvent",
    "ProposalOutput",
    "SendCount",
    "SendRate",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "utcnow",
]
