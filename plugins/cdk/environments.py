"""Which environment (account and region) each stack of the app is given, as far as it is certain.

aws-cdk-lib core/lib/stack.ts resolves a stack's account and region from the ``env`` keyword that
reaches ``Stack.__init__`` (``env.account ?? Stage.of(this).account ?? Aws.ACCOUNT_ID``); without
it the stack is *environment-agnostic*: its account and region are CloudFormation pseudo parameters
(tokens), and every context lookup made in it throws at synth (core/lib/context-provider.ts). A
nested stack takes its parent's account and region (core/lib/nested-stack.ts), so only top-level
stacks are judged here.

Each ``Stack.__init__`` the evaluator runs for a stack (``super().__init__`` of a worktree subclass,
the library ``cdk.Stack(app, ...)``, or the instantiation of a subclass that defines no
``__init__``) is one observation:

* ``"given"``: an ``env`` keyword other than a literal ``None`` reaches it (``cdk.Environment(...)``,
  a dict, a variable, any unknown value: CDK_DEFAULT_ACCOUNT/REGION are set by the CLI at synth);
* ``"absent"``: the call is fully known (no ``*args``/``**kwargs`` of unknown content), runs under no
  undecided ``if`` and in no loop, and passes no ``env`` (or ``env=None``), or passes a
  ``cdk.Environment(...)`` built from keywords only that leaves ``account`` or ``region`` out (or
  ``None``): that one stays a token too (``missing`` names it);
* ``"unknown"``: anything else.

A stack is ``absent`` only when every observation is, and it is judged only when the nearest
``Stage`` around it is the ``cdk.App`` (its scope is the App, or a stack or worktree construct under
it with no ``Stage`` in between): a ``Stage`` may carry the account and region for the stacks inside
it, the App carries none. A (non-nested) stack created inside another stack does not take that
stack's environment (core/lib/stack.ts ``parseEnvironment``: ``env.account ?? Stage.of(this).account``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyzer.model import Literal, Location, Unknown
from analyzer.python.values import EValue

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite, Evaluator

GIVEN = "given"
ABSENT = "absent"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class EnvObservation:
    """One ``Stack.__init__`` call for a stack: what it says about ``env``, and where it is."""

    state: str  # GIVEN | ABSENT | UNKNOWN
    location: Location  # the call that reaches Stack.__init__
    in_app: bool  # the nearest Stage around the scope passed is the cdk.App (no Stage in between)
    missing: tuple[str, ...] = ()  # an env was given without these ("account", "region")


def observe(
    ev: Evaluator, site: CallSite, scope: EValue | None, *, in_app: bool, followed: bool = True
) -> EnvObservation:
    """What the ``Stack.__init__`` call at ``site`` says about the stack's environment. ``followed``
    is False for a stack class whose initializer the analysis cannot vouch for (a class decorator
    along the MRO, a metaclass), which may hand ``Stack`` more than it shows."""
    env = site.kwargs.get("env")
    missing = partial_environment(env)
    if env is not None and not _is_none(env) and not missing:
        state = GIVEN
    elif (
        not followed
        or site.star_args
        or site.star_kwargs
        or ev.conditions
        or ev.loop_depth > 0
        or scope is None
    ):
        state = UNKNOWN
    else:
        state = ABSENT
    return EnvObservation(state, site.location, in_app, missing if state == ABSENT else ())


def merged(observations: list[EnvObservation]) -> str:
    """The stack's environment over all its observations (none seen: unknown)."""
    states = {item.state for item in observations}
    if GIVEN in states:
        return GIVEN
    if states == {ABSENT} and all(item.in_app for item in observations):
        return ABSENT
    return UNKNOWN


# ``cdk.Environment(region="us-east-1")``: the value the plugin gives such a call (see
# ``environment_value``), recognised by its reason. Only an Environment built from keywords alone
# gets it; any other Environment is an ordinary unknown value (an env that counts as given).
_PARTIAL = "an environment without "


def environment_value(site: CallSite) -> Unknown | None:
    """The value of ``cdk.Environment(...)`` when it certainly leaves the account or the region out,
    else None (the evaluator's usual unknown result)."""
    if site.args or site.star_args or site.star_kwargs:
        return None
    missing = [key for key in ("account", "region") if key not in site.kwargs or _is_none(site.kwargs[key])]
    if not missing:
        return None
    return Unknown(_PARTIAL + " and ".join(missing), location=site.location, hint="cdk.Environment(...)")


def partial_environment(value: EValue | None) -> tuple[str, ...]:
    """What an ``env`` value made by :func:`environment_value` leaves out."""
    if isinstance(value, Unknown) and value.reason.startswith(_PARTIAL):
        return tuple(value.reason.removeprefix(_PARTIAL).split(" and "))
    return ()


def _is_none(value: EValue) -> bool:
    return isinstance(value, Literal) and value.value is None
