"""Which files of a worktree are CloudFormation templates, and which of two twins is deployed.

A template is ``lib/TapStack.json``/``.yml``/``.yaml`` or any JSON/YAML file that looks like one
(``AWSTemplateFormatVersion``, or ``Resources`` with ``Type: AWS::...``/``Custom::...``). Files
under ``cdk.out`` (the CDK plugin's), ``node_modules``, dot-directories, build output and test
fixtures are not the stack's templates.

Twins: many repositories keep the same template as YAML and as JSON side by side. Two templates
are twins when they share at least half of the larger one's logical ids (so two
stacks that merely both define a ``Bucket`` are not twins). Of a group of twins,
the deployed one is (first match wins):

1. the one in the language ``metadata.json`` declares (``"language": "yaml"`` / ``"json"``): in
   this layout CI picks the deploy command by that field;
2. the only one named by the repository's deploy scripts (``package.json`` scripts, files under
   ``scripts/``), when the scripts name exactly one of them (they often name both);
3. the YAML one (the default of this layout's tooling).

The others are reported as twins in ``Project.facts["twins"]`` (with the differences when they
have drifted apart) and are not analysed, so a finding is reported once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from analyzer.plugin import Worktree
from plugins.cloudformation.decoding import Decoded, plain

MAIN_TEMPLATES = ("lib/TapStack.yml", "lib/TapStack.yaml", "lib/TapStack.json")
TEMPLATE_SUFFIXES = (".json", ".yml", ".yaml", ".template")
# Directories whose files are never the stack's templates.
_SKIP_PARTS = frozenset(
    {
        "cdk.out",
        "node_modules",
        "test",
        "tests",
        "__tests__",
        "fixtures",
        "testdata",
        "cfn-outputs",
        "coverage",
        ".aws-sam",
        "dist",
        "build",
        "cdktf.out",
    }
)
# JSON/YAML files that tooling owns (never templates), by name.
_NOT_TEMPLATES = frozenset(
    {
        "package.json",
        "package-lock.json",
        "cdk.json",
        "cdk.context.json",
        "metadata.json",
        "tsconfig.json",
        "Pulumi.yaml",
        "Pulumi.yml",
        "jest.config.json",
        ".eslintrc.json",
        "docker-compose.yml",
        "docker-compose.yaml",
        "buildspec.yml",
        "buildspec.yaml",
        "mkdocs.yml",
        ".pre-commit-config.yaml",
        "pyproject.toml",
        "Pipfile.lock",
        "composer.json",
        "renovate.json",
        "lerna.json",
        "nx.json",
        "flat-outputs.json",
        "all-outputs.json",
        "cfn-outputs.json",
        "samconfig.toml",
    }
)
SNIFF_BYTES = 65_536
_TYPE = re.compile(r"""["']?Type["']?\s*:\s*["']?(?:AWS|Custom|Alexa)::""")
_RESOURCES = re.compile(r'^Resources\s*:|"Resources"\s*:', re.M)
_TWIN_OVERLAP = 0.5


def candidate_files(worktree: Worktree) -> list[str]:
    """Files that may be templates, main templates first."""
    found: list[str] = [path for path in MAIN_TEMPLATES if worktree.has(path)]
    for relative in worktree.files:
        if relative in found or not relative.endswith(TEMPLATE_SUFFIXES):
            continue
        parts = PurePosixPath(relative).parts
        name = parts[-1]
        if name in _NOT_TEMPLATES or name.startswith(("tsconfig", "Pulumi.")):
            continue
        if any(part in _SKIP_PARTS or part.startswith(".") for part in parts[:-1]):
            continue
        found.append(relative)
    return found


def looks_like_template(text: str) -> bool:
    """Cheap test on a file's beginning: does it look like a CloudFormation template?"""
    head = text[:SNIFF_BYTES]
    if "AWSTemplateFormatVersion" in head:
        return True
    # A top-level ``Resources:`` (YAML, at column 1) or a ``"Resources":`` key (JSON); an indented
    # ``Resources:`` is someone else's format (serverless.yml's ``resources: Resources:``).
    return _RESOURCES.search(head) is not None and _TYPE.search(head) is not None


def is_template(decoded: Decoded) -> bool:
    """After decoding: a mapping with AWSTemplateFormatVersion, or Resources holding typed entries."""
    template = decoded.template
    if template is None:
        return False
    if "AWSTemplateFormatVersion" in template:
        return True
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(body, dict)
        and isinstance(body.get("Type"), str)
        and str(body["Type"]).startswith(("AWS::", "Custom::", "Alexa::"))
        for body in resources.values()
    )


def logical_ids(decoded: Decoded) -> frozenset[str]:
    resources = decoded.template.get("Resources") if decoded.template else None
    return frozenset(str(key) for key in resources) if isinstance(resources, dict) else frozenset()


@dataclass(frozen=True, slots=True)
class Twin:
    deployed: str
    copy: str
    reason: str
    differences: tuple[str, ...] = ()

    @property
    def drifted(self) -> bool:
        return bool(self.differences)

    def as_fact(self) -> dict[str, Any]:
        return {
            "deployed": self.deployed,
            "copy": self.copy,
            "reason": self.reason,
            "drifted": self.drifted,
            "differences": list(self.differences),
        }


@dataclass(frozen=True, slots=True)
class Selection:
    analysed: tuple[Decoded, ...]
    twins: tuple[Twin, ...] = field(default_factory=tuple)


def select(templates: Sequence[Decoded], metadata: Mapping[str, Any], script_text: str) -> Selection:
    """Group twins; keep the deployed template of each group (see the module docstring)."""
    groups = _twin_groups(templates)
    analysed: list[Decoded] = []
    twins: list[Twin] = []
    language = str(metadata.get("language", "")).lower() if isinstance(metadata, Mapping) else ""
    for group in groups:
        if len(group) == 1:
            analysed.append(group[0])
            continue
        deployed, reason = _deployed(group, language, script_text)
        analysed.append(deployed)
        for other in group:
            if other is not deployed:
                twins.append(Twin(deployed.path, other.path, reason, differences(deployed, other)))
    order = {decoded.path: index for index, decoded in enumerate(templates)}
    analysed.sort(key=lambda decoded: order[decoded.path])
    return Selection(tuple(analysed), tuple(twins))


def _twin_groups(templates: Sequence[Decoded]) -> list[list[Decoded]]:
    ids = [logical_ids(decoded) for decoded in templates]
    parent = list(range(len(templates)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first in range(len(templates)):
        for second in range(first + 1, len(templates)):
            larger = max(len(ids[first]), len(ids[second]))
            if larger and len(ids[first] & ids[second]) >= _TWIN_OVERLAP * larger:
                parent[root(second)] = root(first)
    grouped: dict[int, list[Decoded]] = {}
    for index, decoded in enumerate(templates):
        grouped.setdefault(root(index), []).append(decoded)
    return list(grouped.values())


def _is_yaml(path: str) -> bool:
    return path.endswith((".yml", ".yaml"))


def _deployed(group: list[Decoded], language: str, script_text: str) -> tuple[Decoded, str]:
    if language in ("yaml", "yml"):
        yaml_ones = [decoded for decoded in group if _is_yaml(decoded.path)]
        if yaml_ones:
            return yaml_ones[0], "metadata.json language is yaml"
    if language == "json":
        json_ones = [decoded for decoded in group if decoded.path.endswith(".json")]
        if json_ones:
            return json_ones[0], "metadata.json language is json"
    named = [decoded for decoded in group if _named_in(decoded.path, script_text)]
    if len(named) == 1:
        return named[0], "named by the deploy scripts"
    yaml_ones = [decoded for decoded in group if _is_yaml(decoded.path)]
    if yaml_ones:
        return yaml_ones[0], "YAML is deployed by default when nothing says otherwise"
    return group[0], "first template found"


def _named_in(path: str, script_text: str) -> bool:
    if not script_text:
        return False
    name = PurePosixPath(path).name
    return re.search(r"(?<![\w.-])" + re.escape(name) + r"(?![\w.-])", script_text) is not None


def script_text(worktree: Worktree, read: Any) -> str:
    """The deploy scripts' text: ``package.json`` scripts and files under ``scripts/``."""
    pieces: list[str] = []
    if worktree.has("package.json"):
        try:
            package = json.loads(read("package.json"))
        except (ValueError, TypeError):
            package = None
        scripts = package.get("scripts") if isinstance(package, dict) else None
        if isinstance(scripts, dict):
            pieces.extend(str(command) for command in scripts.values())
    directory = worktree.root / "scripts"
    try:
        entries = sorted(directory.iterdir()) if directory.is_dir() else []
    except OSError:
        entries = []
    for entry in entries[:50]:
        if entry.suffix in (".sh", ".bash", ".py", ".ps1", ".mk", "") and entry.is_file():
            try:
                if entry.stat().st_size <= 200_000:
                    pieces.append(entry.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return "\n".join(pieces)


def differences(first: Decoded, second: Decoded, limit: int = 20) -> tuple[str, ...]:
    """How two twin templates differ: resources, their types and properties, parameters."""
    found: list[str] = []
    left = _resources(first)
    right = _resources(second)
    for logical in sorted(set(left) - set(right)):
        found.append(f"resource {logical} only in {first.path}")
    for logical in sorted(set(right) - set(left)):
        found.append(f"resource {logical} only in {second.path}")
    for logical in sorted(set(left) & set(right)):
        a, b = left[logical], right[logical]
        if not (isinstance(a, dict) and isinstance(b, dict)):
            if a != b:
                found.append(f"resource {logical} differs")
            continue
        if a.get("Type") != b.get("Type"):
            found.append(f"resource {logical} type {a.get('Type')} vs {b.get('Type')}")
        props_a = a.get("Properties") if isinstance(a.get("Properties"), dict) else {}
        props_b = b.get("Properties") if isinstance(b.get("Properties"), dict) else {}
        assert isinstance(props_a, dict) and isinstance(props_b, dict)  # for mypy: dicts by construction
        for prop in sorted(set(props_a) | set(props_b)):
            if props_a.get(prop) != props_b.get(prop):
                found.append(f"resource {logical} property {prop} differs")
        for attribute in ("DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy"):
            if a.get(attribute) != b.get(attribute):
                found.append(f"resource {logical} {attribute} differs")
    params_a = _section(first, "Parameters")
    params_b = _section(second, "Parameters")
    for name in sorted(set(params_a) ^ set(params_b)):
        found.append(f"parameter {name} only in {first.path if name in params_a else second.path}")
    for name in sorted(set(params_a) & set(params_b)):
        if params_a[name] != params_b[name]:
            found.append(f"parameter {name} differs")
    return tuple(found[:limit])


def _section(decoded: Decoded, name: str) -> dict[str, Any]:
    section = decoded.template.get(name) if decoded.template else None
    return _normalized(plain(section)) if isinstance(section, dict) else {}


def _resources(decoded: Decoded) -> dict[str, Any]:
    return _section(decoded, "Resources")


def _normalized(data: Any) -> Any:
    """Spellings that mean the same: ``Fn::GetAtt: "A.B"`` and ``["A", "B"]``; a one-item DependsOn."""
    if isinstance(data, dict):
        if len(data) == 1 and "Fn::GetAtt" in data and isinstance(data["Fn::GetAtt"], str):
            return {"Fn::GetAtt": data["Fn::GetAtt"].split(".", 1)}
        result = {key: _normalized(value) for key, value in data.items()}
        if isinstance(result.get("DependsOn"), str):
            result["DependsOn"] = [result["DependsOn"]]
        return result
    if isinstance(data, list):
        return [_normalized(item) for item in data]
    # YAML reads ``10``/``true`` as numbers and booleans where JSON twins often quote them;
    # CloudFormation treats both spellings alike.
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (int, float)):
        return str(data)
    return data
