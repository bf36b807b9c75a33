"""Initializers found along the method resolution order (C3), metaclasses and decorators, and
module names defined at run time."""

from __future__ import annotations

import textwrap
from pathlib import Path

from py_helpers import evaluate, write

from analyzer.model import CallCheck
from analyzer.python.project import ClassRef, External, Missing, PythonProject
from analyzer.python.signatures import class_signature, mro


def project(root: Path, files: dict[str, str]) -> PythonProject:
    return PythonProject(root, write(root, files), "tap.py")


def class_ref(p: PythonProject, path: str, name: str) -> ClassRef:
    found = p.resolve(path, name)
    assert isinstance(found, ClassRef)
    return found


def names(order: list[ClassRef | External]) -> list[str]:
    return [item.name if isinstance(item, ClassRef) else item.qualname for item in order]


def test_c3_order_of_a_diamond(tmp_path: Path) -> None:
    p = project(
        tmp_path,
        {
            "tap.py": "",
            "lib.py": """
            class A: pass
            class B(A): pass
            class C(A): pass
            class D(B, C): pass
            """,
        },
    )
    # depth-first would give D, B, A, C; Python (C3) gives D, B, C, A
    assert names(mro(p, class_ref(p, "lib.py", "D"))) == ["D", "B", "C", "A"]


def test_library_base_stays_one_entry_after_worktree_mixins(tmp_path: Path) -> None:
    p = project(
        tmp_path,
        {
            "tap.py": "",
            "lib.py": """
            import pulumi
            class Tagging: pass
            class Logging(Tagging): pass
            class Stack(Logging, pulumi.ComponentResource): pass
            """,
        },
    )
    order = names(mro(p, class_ref(p, "lib.py", "Stack")))
    assert order == ["Stack", "Logging", "Tagging", "pulumi.ComponentResource"]


SIGNATURES = """
import pulumi

class Mixin:
    def helper(self): ...

class WithInit:
    def __init__(self, a, b=1): ...

class First(Mixin, WithInit): pass

class Library(Mixin, pulumi.ComponentResource): pass

class Unknown(Mixin, pulumi.Unlisted): pass
"""


def test_first_initializer_along_the_mro_wins(tmp_path: Path) -> None:
    p = project(tmp_path, {"tap.py": "", "lib.py": SIGNATURES})
    signature = class_signature(p, class_ref(p, "lib.py", "First"))
    assert signature is not None and [param.name for param in signature.params] == ["a", "b"]
    assert signature.owner == "First"


def test_library_initializer_comes_from_the_platform_or_is_unknown(tmp_path: Path) -> None:
    from plugins.pulumi.hooks import LIBRARY_SIGNATURES

    p = project(tmp_path, {"tap.py": "", "lib.py": SIGNATURES})
    library = class_signature(p, class_ref(p, "lib.py", "Library"), LIBRARY_SIGNATURES.get)
    assert library is not None and [param.name for param in library.params][:2] == ["t", "name"]
    assert class_signature(p, class_ref(p, "lib.py", "Library")) is None  # no platform table
    assert class_signature(p, class_ref(p, "lib.py", "Unknown"), LIBRARY_SIGNATURES.get) is None


def test_metaclass_makes_the_signature_unknown_except_abc(tmp_path: Path) -> None:
    source = """
    import abc
    class Meta(type): pass
    class Custom(metaclass=Meta):
        def __init__(self, a): ...
    class Child(Custom): pass
    class Abstract(metaclass=abc.ABCMeta):
        def __init__(self, a): ...
    """
    p = project(tmp_path, {"tap.py": "", "lib.py": source})
    assert class_signature(p, class_ref(p, "lib.py", "Custom")) is None
    assert class_signature(p, class_ref(p, "lib.py", "Child")) is None
    abstract = class_signature(p, class_ref(p, "lib.py", "Abstract"))
    assert abstract is not None and [param.name for param in abstract.params] == ["a"]


def test_explicit_base_init_forwarding_checks_that_base(tmp_path: Path) -> None:
    lib = """
    class Base:
        def __init__(self, region="us-east-1"): ...
    class Other:
        def __init__(self, colour=None): ...
    class Stack(Other, Base):
        def __init__(self, name, **kwargs):
            Base.__init__(self, **kwargs)
    """
    tap = "from lib.stack import Stack\nStack('a', region='eu-west-1')\nStack('b', colour='red')\n"
    evaluator, _ = evaluate(tmp_path, {"lib/__init__.py": "", "lib/stack.py": lib, "tap.py": tap})
    checks: list[CallCheck] = sorted(evaluator.calls.values(), key=lambda c: c.location.line)
    assert [c.unexpected for c in checks] == [(), ("colour",)]
    assert checks[1].via is not None and "Base" in checks[1].via


# -- module names defined at run time ----------------------------------------------------------------


def _resolve(tmp_path: Path, module: str, name: str = "Thing") -> object:
    p = project(tmp_path, {"tap.py": "", "lib/__init__.py": "", "lib/mod.py": textwrap.dedent(module)})
    return p.resolve_in_module("lib.mod", name)


def test_a_plain_module_answers_missing(tmp_path: Path) -> None:
    assert isinstance(_resolve(tmp_path, "x = 1\n"), Missing)


def test_run_time_definitions_answer_unknown(tmp_path: Path) -> None:
    for index, source in enumerate(
        [
            "globals()['Thing'] = 1\n",
            "import sys\nsetattr(sys.modules[__name__], 'Thing', 1)\n",
            "exec('Thing = 1')\n",
            "def __getattr__(name):\n    return 1\n",
            "vars().update(Thing=1)\n",
        ]
    ):
        assert _resolve(tmp_path / str(index), source) is None, source


def test_method_setattr_on_self_is_not_a_module_definition(tmp_path: Path) -> None:
    source = "class A:\n    def set(self):\n        setattr(self, 'x', 1)\n"
    assert isinstance(_resolve(tmp_path, source), Missing)


# -- sys.path additions ----------------------------------------------------------------------------


def test_sys_path_append_of_a_worktree_directory_is_searched(tmp_path: Path) -> None:
    tap = """
    import os
    import sys
    sys.path.append(os.path.join(os.path.dirname(__file__), "lib"))
    from tap_stack import Args
    args = Args(environment_suffix="x", colour="red")
    """
    lib = """
    class Args:
        def __init__(self, environment_suffix):
            self.environment_suffix = environment_suffix
    """
    evaluator, _ = evaluate(tmp_path, {"tap.py": tap, "lib/tap_stack.py": lib})
    assert "lib" in evaluator.project.search_paths
    (check,) = evaluator.calls.values()
    assert check.callee == "Args" and check.unexpected == ("colour",)


def test_sys_path_outside_the_worktree_is_ignored(tmp_path: Path) -> None:
    tap = "import sys\nsys.path.insert(0, '/opt/shared')\nsys.path.append('../elsewhere')\nimport shared\n"
    evaluator, _ = evaluate(tmp_path, {"tap.py": tap})
    assert evaluator.project.search_paths == ("",)
    assert evaluator.project.import_problems("tap.py") == []
