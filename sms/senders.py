"""The sender, assembled from settings: each provider wrapped in decorators, then failover.

    Failover(order = CostAware(RoundRobin))
      └─ per provider: Health( RateLimit( Timed( provider ) ) )

``send_now`` either returns the name of the provider that took the message, or raises:
``NotSent`` (limited, down or failing everywhere: the caller may queue it) or
``CallerTimeout`` (the caller's own deadline passed: returned at once, never retried).
Anything else (a cancellation such as a Celery soft time limit) propagates untouched.
"""

import itertools
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sms import metrics, signals
from sms.providers import (
    AliyunProvider,
    ConsoleProvider,
    Provider,
    ProviderError,
    ProviderTimeout,
    TencentProvider,
)
from tinybook import kv, tracing
from tinybook.exceptions import DependencyError

logger = logging.getLogger("sms")

PROVIDER_CLASSES: dict[str, type[Provider]] = {
    "console": ConsoleProvider,
    "tencent": TencentProvider,
    "aliyun": AliyunProvider,
}


@dataclass(frozen=True)
class Message:
    tpl_id: str
    args: tuple[str, ...]
    numbers: tuple[str, ...]
    out_id: str | None = None  # our client-side id, the same on every attempt (a queued row's)


class NotSent(Exception):
    """No provider took the message now; ``reason`` says why ("limited", "down", "error")."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ProviderSkipped(Exception):
    """This provider was not called (``reason`` "limited" or "down"); try the next one."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class CallerTimeout(DependencyError):
    """The caller's deadline passed while sending; the outcome is unknown, nothing is retried."""

    default_message = _("sending the SMS took too long, try again")


# --- the innermost layer: one provider call under a timeout ------------------------------------

class Timed:
    """``on_attempt(name)`` is called just before the provider is: the queue records which
    provider a message is in flight with, so a worker dying mid-call leaves a trace."""

    def __init__(self, provider: Provider, on_attempt=None):
        self.provider = provider
        self.name = provider.name
        self.on_attempt = on_attempt

    def send(self, msg: Message, *, deadline: float | None) -> float:
        """Call the provider; returns the latency in seconds."""
        timeout = settings.SMS_PROVIDER_TIMEOUT
        caller_bound = False
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CallerTimeout()
            if remaining < timeout:
                timeout, caller_bound = remaining, True
        if self.on_attempt is not None:
            self.on_attempt(self.name)
        started = time.monotonic()
        outcome = "ok"
        # The provider call's span (its SDK's HTTP call is the child): never the numbers or the
        # text, and no exception message either (a provider may echo the number).
        with tracing.span(f"sms send {self.name}", {"sms.provider": self.name, "sms.template": msg.tpl_id},
                          record_errors=False) as span:
            try:
                self.provider.send(tpl_id=msg.tpl_id, args=list(msg.args), numbers=list(msg.numbers),
                                   timeout=timeout, out_id=msg.out_id)
            except ProviderTimeout:
                outcome = "timeout"
                if caller_bound:
                    raise CallerTimeout() from None
                raise
            except ProviderError:
                outcome = "error"
                raise
            finally:
                elapsed = time.monotonic() - started
                metrics.SEND_SECONDS.labels(self.name, msg.tpl_id, outcome).observe(elapsed)
                span.set_attribute("sms.outcome", outcome)
        return elapsed


# --- client-side rate limit ---------------------------------------------------------------------

RATE_LIMIT_SETTINGS = {
    "console": "SMS_CONSOLE_RATE_LIMIT",
    "tencent": "SMS_TENCENT_RATE_LIMIT",
    "aliyun": "SMS_ALIYUN_RATE_LIMIT",
}


class RateLimited:
    """A Redis sliding window per provider (shared by all processes)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def allowed(self) -> bool:
        limit = getattr(settings, RATE_LIMIT_SETTINGS[self.name])
        try:
            return kv.sliding_window_hit(
                kv.sms_rate_key(self.name), limit=limit, window=settings.SMS_RATE_LIMIT_WINDOW
            )
        except kv.REDIS_ERRORS as exc:
            logger.warning("sms rate limit for %s unknown (redis: %s)", self.name, type(exc).__name__)
            return not settings.SMS_RATE_LIMIT_FAIL_CLOSED

    def send(self, msg, *, deadline):
        if not self.allowed():
            raise ProviderSkipped("limited")
        return self.inner.send(msg, deadline=deadline)


# --- provider health ----------------------------------------------------------------------------

_health_script = kv.Script("sms_health")


def provider_is_down(name: str, conn=None) -> bool | None:
    """True/False, or None when Redis cannot tell (then the provider is treated as up)."""
    try:
        return bool((conn or kv.client()).exists(kv.sms_down_key(name)))
    except kv.REDIS_ERRORS:
        return None


class HealthTracked:
    """Sliding window of outcomes in Redis; down providers get only probes.

    When Redis is unreachable health is unknown and the provider is treated as up:
    the rate limiter is the conservative layer, health only steers traffic.
    """

    def __init__(self, inner, on_restore=None):
        self.inner = inner
        self.name = inner.name
        self.on_restore = on_restore

    def _take_probe_slot(self) -> bool:
        try:
            return bool(
                kv.client().set(
                    kv.sms_probe_key(self.name), "1", nx=True, px=int(settings.SMS_HEALTH_PROBE_INTERVAL * 1000)
                )
            )
        except kv.REDIS_ERRORS:
            return True

    def _record(self, *, error: bool, latency: float, probe: bool):
        slow = latency > settings.SMS_HEALTH_MAX_P90
        now = time.time()
        try:
            state, n, errors, slow_n = _health_script(
                keys=[kv.sms_health_key(self.name), kv.sms_down_key(self.name), kv.sms_probe_key(self.name)],
                args=[
                    int(now), settings.SMS_HEALTH_WINDOW, int(error), int(slow),
                    settings.SMS_HEALTH_MIN_SAMPLES, settings.SMS_HEALTH_MAX_ERROR_RATE,
                    settings.SMS_HEALTH_LATENCY_PERCENTILE, int(probe), int(now * 1000),
                    int(settings.SMS_HEALTH_PROBE_INTERVAL * 1000),
                ],
            )
        except kv.REDIS_ERRORS as exc:
            logger.warning("sms health of %s not recorded (redis: %s)", self.name, type(exc).__name__)
            return
        if state == 2:
            logger.warning(
                "sms provider %s is DOWN: %d samples, %d errors, %d slower than %.3fs in %ss",
                self.name, n, errors, slow_n, settings.SMS_HEALTH_MAX_P90, settings.SMS_HEALTH_WINDOW,
            )
        elif state == 3:
            logger.warning("sms provider %s is back UP after a good probe", self.name)
            if self.on_restore:
                self.on_restore(self.name)

    def send(self, msg, *, deadline):
        probe = False
        if provider_is_down(self.name):
            if not self._take_probe_slot():
                raise ProviderSkipped("down")
            probe = True
        started = time.monotonic()
        try:
            latency = self.inner.send(msg, deadline=deadline)
        except ProviderSkipped:
            raise
        except CallerTimeout:
            # Our caller gave up, which says nothing certain about the provider.
            raise
        except ProviderError:
            self._record(error=True, latency=time.monotonic() - started, probe=probe)
            raise
        self._record(error=False, latency=latency, probe=probe)
        return latency


# --- choice: round-robin start, cheapest first ----------------------------------------------------

_local_rr = itertools.count()


def _round_robin_start(n: int) -> int:
    try:
        return int(kv.client().incr(kv.sms_round_robin_key())) % n
    except kv.REDIS_ERRORS:
        return next(_local_rr) % n


def _month() -> str:
    return timezone.localtime().strftime("%Y%m")


def monthly_volumes(names: list[str]) -> dict[str, int]:
    keys = [kv.sms_volume_key(n, _month()) for n in names]
    values = kv.client().mget(keys)
    return {n: int(v or 0) for n, v in zip(names, values, strict=True)}


def price_at(tiers, volume: int) -> float:
    """Tiers are [[from_volume, price], ...]: the price of the highest tier reached."""
    price = math.inf
    for start, tier_price in sorted(tiers or [], key=lambda t: t[0]):
        if volume >= start:
            price = float(tier_price)
    return price


def order_providers(names: list[str]) -> list[str]:
    """Round-robin start; with fee tiers, cheapest at its current monthly volume first.

    Providers without tiers come after those with tiers; ties keep round-robin order.
    """
    if not names:
        return []
    start = _round_robin_start(len(names))
    rotated = names[start:] + names[:start]
    tiers = settings.SMS_FEE_TIERS
    if not tiers:
        return rotated
    try:
        volumes = monthly_volumes(rotated)
    except kv.REDIS_ERRORS:
        return rotated
    return sorted(rotated, key=lambda n: price_at(tiers.get(n), volumes[n]))


def _count_volume(name: str, count: int):
    try:
        pipe = kv.client().pipeline()
        key = kv.sms_volume_key(name, _month())
        pipe.incrby(key, count)
        pipe.expire(key, settings.SMS_VOLUME_KEY_TTL)
        pipe.execute()
    except kv.REDIS_ERRORS:
        pass


# --- failover -------------------------------------------------------------------------------------

def _restored(provider: str):
    signals.provider_restored.send(sender=HealthTracked, provider=provider)


def build_chain(name: str, on_attempt=None):
    return HealthTracked(RateLimited(Timed(PROVIDER_CLASSES[name](), on_attempt)), on_restore=_restored)


def delivered_before(name: str, msg: Message, *, since) -> bool | None:
    """Did provider ``name`` already take ``msg`` (by its ``out_id``)? None when it cannot say."""
    if name not in PROVIDER_CLASSES or not msg.out_id:
        return None
    return PROVIDER_CLASSES[name]().delivered(numbers=list(msg.numbers), out_id=msg.out_id, since=since,
                                              timeout=settings.SMS_PROVIDER_TIMEOUT)


def send_now(msg: Message, *, deadline: float | None = None, on_attempt=None) -> str:
    """Try providers in order until one takes the message; see the module docstring.

    Traced as one span (each provider tried is a child): template, recipient count, the
    provider that took it and the outcome ("sent", or why not), never a number or the text."""
    with tracing.span("sms send", {"sms.template": msg.tpl_id, "sms.recipients": len(msg.numbers)},
                      record_errors=False) as span:
        try:
            name = _send_now(msg, deadline=deadline, on_attempt=on_attempt)
        except NotSent as exc:
            span.set_attribute("sms.outcome", exc.reason)
            raise
        except BaseException as exc:
            span.set_attribute("sms.outcome", "timeout" if isinstance(exc, CallerTimeout) else "error")
            span.set_attribute("error.type", type(exc).__name__)
            raise
        span.set_attribute("sms.outcome", "sent")
        span.set_attribute("sms.provider", name)
        return name


def _send_now(msg: Message, *, deadline: float | None, on_attempt) -> str:
    names = [n for n in settings.SMS_PROVIDERS if n in PROVIDER_CLASSES]
    reasons = []
    for name in order_providers(names):
        try:
            build_chain(name, on_attempt).send(msg, deadline=deadline)
        except ProviderSkipped as exc:
            reasons.append((name, exc.reason, ""))
            continue
        except ProviderError as exc:
            logger.info("sms provider %s failed: %s", name, exc)
            reasons.append((name, "error", str(exc)[:200]))
            continue
        _count_volume(name, len(msg.numbers))
        return name
    kinds = {r for _n, r, _d in reasons}
    reason = "error" if "error" in kinds else ("limited" if kinds == {"limited"} else "down")
    detail = "; ".join(f"{n}: {d or r}" for n, r, d in reasons) or "no provider configured"
    raise NotSent(reason, detail)
