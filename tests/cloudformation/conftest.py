"""Fixtures for the CloudFormation plugin tests (helpers live in cfn_helpers.py)."""

from __future__ import annotations

from cfn_helpers import parse  # noqa: F401  (re-exported fixture)
