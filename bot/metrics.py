"""What operators can count: prompts, check-ins, interaction latency, rate-limit waits, gateway latency."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# One registry per process, not prometheus_client's global one: tests start several bots in one process.
REGISTRY = CollectorRegistry(auto_describe=True)

PROMPTS_SENT = Counter(
    "lantern_prompts_sent", "Prompts, reminders and DMs delivered, by kind.", ["kind"], registry=REGISTRY
)
PROMPTS_NOT_SENT = Counter(
    "lantern_prompts_not_sent",
    "Prompts that could not be delivered, by kind and reason (unreachable: DMs closed; failed: Discord errors).",
    ["kind", "reason"],
    registry=REGISTRY,
)
PROMPTS_RETRIED = Counter(
    "lantern_prompts_retried", "Sends tried again after a transient failure, by kind.", ["kind"], registry=REGISTRY
)
CHECKINS = Counter("lantern_checkins", "Check-ins saved (new or updated).", registry=REGISTRY)
INTERACTION_SECONDS = Histogram(
    "lantern_interaction_seconds",
    "From an interaction's creation (its id's timestamp) to the end of Lantern's handler, by kind.",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),
    registry=REGISTRY,
)


def observe_interaction(kind: str, created_at: datetime) -> None:
    """An interaction handled: from its creation at Discord to the end of Lantern's handler (its answer sent)."""
    INTERACTION_SECONDS.labels(kind).observe(max(0.0, (datetime.now(UTC) - created_at).total_seconds()))


def count_retried(kind: str, tried: int) -> None:
    PROMPTS_RETRIED.labels(kind).inc(tried)


def count_delivery(kind: str, sent: int, unreachable: int, failed: int) -> None:
    PROMPTS_SENT.labels(kind).inc(sent)
    PROMPTS_NOT_SENT.labels(kind, "unreachable").inc(unreachable)
    PROMPTS_NOT_SENT.labels(kind, "failed").inc(failed)


class LiveReadings(Collector):
    """Readings taken at scrape time from the running bot: time spent waiting for Discord's rate limit, and
    each shard's gateway heartbeat latency."""

    def __init__(self, waited_seconds: Callable[[], float], latencies: Callable[[], Iterable[tuple[int, float]]]):
        self.waited_seconds = waited_seconds
        self.latencies = latencies

    def collect(self) -> Iterator[Metric]:
        waited = CounterMetricFamily(
            "lantern_rate_limit_wait_seconds", "Seconds requests waited for Lantern's pacer under Discord's limit."
        )
        waited.add_metric([], self.waited_seconds())
        yield waited
        latency = GaugeMetricFamily(
            "lantern_gateway_latency_seconds", "Heartbeat round trip to Discord's gateway, by shard.", labels=["shard"]
        )
        for shard, seconds in self.latencies():
            if seconds == seconds and seconds != float("inf"):  # NaN and inf before the first heartbeat
                latency.add_metric([str(shard)], seconds)
        yield latency
