"""Cycles between stacks of one CDK app (used by IAC011).

A reference from a resource in one stack to a resource in another is not a reference between the
two resources in any template: CDK turns it into an output of the target's stack and a parameter
(nested stacks) or an import (top-level stacks) of the source's stack. What waits is the whole
stack: in the parent template the nested stack resource of the source waits for the nested stack
resource of the target (or for the parent's own resource), and a top-level stack is deployed after
the stacks it imports from. Two stacks that refer to each other, directly or through the parent,
therefore have no creation order even when the resources do: CloudFormation rejects the parent
template (`Circular dependency between resources`), and CDK refuses a cyclic reference between
top-level stacks at synth.

Each resource is placed in the deepest stack whose construct path is a prefix of its id (the
plugin's ids are construct paths, and a resource CDK puts in another construct's scope has that
construct's path). An edge between two stacks becomes an edge between their representatives at
the level of the nearest stack holding both: a resource of that stack stands for itself, a
resource of a nested stack below it is represented by that nested stack's resource
(``<path>.NestedStack``), and stacks with no common ancestor by the top-level stacks themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analyzer.graph import Edge, ResourceGraph
from analyzer.model import Project

NESTED_SUFFIX = ".NestedStack"
_TOP = "stack:"  # node prefix of a top-level stack (no resource stands for it)
MAX_CYCLES = 5


@dataclass(frozen=True, slots=True)
class StackHop:
    source: str  # representative nodes
    target: str
    edge: Edge  # the resource reference behind the hop


@dataclass(frozen=True, slots=True)
class StackCycle:
    hops: tuple[StackHop, ...]
    level: str | None  # the stack whose template holds the cycle; None: between top-level stacks

    @property
    def stacks(self) -> tuple[str, ...]:
        return tuple(_stack_label(hop.source) for hop in self.hops)

    @property
    def only_stacks(self) -> bool:
        """Every node is a stack (no resource of the parent takes part)."""
        return all(hop.source.endswith(NESTED_SUFFIX) or hop.source.startswith(_TOP) for hop in self.hops)


def stack_cycles(project: Project, graph: ResourceGraph) -> list[StackCycle]:
    stacks = _stacks(project)
    if len(stacks) < 2:
        return []
    placement = _Placement(stacks)
    condensed: nx.DiGraph = nx.DiGraph()
    for edge in graph.edges():
        pair = placement.representatives(edge.source, edge.target)
        if pair is None:
            continue
        source, target, crossing = pair
        if source == target:
            continue
        data = condensed.get_edge_data(source, target)
        if data is None or (crossing and not data["crossing"]):
            condensed.add_edge(source, target, edge=edge, crossing=crossing)
    found: list[StackCycle] = []
    for component in nx.strongly_connected_components(condensed):
        stack_nodes = sorted(node for node in component if _is_stack_node(node))
        if len(component) < 2 or not stack_nodes:
            continue
        nodes = _shortest_cycle_through(condensed.subgraph(component), stack_nodes)
        if nodes is None:
            continue
        hops = tuple(
            StackHop(
                node,
                nodes[(index + 1) % len(nodes)],
                condensed[node][nodes[(index + 1) % len(nodes)]]["edge"],
            )
            for index, node in enumerate(nodes)
        )
        # a cycle of same-stack references only is IAC011's resource cycle, reported as such
        if any(condensed[hop.source][hop.target]["crossing"] for hop in hops):
            found.append(StackCycle(_rotate(hops), placement.level_of(nodes[0])))
        if len(found) >= MAX_CYCLES:
            break
    return found


def _is_stack_node(node: str) -> bool:
    return node.startswith(_TOP) or node.endswith(NESTED_SUFFIX)


def _shortest_cycle_through(graph: nx.DiGraph, through: list[str]) -> list[str] | None:
    """The shortest cycle through one of ``through`` (breadth-first, no enumeration of cycles)."""
    best: list[str] | None = None
    for node in through:
        for successor in sorted(graph.successors(node)):
            try:
                path = nx.shortest_path(graph, successor, node)
            except nx.NetworkXNoPath:
                continue
            cycle = [node, *path[:-1]]
            if best is None or len(cycle) < len(best):
                best = cycle
    return best


def _rotate(hops: tuple[StackHop, ...]) -> tuple[StackHop, ...]:
    start = min(range(len(hops)), key=lambda index: hops[index].source)
    return hops[start:] + hops[:start]


def _stack_label(node: str) -> str:
    """A stack's path, or (a resource of the stack that holds the cycle) the resource's id."""
    if node.startswith(_TOP):
        return node[len(_TOP) :]
    return node.removesuffix(NESTED_SUFFIX)


def resource_pairs(cycle: StackCycle) -> set[tuple[str, str]]:
    return {(hop.edge.source, hop.edge.target) for hop in cycle.hops}


def _stacks(project: Project) -> Mapping[str, Mapping[str, Any]]:
    if project.platform != "cdk":
        return {}
    stacks = project.facts.get("stacks") if isinstance(project.facts, Mapping) else None
    return stacks if isinstance(stacks, Mapping) else {}


class _Placement:
    def __init__(self, stacks: Mapping[str, Mapping[str, Any]]) -> None:
        self.stacks = stacks
        self.by_length = sorted(stacks, key=len, reverse=True)
        self._of: dict[str, str | None] = {}

    def stack_of(self, resource_id: str) -> str | None:
        if resource_id not in self._of:
            self._of[resource_id] = next(
                (path for path in self.by_length if resource_id.startswith(path + "/")), None
            )
        return self._of[resource_id]

    def chain(self, stack: str) -> list[str]:
        """The stack and its ancestors, nearest first."""
        found: list[str] = []
        current: str | None = stack
        while current is not None and current in self.stacks and current not in found:
            found.append(current)
            parent = self.stacks[current].get("parent")
            current = parent if isinstance(parent, str) else None
        return found

    def representatives(self, source: str, target: str) -> tuple[str, str, bool] | None:
        """The nodes standing for the two resources where their stacks meet, and whether the edge
        crosses stacks; None when a resource is in no known stack."""
        source_stack, target_stack = self.stack_of(source), self.stack_of(target)
        if source_stack is None or target_stack is None:
            return None
        if source_stack == target_stack:
            return source, target, False
        source_chain, target_chain = self.chain(source_stack), self.chain(target_stack)
        common = next((stack for stack in source_chain if stack in target_chain), None)
        if common is None:
            return _TOP + source_chain[-1], _TOP + target_chain[-1], True
        return self._below(source, source_chain, common), self._below(target, target_chain, common), True

    @staticmethod
    def _below(resource: str, chain: list[str], common: str) -> str:
        index = chain.index(common)
        return resource if index == 0 else chain[index - 1] + NESTED_SUFFIX

    def level_of(self, node: str) -> str | None:
        if node.startswith(_TOP):
            return None
        if node.endswith(NESTED_SUFFIX):
            parent = self.stacks.get(node.removesuffix(NESTED_SUFFIX), {}).get("parent")
            return parent if isinstance(parent, str) else None
        return self.stack_of(node)
