"""The risk and issue register of a programme."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.domain.vocabulary import EntryKind, EntryStatus, Response
from tracker.extensions import db
from tracker.models.base import Tracked, str_enum


class RegisterEntry(Tracked, db.Model):
    """A risk (may happen) or an issue (has happened), scored likelihood times impact."""

    __tablename__ = "register_entry"
    __table_args__ = (
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        Index("ix_register_entry_programme_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[EntryKind] = mapped_column(
        str_enum(EntryKind, "kind"), nullable=False, default=EntryKind.RISK
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    impact: Mapped[int] = mapped_column(Integer, nullable=False)
    owner: Mapped[str] = mapped_column(String(120), nullable=False, default="", server_default="")
    response: Mapped[Response] = mapped_column(
        str_enum(Response, "response"), nullable=False, default=Response.TREAT
    )
    mitigation: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    status: Mapped[EntryStatus] = mapped_column(
        str_enum(EntryStatus, "status"), nullable=False, default=EntryStatus.OPEN
    )
    review_date: Mapped[date | None] = mapped_column(Date)
    # An issue raised from a risk that happened points back at the risk.
    raised_from_id: Mapped[int | None] = mapped_column(ForeignKey("register_entry.id", ondelete="SET NULL"))

    raised_from: Mapped[RegisterEntry | None] = relationship(remote_side=[id])

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
