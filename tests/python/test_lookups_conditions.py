"""How ``analyzer.python.lookups`` judges an ``if`` test around a lookup: only simple tests on an
unset configuration value are decided, anything else stays undecided, and judging never fails."""

from __future__ import annotations

from typing import Any

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.model import Literal, Origin, Unknown
from analyzer.python.evaluator import Frame
from analyzer.python.lookups import _holds_unconfigured
from analyzer.python.values import EValue

UNSET = Unknown("set in stack configuration at deploy time", Origin.CONFIG, hint="vpcId")
OTHER = Unknown("depends on a run-time condition", Origin.CONFIG, hint="vpcId")


def judge(test: str, **bindings: EValue) -> bool | None:
    frame = Frame(module=None, globals={}, locals=dict(bindings))  # type: ignore[arg-type]
    return _holds_unconfigured(cst.parse_expression(test), frame, lambda value: value is UNSET)


def test_simple_tests_on_an_unset_value() -> None:
    assert judge("vpc_id", vpc_id=UNSET) is False
    assert judge("not vpc_id", vpc_id=UNSET) is True
    assert judge("not (not vpc_id)", vpc_id=UNSET) is False
    assert judge("vpc_id is None", vpc_id=UNSET) is True
    assert judge("vpc_id == None", vpc_id=UNSET) is True
    assert judge("vpc_id is not None", vpc_id=UNSET) is False
    assert judge("vpc_id != None", vpc_id=UNSET) is False


def test_everything_else_is_undecided() -> None:
    assert judge("vpc_id", vpc_id=OTHER) is None  # merged with a default: may be set
    assert judge("vpc_id", vpc_id=Literal("vpc-1")) is None
    assert judge("missing") is None
    assert judge('vpc_id == "x"', vpc_id=UNSET) is None
    assert judge("vpc_id and flag", vpc_id=UNSET, flag=UNSET) is None
    assert judge("len(vpc_id)", vpc_id=UNSET) is None
    assert judge("None is vpc_id", vpc_id=UNSET) is None


_NAMES = st.sampled_from(["vpc_id", "flag", "self", "args", "missing"])


def _expressions() -> st.SearchStrategy[str]:
    leaf = st.one_of(_NAMES, _NAMES.map(lambda n: f"{n}.vpc_id"), st.just("None"), st.just('"x"'))
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(lambda e: f"not ({e})"),
            st.tuples(inner, st.sampled_from(["is", "is not", "==", "!=", "<", "in"]), inner).map(
                lambda t: f"({t[0]}) {t[1]} ({t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]}) {t[1]} ({t[2]})"
            ),
            inner.map(lambda e: f"f({e})"),
        ),
        max_leaves=6,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(_expressions(), st.sampled_from([UNSET, OTHER, Literal(None), Literal("vpc-1")]))
def test_judging_any_test_never_fails(test: str, value: Any) -> None:
    verdict = judge(test, vpc_id=value, flag=UNSET)
    assert verdict in (True, False, None)
    if value is not UNSET and "flag" not in test:
        assert verdict is None  # only an unset configuration value decides a test
