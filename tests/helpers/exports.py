"""Read what a lazily exporting package promises, so tests can hold it to that.

``tracker.api`` and ``tracker.services`` load their names on first use (PEP 562): the names
are listed three times (``__all__``, the ``TYPE_CHECKING`` imports type checkers read, and
the table ``__getattr__`` loads from). Nothing but a test notices when the three drift apart,
and a drifted name fails only when someone first uses it, in the running app.
"""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

__all__ = ["type_checking_imports"]


def type_checking_imports(package: ModuleType) -> dict[str, str]:
    """Each name imported under ``if TYPE_CHECKING:`` in ``package``, with its module."""
    tree = ast.parse(inspect.getsource(package))
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"):
            continue
        for statement in node.body:
            assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
            assert statement.module is not None
            for alias in statement.names:
                found[alias.asname or alias.name] = statement.module
    return found
