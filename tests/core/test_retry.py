from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.errors import FatalError, RateLimitedError, RetriableError
from connector.retry import RetryPolicy, SlidingWindowLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def flaky(failures: list[Exception], result: str = "ok"):
    def fn() -> str:
        if failures:
            raise failures.pop(0)
        return result
    return fn


def test_retries_retriable_then_succeeds_and_honours_retry_after() -> None:
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=5, sleep=clock.sleep, rng=random.Random(1))
    seen: list[tuple[float, int]] = []
    fn = flaky([RateLimitedError("slow down", retry_after=7), RetriableError("503")])
    assert policy.call(fn, on_retry=lambda e, s, n: seen.append((s, n))) == "ok"
    assert clock.slept[0] == 7  # the server's hint wins
    assert 0.25 <= clock.slept[1] <= 1.0  # then exponential backoff with jitter
    assert [n for _, n in seen] == [1, 2]


def test_gives_up_after_max_attempts_and_reraises() -> None:
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=3, sleep=clock.sleep)
    errors: list[Exception] = [RetriableError(f"503 #{i}") for i in range(5)]
    with pytest.raises(RetriableError, match="#2"):
        policy.call(flaky(errors))
    assert len(clock.slept) == 2


def test_fatal_is_not_retried() -> None:
    clock = FakeClock()
    with pytest.raises(FatalError):
        RetryPolicy(sleep=clock.sleep).call(flaky([FatalError("REQUEST_LIMIT_EXCEEDED")]))
    assert clock.slept == []


@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=2**32))
def test_backoff_is_bounded(attempt: int, seed: int) -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=30, rng=random.Random(seed))
    delay = policy.delay_for(RetriableError("x"), attempt)
    assert 0 <= delay <= 30


def test_retry_after_is_capped() -> None:
    policy = RetryPolicy(max_retry_after_s=60)
    assert policy.delay_for(RateLimitedError("x", retry_after=86_400), 1) == 60


def test_sliding_window_never_exceeds_limit() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(5, 10.0, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(23):
        limiter.acquire()
        stamps.append(clock.now)
    for i, start in enumerate(stamps):
        inside = [s for s in stamps[i:] if s - start < 10.0]
        assert len(inside) <= 5
    assert clock.now >= 40.0  # 23 calls at 5 per 10 s need four full windows


def test_pause_delays_next_acquire() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(100, 10.0, clock=clock, sleep=clock.sleep)
    limiter.pause(3.0)
    assert limiter.acquire() == pytest.approx(3.0)
