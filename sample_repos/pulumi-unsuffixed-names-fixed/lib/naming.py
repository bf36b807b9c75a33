"""Naming helpers shared by the components."""


def scoped(base: str, suffix: str) -> str:
    return f"{base}-{suffix}"
