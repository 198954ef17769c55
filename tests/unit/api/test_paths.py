"""Ids go into URL paths only when they are ids, and always percent-encoded."""

from __future__ import annotations

from typing import Any

import pytest

from tracker.api import InvalidIdError
from tracker.api.models import Project, Tag, TimeEntry, User, Workspace, decode
from tracker.api.paths import api_path, check_id

HEX = "64a687e29ae1f428e7ebe303"


def test_an_id_fills_its_place() -> None:
    path = api_path("/v1/workspaces/{workspace_id}/tags/{tag_id}", workspace_id=HEX, tag_id="t1")
    assert path == f"/v1/workspaces/{HEX}/tags/t1"


@pytest.mark.parametrize(
    "bad",
    [
        "../../../../etc/passwd?x=",
        "..",
        "a/b",
        "a.b",
        "a?b",
        "a#b",
        "%2e%2e",
        "a b",
        "a\tb",
        "a\nb",
        "",
        "x" * 65,
        "ä",
        "a-b",
        5,
        None,
    ],
)
def test_anything_else_is_refused_before_a_path_is_built(bad: Any) -> None:
    with pytest.raises(InvalidIdError) as caught:
        api_path(
            "/v1/workspaces/{workspace_id}/time-entries/{entry_id}", workspace_id=HEX, entry_id=bad
        )
    message = caught.value.message
    assert "as the entry id" in message
    assert "Nothing was sent" in message
    assert "\n" not in message
    assert "\t" not in message
    assert isinstance(caught.value, ValueError)


def test_a_long_bad_id_is_shown_short() -> None:
    with pytest.raises(InvalidIdError) as caught:
        check_id("/" * 5000, "tag id")
    assert len(caught.value.message) < 250


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (TimeEntry, {"timeInterval": {"start": "2026-01-01T00:00:00Z"}}),
        (Project, {}),
        (Tag, {}),
        (User, {}),
        (Workspace, {}),
    ],
)
@pytest.mark.parametrize("bad", ["../../../../etc/passwd?x=", "a/b", "", "x y"])
def test_a_response_item_whose_id_is_not_an_id_is_malformed(
    model: Any, body: dict[str, Any], bad: str
) -> None:
    from tracker.api import ResponseFormatError

    with pytest.raises(ResponseFormatError, match=r": id: Value error, not a Clockify id"):
        decode(model, {**body, "id": bad}, what="item")
    assert decode(model, {**body, "id": HEX}, what="item").id == HEX


def test_no_resource_builds_a_path_by_hand() -> None:
    """Every path with an id goes through ``api_path``: no f-string or ``+``/``%``/``format``
    with ``/v1`` in ``tracker/api/resources``."""
    import ast
    from pathlib import Path

    from tracker.api import resources

    found = []
    for source in Path(resources.__path__[0]).glob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and any(
                isinstance(part, ast.Constant) and "/" in str(part.value) for part in node.values
            ):
                found.append(f"{source.name}:{node.lineno} f-string")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
            ):
                found.append(f"{source.name}:{node.lineno} .format()")
    assert found == []
