"""Binding calls of worktree classes to their signatures, the way Python binds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from py_helpers import evaluate

from analyzer.model import CallCheck


def calls(tmp_path: Path, lib: str, tap: str) -> dict[str, CallCheck]:
    evaluator, _ = evaluate(tmp_path, {"lib/__init__.py": "", "lib/stack.py": lib, "tap.py": tap})
    return {call.callee: call for call in evaluator.calls.values()}


def one(tmp_path: Path, lib: str, call: str) -> CallCheck:
    found = calls(tmp_path, lib, f"from lib.stack import *\nx = {call}\n")
    assert len(found) == 1
    return next(iter(found.values()))


PLAIN = """
class Args:
    def __init__(self, environment_suffix, vpc_id, tags=None, *, region="us-east-1", flag):
        self.environment_suffix = environment_suffix
"""


def test_missing_required_positional_and_keyword_only(tmp_path: Path) -> None:
    call = one(tmp_path, PLAIN, 'Args(environment_suffix="x")')
    assert call.missing == ("vpc_id", "flag")
    assert call.certain and not call.unexpected
    assert call.location.line == 2 and call.definition is not None and call.definition.path == "lib/stack.py"


def test_unexpected_keyword_and_too_many_positional(tmp_path: Path) -> None:
    call = one(tmp_path, PLAIN, 'Args("a", "b", {}, "extra", flag=1, colour="red")')
    assert call.unexpected == ("colour",)
    assert call.too_many_positional == 1
    assert call.missing == ()


def test_duplicate_argument(tmp_path: Path) -> None:
    call = one(tmp_path, PLAIN, 'Args("a", "b", vpc_id="c", flag=1)')
    assert call.duplicates == ("vpc_id",)


def test_binds_cleanly(tmp_path: Path) -> None:
    call = one(tmp_path, PLAIN, 'Args("a", vpc_id="b", flag=True)')
    assert (call.missing, call.unexpected, call.too_many_positional, call.duplicates) == ((), (), 0, ())


def test_positional_only(tmp_path: Path) -> None:
    lib = "class A:\n    def __init__(self, a, /, b):\n        pass\n"
    call = one(tmp_path, lib, "A(a=1, b=2)")
    assert call.unexpected == ("a",) and call.missing == ("a",)


def test_star_args_and_unknown_kwargs_make_it_uncertain(tmp_path: Path) -> None:
    found = calls(
        tmp_path,
        PLAIN,
        "from lib.stack import Args\nimport os\nx = Args(*os.environ.values())\ny = Args(**os.environ)\n",
    )
    assert found["Args"].certain is False
    assert found["Args"].missing == ()


def test_known_kwargs_dict_expands(tmp_path: Path) -> None:
    call = one(tmp_path, PLAIN, 'Args(**{"environment_suffix": "a", "vpc_id": "b"})')
    assert call.missing == ("flag",) and call.certain


def test_var_keyword_accepts_anything(tmp_path: Path) -> None:
    lib = "class A:\n    def __init__(self, a, **kwargs):\n        self.extra = kwargs\n"
    call = one(tmp_path, lib, "A(1, b=2, c=3)")
    assert call.unexpected == () and call.missing == ()


DATACLASSES = """
from dataclasses import dataclass, field, KW_ONLY
from typing import Optional

@dataclass
class Base:
    environment_suffix: str
    tags: dict = field(default_factory=dict)

@dataclass
class Args(Base):
    vpc_id: Optional[str] = None
    subnets: list = field(default_factory=list)
    _: KW_ONLY
    region: str

@dataclass(kw_only=True)
class Props:
    name: str
    size: int = 1
    hidden: int = field(default=0, init=False)
"""


def test_dataclass_fields_with_inheritance_and_kw_only(tmp_path: Path) -> None:
    found = calls(
        tmp_path,
        DATACLASSES,
        "from lib.stack import Args, Props\na = Args()\nb = Props('x')\nc = Props(name='x', hidden=1)\n",
    )
    assert found["Args"].missing == ("environment_suffix", "region")
    checks = [c for c in found.values() if c.callee == "Props"]
    assert checks  # both Props calls are recorded; the dict keeps the last
    evaluator, _ = evaluate(
        tmp_path / "p",
        {
            "lib/__init__.py": "",
            "lib/stack.py": DATACLASSES,
            "tap.py": "from lib.stack import Props\nb = Props('x')\nc = Props(name='x', hidden=1)\n",
        },
    )
    by_line = {call.location.line: call for call in evaluator.calls.values()}
    assert by_line[2].too_many_positional == 1 and by_line[2].missing == ("name",)
    assert by_line[3].unexpected == ("hidden",)


def test_dataclass_values_reach_the_instance(tmp_path: Path) -> None:
    _, module = evaluate(
        tmp_path,
        {
            "lib/__init__.py": "",
            "lib/stack.py": DATACLASSES,
            "tap.py": "from lib.stack import Args\na = Args('pr1', region='x')\n"
            "s = a.environment_suffix\nt = a.tags\n",
        },
    )
    assert module.namespace["s"].value == "pr1"
    assert module.namespace["t"].value == {}


INHERITANCE = """
class Base:
    def __init__(self, scope, construct_id, *, description=None):
        self.scope = scope

class Stack(Base):
    def __init__(self, scope, construct_id, environment_suffix, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        self.environment_suffix = environment_suffix

class NoInit(Base):
    pass
"""


def test_kwargs_pass_through_to_base(tmp_path: Path) -> None:
    found = calls(tmp_path, INHERITANCE, "from lib.stack import Stack\nx = Stack(1, 'id', 'pr1', props=3)\n")
    call = found["Stack"]
    assert call.unexpected == ("props",)
    assert call.via is not None and "Base" in call.via


def test_kwargs_pass_through_accepts_base_keywords(tmp_path: Path) -> None:
    found = calls(
        tmp_path, INHERITANCE, "from lib.stack import Stack\nx = Stack(1, 'id', 'pr1', description='d')\n"
    )
    assert found["Stack"].unexpected == () and found["Stack"].missing == ()


def test_inherited_init(tmp_path: Path) -> None:
    found = calls(tmp_path, INHERITANCE, "from lib.stack import NoInit\nx = NoInit(1)\n")
    assert found["NoInit"].missing == ("construct_id",)


def test_class_without_init_takes_no_arguments(tmp_path: Path) -> None:
    found = calls(tmp_path, "class Empty:\n    pass\n", "from lib.stack import Empty\nx = Empty(1)\n")
    assert found["Empty"].too_many_positional == 1


@pytest.mark.parametrize("base", ["pulumi.ComponentResource", "SomethingUnknown"])
def test_external_base_is_unknown(tmp_path: Path, base: str) -> None:
    lib = f"import pulumi\nclass C({base}):\n    pass\n"
    found = calls(tmp_path, lib, "from lib.stack import C\nx = C(1, 2, 3)\n")
    assert found["C"].certain is False and found["C"].too_many_positional == 0


@pytest.mark.parametrize(
    "lib",
    [
        "import attr\n@attr.s(auto_attribs=True)\nclass C:\n    a: int\n",
        "from attrs import define\n@define\nclass C:\n    a: int\n",
        "def make(*a):\n    pass\nclass C:\n    __init__ = make\n",
    ],
)
def test_generated_initializers_are_unknown(tmp_path: Path, lib: str) -> None:
    found = calls(tmp_path, lib, "from lib.stack import C\nx = C(1)\n")
    assert found["C"].certain is False and found["C"].too_many_positional == 0
