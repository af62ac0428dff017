"""The FAQ store: entries in SQL through SQLAlchemy 2 (SQLite by default, PostgreSQL by URL).

``FaqStore("sqlite:///faq.db")`` or ``FaqStore("postgresql+psycopg://user:pw@host/db")``;
the table is created when missing. All values go through bound parameters, never into SQL text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text, create_engine, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from knowledge.faq.errors import DuplicateFaqIdError, FaqError, FaqNotFoundError
from knowledge.faq.model import Channel, FaqAnswer, FaqButton, FaqEntry, FaqLink, FaqStatus

__all__ = ["DEFAULT_URL", "FaqStore"]

DEFAULT_URL = "sqlite:///faq.db"


class _Base(DeclarativeBase):
    pass


class _FaqRow(_Base):
    __tablename__ = "faq_entries"

    faq_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    paraphrases: Mapped[list[str]] = mapped_column(JSON)
    answer_text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(100), default="")
    tags: Mapped[list[str]] = mapped_column(JSON)
    channel_answers: Mapped[dict[str, str]] = mapped_column(JSON)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(16))


def _to_row(entry: FaqEntry) -> dict[str, Any]:
    return {
        "faq_id": entry.faq_id,
        "question": entry.question,
        "paraphrases": list(entry.paraphrases),
        "answer_text": entry.answer.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in entry.answer.buttons],
        "links": [{"title": link.title, "url": link.url} for link in entry.answer.links],
        "category": entry.category,
        "tags": list(entry.tags),
        "channel_answers": {c.value: text for c, text in entry.channel_answers.items()},
        "valid_from": entry.valid_from,
        "valid_until": entry.valid_until,
        "status": entry.status.value,
    }


def _from_row(row: _FaqRow) -> FaqEntry:
    answer = FaqAnswer(
        text=row.answer_text,
        buttons=tuple(FaqButton(b["title"], b["payload"]) for b in row.buttons or []),
        links=tuple(FaqLink(link["title"], link["url"]) for link in row.links or []),
    )
    return FaqEntry(
        faq_id=row.faq_id,
        question=row.question,
        answer=answer,
        paraphrases=tuple(row.paraphrases or ()),
        category=row.category or "",
        tags=tuple(row.tags or ()),
        channel_answers={Channel(k): v for k, v in (row.channel_answers or {}).items()},
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status=FaqStatus(row.status),
    )


class FaqStore:
    """CRUD over FAQ entries in one SQL table.

    Args:
        url: a SQLAlchemy URL (``sqlite:///path.db``, ``sqlite://`` in memory,
            ``postgresql+psycopg://...``).

    Raises:
        FaqError: the database cannot be reached or the table not created.
    """

    def __init__(self, url: str = DEFAULT_URL) -> None:
        try:
            self._engine = create_engine(url)
            _Base.metadata.create_all(self._engine)
        except SQLAlchemyError as exc:
            raise FaqError(f"cannot open the FAQ store at {_safe(url)}: {exc}") from exc

    def add(self, entry: FaqEntry) -> None:
        """Insert a new entry.

        Raises:
            DuplicateFaqIdError: an entry with that id exists.
        """
        with Session(self._engine) as session:
            if session.get(_FaqRow, entry.faq_id) is not None:
                raise DuplicateFaqIdError(entry.faq_id, "already in the store")
            session.add(_FaqRow(**_to_row(entry)))
            try:
                session.commit()
            except IntegrityError as exc:  # a concurrent writer won the race
                raise DuplicateFaqIdError(entry.faq_id, "already in the store") from exc

    def add_many(self, entries: list[FaqEntry]) -> None:
        """Insert entries in one transaction; nothing is written when one id is taken or repeated."""
        seen: set[str] = set()
        for entry in entries:
            if entry.faq_id in seen:
                raise DuplicateFaqIdError(entry.faq_id, "repeated in the batch")
            seen.add(entry.faq_id)
        with Session(self._engine) as session:
            taken = session.scalars(select(_FaqRow.faq_id).where(_FaqRow.faq_id.in_(seen))).first()
            if taken is not None:
                raise DuplicateFaqIdError(taken, "already in the store")
            session.add_all(_FaqRow(**_to_row(e)) for e in entries)
            session.commit()

    def update(self, entry: FaqEntry) -> None:
        """Replace the stored entry with the same id.

        Raises:
            FaqNotFoundError: no such entry.
        """
        with Session(self._engine) as session:
            row = session.get(_FaqRow, entry.faq_id)
            if row is None:
                raise FaqNotFoundError(f"no FAQ entry {entry.faq_id!r}")
            for key, value in _to_row(entry).items():
                setattr(row, key, value)
            session.commit()

    def upsert(self, entry: FaqEntry) -> None:
        """Insert or replace an entry."""
        with Session(self._engine) as session:
            session.merge(_FaqRow(**_to_row(entry)))
            session.commit()

    def delete(self, faq_id: str) -> None:
        """Remove an entry.

        Raises:
            FaqNotFoundError: no such entry.
        """
        with Session(self._engine) as session:
            done = session.execute(delete(_FaqRow).where(_FaqRow.faq_id == faq_id))
            session.commit()
        if not done.rowcount:  # type: ignore[attr-defined]
            raise FaqNotFoundError(f"no FAQ entry {faq_id!r}")

    def get(self, faq_id: str) -> FaqEntry:
        """The entry with ``faq_id``.

        Raises:
            FaqNotFoundError: no such entry.
        """
        with Session(self._engine) as session:
            row = session.get(_FaqRow, faq_id)
            if row is None:
                raise FaqNotFoundError(f"no FAQ entry {faq_id!r}")
            return _from_row(row)

    def entries(self) -> list[FaqEntry]:
        """Every stored entry (drafts and expired ones included), ordered by id."""
        return list(self._iter())

    def servable(self, now: datetime | None = None) -> list[FaqEntry]:
        """Entries that are published and valid at ``now``."""
        return [e for e in self._iter() if e.is_servable(now)]

    def __len__(self) -> int:
        with Session(self._engine) as session:
            return len(session.scalars(select(_FaqRow.faq_id)).all())

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()

    def _iter(self) -> Iterator[FaqEntry]:
        with Session(self._engine) as session:
            rows = session.scalars(select(_FaqRow).order_by(_FaqRow.faq_id)).all()
            return iter([_from_row(r) for r in rows])


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is printed as a placeholder
        return "<unparsable url>"
