"""The Qt binding itself behaves: values that come back from Qt as ``None`` keep ``None`` alive.

PySide6 6.12.0 took one reference off ``None`` for every empty value a model returned to
Python, so a delegate painting a list for long enough aborted the interpreter
("none_dealloc"). pyproject excludes that release; this test fails on any release that
brings the bug back, before a person's app crashes.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt


class _Empty(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        return None


def test_empty_model_values_do_not_eat_references_to_none() -> None:
    model = _Empty()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(500):
        assert index.data(Qt.ItemDataRole.UserRole) is None
    # Other threads may take or drop a few references meanwhile; a leak costs 500.
    assert sys.getrefcount(None) - before > -50
