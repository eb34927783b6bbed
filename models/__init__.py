"""Tables. Importing this package registers every table on SQLModel.metadata."""

from models.base import BigId, UTCDateTime, utcnow
from models.chat import (
    BULK,
    REPLY,
    Conversation,
    HeldStatus,
    InboundMessage,
    OutboxMessage,
    ProofAttempt,
    SendRate,
)
from models.complaint import Complaint, ComplaintAttachment, ComplaintDraft, ComplaintEvent
from models.link import LinkCode
from models.notice import Notice, NoticeRecipient, NoticeRound
from models.office import NumberCounter, Office, OfficeSetting
from models.ops import SendCount
from models.person import BeneficiaryGroup, GroupMember, Person
from models.programme import Programme, ProgrammeStep
from models.proposal import Proposal, ProposalEvent
from models.proposal_records import GroupReport, LateDigest, ProposalOutput
from models.register import RegisterImport, RegisterImportFile
from models.staff import AuditLog, LoginFailure, StaffSession, StaffUser

__all__ = [
    "BULK",
    "REPLY",
    "AuditLog",
    "BeneficiaryGroup",
    "BigId",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintDraft",
    "ComplaintEvent",
    "Conversation",
    "GroupMember",
    "GroupReport",
    "HeldStatus",
    "InboundMessage",
    "LateDigest",
    "LinkCode",
    "LoginFailure",
    "Notice",
    "NoticeRecipient",
    "NoticeRound",
    "NumberCounter",
    "Office",
    "OfficeSetting",
    "OutboxMessage",
    "Person",
    "Programme",
    "ProgrammeStep",
    "ProofAttempt",
    "Proposal",
    "ProposalEvent",
    "ProposalOutput",
    "RegisterImport",
    "RegisterImportFile",
    "SendCount",
    "SendRate",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "utcnow",
]
