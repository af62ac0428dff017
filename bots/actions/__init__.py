"""The robots' own Python actions, and the one list a bot's registry gets.

Actions shared by every robot come from the domain packages (``knowledge``: FAQ, product
questions, documents, summaries; ``recommend``: recommendations, feedback, churn), built once
in ``PlatformServices``; the robot-specific ones live here, one module per robot.
"""

from __future__ import annotations

from typing import Any

from bots.actions.advisory import ActionRecordRiskAssessment, ValidateRiskAssessmentForm
from bots.actions.service import (
    ActionOrderStatus,
    ActionSubmitChangeBankCard,
    ActionSubmitRedeem,
    ValidateRedeemForm,
)
from bots.services import PlatformServices
from risk_hooks.actions import ActionAmlScreen

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
        ]
    if bot == "advisory":
        actions += [ValidateRiskAssessmentForm(), ActionRecordRiskAssessment(services.backend)]
    return actions
