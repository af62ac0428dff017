"""The demo wealth backend on a real SQLite file: seed, reads, idempotent writes, refusals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from knowledge.catalogue import load_catalogue
from wealth_backend import BackendError, SqlWealthBackend, open_demo_backend
from wealth_backend.assessment import QUESTIONS, level_for_score, score_answers
from wealth_backend.seed import DEMO_CUSTOMER_COUNT, seed_demo
from wealth_backend.sql_backend import arrival_date

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SqlWealthBackend:
    url = f"sqlite:///{tmp_path_factory.mktemp('wealth') / 'wealth.db'}"
    backend = SqlWealthBackend(url, today=lambda: TODAY)
    seed_demo(backend)
    return backend


@pytest.fixture
def fresh(tmp_path: Path) -> SqlWealthBackend:
    backend = SqlWealthBackend(f"sqlite:///{tmp_path / 'w.db'}", today=lambda: TODAY)
    seed_demo(backend, count=30)
    return backend


def test_seed_demo_population_is_spread_and_fictional(demo: SqlWealthBackend) -> None:
    customers = demo.list_customers()
    assert len(customers) == DEMO_CUSTOMER_COUNT >= 200
    levels = Counter(c.risk_level for c in customers)
    assert set(levels) == {None, 1, 2, 3, 4, 5}
    ages = [(TODAY - c.birth_date).days // 365 for c in customers]
    assert min(ages) < 30 and max(ages) >= 65
    expired = [c for c in customers if c.assessment_valid_until and c.assessment_valid_until < TODAY]
    assert expired, "some assessments must be expired so the robots ask to re-assess"
    assert len({c.customer_id for c in customers}) == len(customers)


def test_seed_demo_is_idempotent_and_deterministic(demo: SqlWealthBackend, tmp_path: Path) -> None:
    assert seed_demo(demo) == 0
    other = SqlWealthBackend(f"sqlite:///{tmp_path / 'again.db'}", today=lambda: TODAY)
    seed_demo(other)
    assert [c.name for c in other.list_customers(20)] == [c.name for c in demo.list_customers(20)]


def test_seed_demo_holdings_never_exceed_the_customer_risk_level(demo: SqlWealthBackend) -> None:
    catalogue = load_catalogue()
    for customer in demo.list_customers():
        for holding in demo.list_holdings(customer.customer_id):
            product = catalogue.get(holding.product_code)
            assert product is not None
            assert product.risk_level <= (customer.risk_level or 1), (customer.customer_id, product.code)


def test_get_profile_sums_holdings(demo: SqlWealthBackend) -> None:
    customer = next(c for c in demo.list_customers() if demo.list_holdings(c.customer_id))
    profile = demo.get_profile(customer.customer_id)
    assert profile is not None and profile.risk_level == customer.risk_level
    held = demo.list_holdings(customer.customer_id)
    assert profile.total_assets == pytest.approx(sum(h.amount for h in held), abs=0.05)
    assert set(profile.holdings) == {h.product_code for h in held}
    assert demo.get_profile("C0") is None


def _open_ended_holding(backend: SqlWealthBackend) -> tuple[str, str]:
    catalogue = backend.catalogue
    for customer in backend.list_customers():
        for holding in backend.list_holdings(customer.customer_id):
            if catalogue.get(holding.product_code).term_days == 0:  # type: ignore[union-attr]
                return customer.customer_id, holding.product_code
    raise AssertionError("no open-ended holding in the demo data")


def test_redeem_is_idempotent_by_request_id(fresh: SqlWealthBackend) -> None:
    customer_id, code = _open_ended_holding(fresh)
    before = next(h for h in fresh.list_holdings(customer_id) if h.product_code == code)
    half = round(before.shares / 2, 2)
    first = fresh.redeem(customer_id, code, "req-1", shares=half)
    again = fresh.redeem(customer_id, code, "req-1", shares=half)
    assert again == first
    after = next(h for h in fresh.list_holdings(customer_id) if h.product_code == code)
    assert after.shares == pytest.approx(before.shares - half, abs=0.01)
    assert fresh.get_order(customer_id, first.order_id) == first
    assert first.expected_arrival is not None and first.expected_arrival > TODAY
    assert [t.kind for t in fresh.list_transactions(customer_id)][-1] == "redemption"


def test_redeem_refusals_are_backend_errors_in_chinese(fresh: SqlWealthBackend) -> None:
    customer_id, code = _open_ended_holding(fresh)
    with pytest.raises(BackendError) as over:
        fresh.redeem(customer_id, code, "req-2", shares=10**9)
    assert over.value.code == "over_holding" and "份额" in over.value.message
    with pytest.raises(BackendError) as not_held:
        fresh.preview_redeem(customer_id, "999999", shares=1)
    assert not_held.value.code == "not_held"
    fresh.redeem(customer_id, code, "req-3", shares=1)
    with pytest.raises(BackendError) as conflict:
        fresh.redeem("C10002", code, "req-3", shares=1)
    assert conflict.value.code == "request_conflict"


def test_preview_redeem_blocks_closed_period(fresh: SqlWealthBackend) -> None:
    for customer in fresh.list_customers():
        for holding in fresh.list_holdings(customer.customer_id):
            product = fresh.catalogue.get(holding.product_code)
            assert product is not None
            if product.term_days and (TODAY - holding.acquired_on).days < product.term_days:
                with pytest.raises(BackendError) as closed:
                    fresh.preview_redeem(customer.customer_id, product.code)
                assert closed.value.code == "closed_period" and "封闭期" in closed.value.message
                return
    pytest.skip("no holding inside its closed period in this seed")


def test_change_bank_card_checks_luhn_and_is_idempotent(fresh: SqlWealthBackend) -> None:
    with pytest.raises(BackendError) as bad:
        fresh.change_bank_card("C10001", "招商银行", "6222021234567890124", "card-1")
    assert bad.value.code == "bad_card"
    card = fresh.change_bank_card("C10001", "招商银行", "6222 0212 3456 7890 128", "card-2")
    assert card.last4 == "0128" and card.masked == "招商银行（尾号0128）"
    assert fresh.change_bank_card("C10001", "招商银行", "6222021234567890128", "card-2") == card
    cards = fresh.list_bank_cards("C10001")
    assert [c.is_default for c in cards].count(True) == 1 and cards[-1].card_id == card.card_id


@pytest.mark.parametrize(
    ("answers", "level"),
    [([0] * 10, 1), ([1] * 10, 2), ([2] * 10, 4), ([3] * 10, 5)],
    ids=["all-a", "all-b", "all-c", "all-d"],
)
def test_record_assessment_scores_and_updates_the_customer(
    fresh: SqlWealthBackend, answers: list[int], level: int
) -> None:
    record = fresh.record_assessment("C10003", answers, f"assess-{level}")
    assert record.level == level == level_for_score(score_answers(answers))
    assert record.valid_until == TODAY + dt.timedelta(days=365)
    customer = fresh.get_customer("C10003")
    assert customer is not None and customer.risk_level == level
    assert fresh.record_assessment("C10003", [3] * 10, f"assess-{level}") == record


def test_record_assessment_rejects_incomplete_answers(fresh: SqlWealthBackend) -> None:
    with pytest.raises(BackendError, match="bad_answers"):
        fresh.record_assessment("C10003", [1, 2], "assess-bad")
    with pytest.raises(BackendError, match="unknown_customer"):
        fresh.record_assessment("C0", [1] * len(QUESTIONS), "assess-nobody")


def test_arrival_date_skips_weekends() -> None:
    friday = dt.date(2026, 11, 27)
    assert arrival_date("货币", friday) == dt.date(2026, 11, 30)
    assert arrival_date("股票", friday) == dt.date(2026, 12, 3)


def test_open_demo_backend_seeds_a_new_file(tmp_path: Path) -> None:
    backend = open_demo_backend(f"sqlite:///{tmp_path / 'sub' / 'demo.db'}")
    assert len(backend.list_customers()) == DEMO_CUSTOMER_COUNT


@pytest.mark.parametrize(
    ("kind", "period", "ready"),
    [
        ("statement", "2026-10", dt.date(2026, 11, 26)),
        ("statement", "2026-Q3", dt.date(2026, 11, 26)),
        ("statement", "2025", dt.date(2026, 11, 26)),
        ("certificate", "2026-11-25", TODAY),
    ],
    ids=["month", "quarter", "year", "certificate"],
)
def test_request_document_files_once_per_request_id(
    fresh: SqlWealthBackend, kind: str, period: str, ready: dt.date
) -> None:
    filed = fresh.request_document("C10001", kind, period, f"doc-{period}")
    assert filed.kind == kind and filed.period == period and filed.status == "accepted"
    assert filed.ticket.startswith("D") and filed.ready_by == ready
    phone = fresh.get_customer("C10001").phone  # type: ignore[union-attr]
    assert filed.notify_phone == f"{phone[:3]}****{phone[-4:]}"
    assert fresh.request_document("C10001", kind, period, f"doc-{period}") == filed
    assert fresh.list_service_requests("C10001") == [filed]


@pytest.mark.parametrize(
    ("kind", "period", "code"),
    [
        ("statement", "2026-11", "bad_period"),  # the month is not over yet
        ("statement", "2026-Q4", "bad_period"),
        ("statement", "2026-13", "bad_period"),
        ("certificate", "2026-12-01", "bad_period"),
        ("certificate", "上个月", "bad_period"),
        ("invoice", "2026-10", "bad_kind"),
    ],
    ids=["current-month", "current-quarter", "bad-month", "future-day", "words", "kind"],
)
def test_request_document_refuses_bad_periods(
    fresh: SqlWealthBackend, kind: str, period: str, code: str
) -> None:
    with pytest.raises(BackendError) as refused:
        fresh.request_document("C10001", kind, period, f"bad-{kind}-{period}")
    assert refused.value.code == code
    assert fresh.list_service_requests("C10001") == []


def test_record_complaint_is_idempotent_and_checks_the_customer(fresh: SqlWealthBackend) -> None:
    filed = fresh.record_complaint("C10002", "赎回一直没到账", "angry", "complaint-1")
    assert filed.ticket.startswith("T") and filed.kind == "complaint" and "[angry]" in filed.detail
    assert fresh.record_complaint("C10002", "赎回一直没到账", "angry", "complaint-1") == filed
    with pytest.raises(BackendError, match="request_conflict"):
        fresh.record_complaint("C10003", "别人的请求号", "mild", "complaint-1")
    with pytest.raises(BackendError, match="unknown_customer"):
        fresh.record_complaint("C0", "谁", "mild", "complaint-2")
    with pytest.raises(BackendError, match="bad_severity"):
        fresh.record_complaint("C10002", "怎么回事", "furious", "complaint-3")
