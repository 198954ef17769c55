"""``tracker import FILE [--dry-run]``: entries from Clockify's or Toggl's detailed CSV."""

from __future__ import annotations

from pathlib import Path

from tracker.cli.runtime import Runtime
from tracker.services.importer import BATCH, KEPT, ImportPlan, import_csv

__all__ = ["cmd_import"]


def cmd_import(rt: Runtime) -> int:
    """Import (or, with ``--dry-run``, show what would be imported) and say what happened:
    how many were added, which lines were duplicates, which could not be read and why."""
    dry_run = bool(rt.args.dry_run)
    plan = import_csv(rt.context, Path(rt.args.file), dry_run=dry_run)
    rt.emit(plan.to_json(), _lines(plan, rt.args.file))
    return 0


def _lines(plan: ImportPlan, name: str) -> list[str]:
    verb = "Would add" if plan.dry_run else "Added"
    lines = [
        f"{verb} {_count(plan.added, 'entry', 'entries')} from {name} ({plan.source} export); "
        f"{_count(plan.duplicates, 'duplicate', 'duplicates')} skipped, "
        f"{_count(plan.bad, 'row', 'rows')} not readable."
    ]
    for kind, names in plan.created.items():
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        lines.append(f"{'Would create' if plan.dry_run else 'Created'} {kind}: {shown}")
    if plan.duplicate_lines:
        more = " ..." if plan.duplicates > KEPT else ""
        numbers = ", ".join(str(n) for n in plan.duplicate_lines)
        lines.append(f"Duplicates (same start, end and description) on lines {numbers}{more}")
    lines.extend(f"Line {line}: {problem}" for line, problem in plan.problems)
    if plan.bad > len(plan.problems):
        lines.append(f"... and {plan.bad - len(plan.problems)} more rows not readable.")
    if plan.stopped:
        lines.append(f"Reading stopped: {plan.stopped}.")
    if plan.dry_run:
        lines.append(f"Nothing was written; run `tracker import {name}` to import.")
    elif plan.added:
        lines.append(
            "They are sent to Clockify with the next sync (once an account is connected); "
            f"`tracker undo` takes back the last {plan.added % BATCH or BATCH} of them."
        )
    return lines


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
