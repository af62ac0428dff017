"""The services the robots share, built once per process and each only when first used."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

from knowledge.catalogue import Catalogue, load_catalogue
from risk_hooks.aml import Transaction as AmlTransaction
from risk_hooks.audit import AuditTrail
from wealth_backend import WealthBackend, open_demo_backend

__all__ = ["PlatformServices"]

logger = logging.getLogger(__name__)


class PlatformServices:
    """Lazily opened shared services.

    Args:
        data_dir: where the embedded SQLite databases live.
        backend_url: the wealth backend's database (default: the seeded demo in ``data_dir``).
        audit_url: the risk audit trail's database (default: SQLite in ``data_dir``).
    """

    def __init__(self, data_dir: Path, backend_url: str | None = None, audit_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.backend_url = backend_url or f"sqlite:///{self.data_dir / 'wealth.db'}"
        self.audit_url = audit_url

    @cached_property
    def backend(self) -> WealthBackend:
        return open_demo_backend(self.backend_url)

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue()

    @cached_property
    def audit(self) -> AuditTrail:
        return AuditTrail(self.audit_url, path=self.data_dir / "risk_audit.db")

    @cached_property
    def product_names(self) -> list[str]:
        """Every name, alias and code a reply may name a product by (the compliance filter's list)."""
        return [name for p in self.catalogue for name in (p.name, p.code, *p.aliases)]

    @cached_property
    def shared_actions(self) -> list[Any]:
        """The knowledge and recommendation actions every robot gets: one instance each, so the
        FAQ index, the documents and the recommender load once per process, on first use."""
        from knowledge.faq.actions import ActionAnswerFaq
        from knowledge.kbqa.actions import ActionProductQuery
        from knowledge.reading.actions import ActionReadDocument
        from knowledge.summarize.actions import ActionSummarizeConversation
        from recommend.actions import ActionChurnAssessment, ActionRecommendProducts, ActionRecordFeedback

        profiles = self.customer_profile
        return [
            ActionAnswerFaq(),
            ActionProductQuery(risk_slot="risk_level"),
            ActionReadDocument(),
            ActionSummarizeConversation(),
            ActionRecommendProducts(profile_provider=profiles),
            ActionRecordFeedback(profile_provider=profiles),
            ActionChurnAssessment(),
        ]

    def warm_up(self) -> None:
        """Build the FAQ index and the document reader now, not on a customer's first question.

        Encoding the FAQ takes ten seconds or more on a small CPU; the actions share these
        process-wide caches, so a question asked meanwhile waits for the same build.
        """
        from knowledge.faq.defaults import default_retriever
        from knowledge.reading.actions import ActionReadDocument

        try:
            default_retriever()
            for action in self.shared_actions:
                if isinstance(action, ActionReadDocument):
                    action.reader()
        except Exception:  # a failed warm-up only means the first question is slow
            logger.exception("warming up the knowledge services failed")

    def warm_up_in_background(self) -> threading.Thread:
        """Start :meth:`warm_up` on a daemon thread (the server answers meanwhile)."""
        thread = threading.Thread(target=self.warm_up, name="warm-up-knowledge", daemon=True)
        thread.start()
        return thread

    def customer_profile(self, customer_id: str) -> Any:
        """The logged-in customer's profile from the backend (None for an unknown id)."""
        return self.backend.get_profile(customer_id)

    def profile_slots(self, customer_id: str) -> dict[str, Any]:
        """Slots the robots may fill for a logged-in customer: a valid assessed risk level."""
        profile = self.backend.get_profile(customer_id)
        if profile is None or profile.risk_level is None or profile.assessment_valid_until is None:
            return {}
        if profile.assessment_valid_until < dt.date.today():
            return {}
        return {
            "risk_level": f"C{profile.risk_level}",
            "risk_assessment_valid_until": profile.assessment_valid_until.isoformat(),
        }

    def transactions(self, customer_id: str) -> list[AmlTransaction]:
        """The customer's transactions as the AML screen reads them."""
        return [
            AmlTransaction(
                id=t.txn_id,
                customer_id=t.customer_id,
                at=t.at,
                kind=t.kind,
                amount=t.amount,
                counterparty=t.counterparty,
            )
            for t in self.backend.list_transactions(customer_id)
        ]
