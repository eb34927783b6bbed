"""What operations reads: counters that every worker process adds to."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class SendCount(SQLModel, table=True):
    """Sends recorded by the senders, per channel, outcome and platform error code.

    Written in the transaction that records the sends themselves, so the counts agree with
    the outbox whichever process sent and whichever process is scraped. Each process adds to
    its own ``shard`` of rows, so busy workers do not queue on one counter row; ``/metrics``
    sums the shards.
    """

    __tablename__ = "send_count"

    channel: str = Field(primary_key=True, max_length=20)
    # sent, retry, unreachable, failed
    outcome: str = Field(primary_key=True, max_length=12)
    # The platform's error code ("429", "131026"), "network", "timeout"; "" for a send.
    code: str = Field(primary_key=True, max_length=40)
    shard: int = Field(primary_key=True)
    count: int = Field(default=0, sa_type=BigInteger)
