"""The inbound guard: decides allow / warn / block / handoff for each user message before NLU.

Three sources of evidence, the most severe decision wins:

1. rate limits per sender and per device (token buckets, ``risk_hooks.ratelimit``);
2. pattern rules for fraud, social engineering, abuse, threats, prompt injection, requests
   for other customers' data and attempts to extract a guarantee
   (``risk_hooks/data/inbound_rules.yml``, read by ``risk_hooks.rules``);
3. anti-bonus-hunting signals from the message metadata (``risk_hooks.bonus``);
4. for messages no rule caught, a small learned classifier (``risk_hooks.classifier``): from
   ``classifier_threshold`` it warns (recorded for review, the chat goes on). Optionally,
   from a much higher ``classifier_block_threshold`` it decides like the rules of the
   predicted category (abuse warns, threats go to a human, the rest is blocked). That is off
   by default: at 0.95 it added false blocks on unseen look-alikes (1 of 70 on fresh with
   the classifier trained without it, 1 of 35 on a new probe) and no detection, since a
   warn already counts as detected.

Abuse alone only warns; the ``abuse_handoff_after``-th abusive message of a sender goes to
a human. Benign look-alikes ("验证码收不到怎么办", "保本型产品有哪些") are the rules' job:
see the red-team set in ``risk_hooks/data/redteam/``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from risk_hooks.bonus import BonusHuntingConfig, BonusHuntingDetector
from risk_hooks.classifier import DEFAULT_TRAIN_FILES, AttackClassifier, load_classifier
from risk_hooks.ratelimit import Clock, RateLimit, RateLimiter
from risk_hooks.rules import DECISIONS, RuleHit, RuleSet, load_rules
from risk_hooks.text import match_form

__all__ = ["DEFAULT_RULES_FILE", "GuardConfig", "GuardResult", "InboundGuard"]

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "data" / "inbound_rules.yml"
RATE_LIMIT_REPLY = "您的消息发送过于频繁，请稍后再试。"
BONUS_REPLY = "当前账户操作存在异常，请稍后再试；如有疑问请联系人工客服。"
ABUSE_HANDOFF_REPLY = "理解您的心情，正在为您转接人工客服，请稍候。"


@dataclass(frozen=True)
class GuardConfig:
    """Everything a bot may change about the guard (``inbound:`` in ``risk.yml``).

    Attributes:
        rules_file: the rule file; the shipped one by default.
        disabled: rule ids or categories to switch off.
        decisions: a decision per category overriding the rule's own (e.g. ``abuse: block``).
        sender_limit: token bucket per sender id.
        device_limit: token bucket per ``metadata["device_id"]``.
        bonus: anti-bonus-hunting thresholds.
        abuse_handoff_after: abusive messages of one sender before a human takes over (0: never).
        classifier: ask the learned classifier about messages no rule caught.
        classifier_threshold: probability of "attack" from which the classifier warns.
        classifier_block_threshold: probability from which it decides like the rules of the
            predicted category (block, handoff or, for abuse, warn); None (default): it only warns.
        classifier_train_files: its training files (``risk_hooks.classifier.DEFAULT_TRAIN_FILES``).
        classifier_embeddings: add sentence embeddings to its character n-grams.
    """

    rules_file: Path = DEFAULT_RULES_FILE
    disabled: frozenset[str] = frozenset()
    decisions: Mapping[str, str] = field(default_factory=dict)
    sender_limit: RateLimit = RateLimit(capacity=20, per_minute=30.0)
    device_limit: RateLimit = RateLimit(capacity=30, per_minute=60.0)
    bonus: BonusHuntingConfig = BonusHuntingConfig()
    abuse_handoff_after: int = 3
    classifier: bool = True
    classifier_threshold: float = 0.6
    classifier_block_threshold: float | None = None
    classifier_train_files: tuple[Path, ...] = DEFAULT_TRAIN_FILES
    classifier_embeddings: bool = True


@dataclass(frozen=True)
class GuardResult:
    """The guard's verdict on one message.

    Attributes:
        decision: allow / warn / block / handoff.
        rule: the deciding rule id (``none`` when nothing fired).
        category: its category (``none``, ``rate_limit``, ``bonus_hunting`` or a rule category).
        reason: every rule that fired and why, for the audit trail (English).
        reply: the safe reply to send for block / handoff.
    """

    decision: str = "allow"
    rule: str = "none"
    category: str = "none"
    reason: str = ""
    reply: str | None = None
    hits: tuple[RuleHit, ...] = ()


class InboundGuard:
    """Checks user messages; one instance per bot, safe to share between conversations.

    Args:
        config: the guard's settings.
        clock: seconds, monotonic; injectable for tests (rate limits, timing signals).
        rules: a rule set to use instead of reading ``config.rules_file``.
    """

    def __init__(
        self,
        config: GuardConfig | None = None,
        *,
        clock: Clock = time.monotonic,
        rules: RuleSet | None = None,
    ) -> None:
        self.config = config or GuardConfig()
        self.clock = clock
        self.rules = rules or load_rules(self.config.rules_file)
        self._senders = RateLimiter(self.config.sender_limit, clock)
        self._devices = RateLimiter(self.config.device_limit, clock)
        self._bonus = BonusHuntingDetector(self.config.bonus)
        self._abuse: Counter[str] = Counter()
        self._classifier: AttackClassifier | None = None
        self._lock = threading.Lock()
        # what a confident classifier does per category: the decision and reply of the
        # category's first rule (after ``config.decisions`` overrides)
        self._policy: dict[str, tuple[str, str | None]] = {}
        for rule in self.rules.rules:
            if rule.category not in self._policy:
                reply = self.rules.replies.get(rule.reply) if rule.reply else None
                decision = self.config.decisions.get(rule.category, rule.decision)
                self._policy[rule.category] = (decision, reply)

    def check(self, text: str, sender_id: str, metadata: Mapping[str, Any] | None = None) -> GuardResult:
        """Decide on one message.

        Args:
            text: the message as sent.
            sender_id: the conversation's sender (rate limit and abuse count key).
            metadata: the channel's metadata (``device_id``, bonus-hunting fields).
        """
        metadata = metadata or {}
        limited = self._rate_limited(sender_id, metadata)
        if limited is not None:
            return limited
        hits = self._rule_hits(text)
        results = [self._from_hit(hit, hits) for hit in hits]
        if not hits and self.config.classifier:
            learned = self._classify(text)
            if learned is not None:
                results.append(learned)
        bonus = self._bonus_result(sender_id, metadata)
        if bonus is not None:
            results.append(bonus)
        if not results:
            return GuardResult()
        worst = max(results, key=lambda r: DECISIONS.index(r.decision))
        if worst.category == "abuse" and worst.decision == "warn":
            worst = self._count_abuse(sender_id, worst)
        reason = "; ".join(r.reason for r in results)
        return GuardResult(worst.decision, worst.rule, worst.category, reason, worst.reply, tuple(hits))

    def _rate_limited(self, sender_id: str, metadata: Mapping[str, Any]) -> GuardResult | None:
        if not self._senders.allow(f"sender:{sender_id}"):
            return _limited("rate_limit_sender", "sender over rate limit")
        device = metadata.get("device_id")
        if isinstance(device, str) and device and not self._devices.allow(f"device:{device}"):
            return _limited("rate_limit_device", "device over rate limit")
        return None

    def _rule_hits(self, text: str) -> list[RuleHit]:
        return self.rules.match(match_form(text), disabled=self.config.disabled)

    def _from_hit(self, hit: RuleHit, hits: list[RuleHit]) -> GuardResult:
        decision = self.config.decisions.get(hit.category, hit.decision)
        reply = hit.reply
        if decision in ("block", "handoff") and reply is None:
            reply = next((h.reply for h in hits if h.reply), None) or ABUSE_HANDOFF_REPLY
        reason = f"{hit.category}/{hit.rule}: matched {hit.fragment!r}"
        return GuardResult(decision, hit.rule, hit.category, reason, reply, (hit,))

    def _classify(self, text: str) -> GuardResult | None:
        if self._classifier is None:
            self._classifier = load_classifier(
                tuple(self.config.classifier_train_files), self.config.classifier_embeddings
            )
        category, probability = self._classifier.predict(text)
        if probability < self.config.classifier_threshold or category in self.config.disabled:
            return None
        reason = f"{category}/classifier: p(attack)={probability:.2f}"
        sure = self.config.classifier_block_threshold
        if sure is not None and probability >= sure:
            decision, reply = self._policy.get(category, ("warn", None))
            if decision in ("block", "handoff") and reply is None:
                reply = ABUSE_HANDOFF_REPLY
            return GuardResult(decision, f"classifier_{category}", category, reason, reply)
        return GuardResult("warn", f"classifier_{category}", category, reason)

    def _bonus_result(self, sender_id: str, metadata: Mapping[str, Any]) -> GuardResult | None:
        signals = self._bonus.signals(sender_id, metadata, self.clock())
        if not signals:
            return None
        block = len(signals) >= self.config.bonus.block_at_signals
        reason = "bonus_hunting: " + ", ".join(f"{s.rule} ({s.reason})" for s in signals)
        rule = signals[0].rule if len(signals) == 1 else "bonus_combined"
        if block:
            return GuardResult("block", rule, "bonus_hunting", reason, BONUS_REPLY)
        return GuardResult("warn", rule, "bonus_hunting", reason)

    def _count_abuse(self, sender_id: str, result: GuardResult) -> GuardResult:
        limit = self.config.abuse_handoff_after
        with self._lock:
            self._abuse[sender_id] += 1
            count = self._abuse[sender_id]
            if len(self._abuse) > 100_000:
                self._abuse.clear()
        if limit and count >= limit:
            return GuardResult("handoff", "abuse_repeated", "abuse", result.reason, ABUSE_HANDOFF_REPLY)
        return result


def _limited(rule: str, reason: str) -> GuardResult:
    return GuardResult("block", rule, "rate_limit", reason, RATE_LIMIT_REPLY)
