"""iacscan: find deployment blockers in Infrastructure-as-Code worktrees, statically."""

__version__ = "0.1.0"
