"""When a customer may be touched: frequency caps per channel and quiet hours.

``TouchPolicy`` answers two questions for the dispatcher: the earliest allowed send time
(outside quiet hours, e.g. 21:00-08:00 local time) and the day/week windows a cap counts in
(local calendar day; ISO week from Monday). Build it in code or from a mapping
(``TouchPolicy.from_mapping``, e.g. a YAML settings section)::

    caps:
      sms: {per_day: 1, per_week: 3}
      push: {per_day: 2, per_week: 5}
    quiet_hours: {start: "21:00", end: "08:00"}
    timezone: Asia/Shanghai
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from channels.touch.errors import TouchConfigError
from channels.touch.message import TouchChannel

__all__ = ["DEFAULT_CAPS", "FrequencyCap", "TouchPolicy"]


@dataclass(frozen=True)
class FrequencyCap:
    """At most ``per_day`` / ``per_week`` touches of one channel per customer (None: no cap)."""

    per_day: int | None = None
    per_week: int | None = None

    def __post_init__(self) -> None:
        for name in ("per_day", "per_week"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise TouchConfigError(f"FrequencyCap.{name} must be a whole number >= 0, got {value!r}")


DEFAULT_CAPS: Mapping[TouchChannel, FrequencyCap] = MappingProxyType(
    {
        TouchChannel.SMS: FrequencyCap(per_day=1, per_week=3),
        TouchChannel.PUSH: FrequencyCap(per_day=2, per_week=5),
        TouchChannel.H5: FrequencyCap(per_day=1, per_week=3),
    }
)


@dataclass(frozen=True)
class TouchPolicy:
    """Caps and quiet hours.

    Attributes:
        caps: the cap of each channel (a channel left out: uncapped).
        quiet_start: local time quiet hours begin (inclusive).
        quiet_end: local time they end (exclusive); ``quiet_start == quiet_end``: none.
        timezone: the customers' time zone (IANA name).
    """

    caps: Mapping[TouchChannel, FrequencyCap] = field(default_factory=lambda: DEFAULT_CAPS)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise TouchConfigError(f"TouchPolicy.timezone: unknown time zone {self.timezone!r}") from exc

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_quiet(self, moment: datetime) -> bool:
        """Whether ``moment`` (time-zone aware) falls in quiet hours, local time."""
        start, end = self.quiet_start, self.quiet_end
        now = _aware(moment).astimezone(self.zone).time()
        if start == end:
            return False
        if start < end:
            return start <= now < end
        return now >= start or now < end  # over midnight: 21:00-08:00

    def next_allowed(self, moment: datetime) -> datetime:
        """``moment`` itself when allowed, else the end of these quiet hours (aware, local zone)."""
        moment = _aware(moment)
        if not self.is_quiet(moment):
            return moment
        local = moment.astimezone(self.zone)
        end = datetime.combine(local.date(), self.quiet_end, tzinfo=self.zone)
        return end if end > local else end + timedelta(days=1)

    def windows(self, moment: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
        """The local calendar day and ISO week (Monday on) holding ``moment``, as [start, end)."""
        local = _aware(moment).astimezone(self.zone)
        day = datetime.combine(local.date(), time(0), tzinfo=self.zone)
        week = day - timedelta(days=local.weekday())
        return (day, day + timedelta(days=1)), (week, week + timedelta(days=7))

    def cap(self, channel: TouchChannel) -> FrequencyCap:
        return self.caps.get(channel, FrequencyCap())

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TouchPolicy:
        """A policy from settings (``caps``, ``quiet_hours``, ``timezone``; all optional).

        Raises:
            TouchConfigError: an unknown channel or key, a bad time, a negative cap.
        """
        unknown = set(data) - {"caps", "quiet_hours", "timezone"}
        if unknown:
            raise TouchConfigError(f"touch policy: unknown key(s) {', '.join(sorted(unknown))}")
        caps = dict(DEFAULT_CAPS)
        for channel, limits in (data.get("caps") or {}).items():
            try:
                caps[TouchChannel(channel)] = FrequencyCap(**dict(limits or {}))
            except (ValueError, TypeError, TouchConfigError) as exc:
                raise TouchConfigError(f"touch policy: caps.{channel}: {exc}") from exc
        quiet = data.get("quiet_hours") or {}
        return cls(
            caps=MappingProxyType(caps),
            quiet_start=_parse_time(quiet.get("start", "21:00"), "quiet_hours.start"),
            quiet_end=_parse_time(quiet.get("end", "08:00"), "quiet_hours.end"),
            timezone=str(data.get("timezone", "Asia/Shanghai")),
        )


def _parse_time(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise TouchConfigError(f"touch policy: {where} must be HH:MM, got {value!r}") from None


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise TouchConfigError("touch times must be time-zone aware (the clock returned a naive datetime)")
    return moment
