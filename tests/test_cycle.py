"""处理状态, one transition at a time (`cycle.states`): what a reply, a notice date, the passing of
months and a changed roll each do to a warning of the run's month, 2026-11."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from hexiao.config import FeedbackParams
from hexiao.cycle import states

MONTH = "2026-11"
DEFAULTS: dict[str, Any] = {
    "review_result": None,
    "feedback_month": None,
    "notice_date": None,
    "action": "停发",
    "effective_month": None,
    "code": "DECEASED",
    "first_month": MONTH,
    "changed": False,
}


def _state(params: FeedbackParams | None = None, **row: Any) -> tuple[str, bool]:
    frame = pl.DataFrame([DEFAULTS | row], schema=dict.fromkeys(DEFAULTS, pl.String) | {"changed": pl.Boolean})
    result = states(frame, MONTH, params or FeedbackParams()).row(0, named=True)
    return result["state"], result["raise_risk"]


def test_no_reply_is_open_in_its_first_month() -> None:
    assert _state() == ("待核查", False)


def test_no_reply_a_month_after_the_first_report_is_overdue_and_raised_a_month_later() -> None:
    assert _state(first_month="2026-10") == ("逾期未反馈", False)
    assert _state(first_month="2026-09") == ("逾期未反馈", True)
    assert _state(first_month="2025-11") == ("逾期未反馈", True)  # months counted across a year


def test_overdue_after_months_is_the_setting() -> None:
    two = FeedbackParams(overdue_after_months=2)
    assert _state(two, first_month="2026-10") == ("待核查", False)
    assert _state(two, first_month="2026-09") == ("逾期未反馈", False)


@pytest.mark.parametrize("reply", ["属实", "不属实", "已处理"])
def test_a_replied_warning_is_never_overdue(reply: str) -> None:
    state, raised = _state(review_result=reply, feedback_month=MONTH, first_month="2026-08")
    assert state != "逾期未反馈" and not raised


def test_the_reply_of_this_month_sets_the_state() -> None:
    assert _state(review_result="属实", feedback_month=MONTH) == ("已核实属实", False)
    assert _state(review_result="不属实", feedback_month=MONTH) == ("不属实", False)
    assert _state(review_result="已处理", feedback_month=MONTH) == ("已处理", False)
    assert _state(review_result="属实", feedback_month=MONTH, action="入户核查", notice_date="2026-11-01") == (
        "已核实属实",
        False,
    )


def test_a_notice_is_enforceable_when_its_window_ends_by_the_last_day_of_the_month() -> None:
    confirmed = {"review_result": "属实", "feedback_month": MONTH}
    assert _state(**confirmed, notice_date="2026-11-15") == ("可执行", False)  # + 15 days = 11-30
    assert _state(**confirmed, notice_date="2026-11-16") == ("已告知", False)  # + 15 days = 12-01
    assert _state(**confirmed, action="减发", notice_date="2026-11-16") == ("已告知", False)
    assert _state(FeedbackParams(response_days=14), **confirmed, notice_date="2026-11-16") == ("可执行", False)


def test_confirmed_earlier_and_still_paid_is_unacted_one_level_higher() -> None:
    earlier = {"review_result": "属实", "feedback_month": "2026-10", "first_month": "2026-10"}
    assert _state(**earlier) == ("属实未处理", True)
    assert _state(**earlier, action="入户核查") == ("属实未处理", True)
    # A notice whose window ran out before this month: the person could have been stopped.
    assert _state(**earlier, notice_date="2026-10-16") == ("属实未处理", True)
    # A window that ends in this month is still running: due process, no escalation.
    assert _state(**earlier, notice_date="2026-10-17") == ("可执行", False)
    assert _state(**earlier, code="OMISSION", action="纳入排查") == ("已核实属实", False)


def test_handled_earlier_and_still_paid_is_still_on_the_roll_except_a_notice() -> None:
    earlier = {"review_result": "已处理", "feedback_month": "2026-10", "first_month": "2026-10"}
    assert _state(**earlier) == ("已处理但仍在册", True)
    assert _state(**earlier, action="提前告知") == ("已处理", False)


def test_a_changed_roll_executes_a_stop_or_reduction_whatever_the_reply_but_no() -> None:
    assert _state(changed=True, review_result="属实", feedback_month="2026-10", first_month="2026-10") == (
        "已执行",
        False,
    )
    assert _state(changed=True, action="减发", first_month="2026-09") == ("已执行", False)
    assert _state(changed=True, review_result="不属实", feedback_month=MONTH) == ("不属实", False)
    # A visit is not executed by a roll; confirmed earlier and paid differently, it is not unacted either.
    assert _state(
        changed=True, action="入户核查", review_result="属实", feedback_month="2026-10", first_month="2026-10"
    ) == ("已核实属实", False)
