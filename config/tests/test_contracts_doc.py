"""docs/contracts.md names every error code the code can raise, so clients can rely on the list.

Codes are found two ways: the ``code`` of every ApplicationError subclass (imported for real), and
the literal codes passed where one is raised (``Conflict(..., code="x")``, ``invalid("field", "x", ...)``
and any helper that returns an ApplicationError and takes a ``code``), read from the source.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from booking_platform.errors import ApplicationError

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("booking_platform", "apps")
SKIP_PARTS = {"tests", "migrations", "management"}


def _sources() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIP_PARTS & set(path.relative_to(ROOT).parts):
                yield path


def _import_everything() -> None:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if not SKIP_PARTS & set(info.name.split(".")):
                importlib.import_module(info.name)


def _error_classes() -> dict[str, type[ApplicationError]]:
    _import_everything()
    found: dict[str, type[ApplicationError]] = {}
    pending = [ApplicationError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _code_helpers(trees: list[ast.Module], classes: set[str]) -> dict[str, int]:
    """Functions that return an ApplicationError and take a ``code``: name -> position of ``code``."""
    helpers: dict[str, int] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.returns is not None and _name(node.returns) in classes:
                names = [arg.arg for arg in node.args.args]
                if "code" in names:
                    helpers[node.name] = names.index("code")
    return helpers


def _literal_codes(trees: list[ast.Module], classes: set[str], helpers: dict[str, int]) -> set[str]:
    codes: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name not in classes and name not in helpers:
                continue
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    codes.add(keyword.value.value)
            position = helpers.get(name)
            if position is not None and len(node.args) > position and isinstance(node.args[position], ast.Constant):
                codes.add(node.args[position].value)
    return codes


def raisable_codes() -> set[str]:
    classes = _error_classes()
    trees = [ast.parse(path.read_text(), filename=str(path)) for path in _sources()]
    names = set(classes)
    codes = {cls.code for cls in classes.values()}
    return codes | _literal_codes(trees, names, _code_helpers(trees, names))


def documented_codes() -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", (ROOT / "docs" / "contracts.md").read_text()))


def test_the_scan_finds_codes_of_every_kind() -> None:
    """Class codes, keyword codes at raise sites and helper-passed codes are all seen (the scan works)."""
    codes = raisable_codes()
    assert {"invalid_transition", "application_error"} <= codes  # class attributes
    assert {"allocation_key_used", "customer_erased"} <= codes  # code="..." at a raise site
    assert {"check_out_not_after_check_in", "stay_too_long"} <= codes  # invalid("field", "code", ...)


def test_every_error_code_is_documented_in_contracts_md() -> None:
    missing = sorted(raisable_codes() - documented_codes())
    assert missing == [], f"add these codes to docs/contracts.md (Error codes): {missing}"
