"""The robots' own Python actions, and the one list a bot's registry gets.

Actions shared by every robot come from the domain packages (``knowledge``: FAQ, product
questions, documents, summaries; ``recommend``: recommendations, feedback, churn), built once
in ``PlatformServices``; the robot-specific ones live here, one module per robot.
"""

from __future__ import annotations

from typing import Any

from bots.actions.advisory import ActionAskMyRiskLevel, ActionRecordRiskAssessment, ValidateRiskAssessmentForm
from bots.actions.advisory_allocation import ActionAssetAllocation
from bots.actions.advisory_glossary import ActionExplainTerm
from bots.actions.service import (
    ActionOrderStatus,
    ActionSubmitChangeBankCard,
    ActionSubmitRedeem,
    ValidateRedeemForm,
)
from bots.actions.service_purchase import ActionAnswerFee, ActionPurchaseHandover, ValidatePurchaseForm
from bots.actions.service_requests import (
    ActionRecordComplaint,
    ActionRequestDocument,
    ActionResetTradePasswordGuide,
    ValidateResetTradePasswordForm,
)
from bots.services import PlatformServices
from bots.settings import BOTS_DIR
from risk_hooks.actions import ActionAmlScreen
from risk_hooks.config import load_risk_config

__all__ = ["bot_actions"]


def bot_actions(bot: str, services: PlatformServices) -> list[Any]:
    """The in-process actions for ``bot`` (the folder name), wired to the platform's services."""
    actions: list[Any] = list(services.shared_actions)
    if bot == "service":
        backend = services.backend
        actions += [
            ValidateRedeemForm(backend),
            ActionSubmitRedeem(backend),
            ActionOrderStatus(backend),
            ActionSubmitChangeBankCard(backend),
            ActionAmlScreen(transactions_provider=services.transactions, audit=services.audit, bot=bot),
            ValidatePurchaseForm(backend, services.catalogue),
            ActionPurchaseHandover(
                backend,
                services.catalogue,
                policy=load_risk_config(BOTS_DIR / bot).suitability,
                audit=services.audit,
            ),
            ActionAnswerFee(),
            ActionRequestDocument(backend),
            ActionRecordComplaint(backend),
            ValidateResetTradePasswordForm(),
            ActionResetTradePasswordGuide(),
        ]
    if bot == "advisory":
        actions += [
            ValidateRiskAssessmentForm(),
            ActionRecordRiskAssessment(services.backend),
            ActionAskMyRiskLevel(services.customer_profile),
            ActionExplainTerm(),
            ActionAssetAllocation(
                services.customer_profile, policy=load_risk_config(BOTS_DIR / bot).suitability
            ),
        ]
    return actions
