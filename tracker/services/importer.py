"""Importing entries from a CSV file: Clockify's detailed export and Toggl's detailed CSV.

The file is read a row at a time and written a batch at a time (:data:`BATCH` rows a
transaction, each an ordinary local change with its undo record and journal events), so a
file of any size takes little memory; the new entries are sent to Clockify by sync like any
other. A row with the same start, end and description as an entry already here (or an
earlier row of the file) is a duplicate and skipped, so importing a file twice adds nothing.
A row that cannot be read is reported with its line number and skipped; the rest goes on.
Projects, clients, tasks and tags named in the file are matched by name (case ignored) and
created when missing, as the pickers create them.

Times are read in the profile's time zone (both exports write local times).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, TextIO

from tracker.domain.bounds import duration_problem, instant_problem
from tracker.domain.model import Client, Entry, Project, Tag, Task, new_id, utc
from tracker.services.changes import Changes
from tracker.services.context import Context
from tracker.services.errors import ServiceError
from tracker.services.undo import Change, commit, validate

__all__ = ["BATCH", "ImportPlan", "Row", "import_csv"]

BATCH = 500
"""Rows written in one transaction (and undone by one ``tracker undo``)."""
KEPT = 100
"""Line numbers kept per list in the result (the counts are always whole)."""

_DATES = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")
_TIMES = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
_TRUE = frozenset({"yes", "true", "1", "billable"})


@dataclass
class ImportPlan:
    """What an import did (or, on a dry run, would do)."""

    source: str
    dry_run: bool
    added: int = 0
    duplicates: int = 0
    bad: int = 0
    duplicate_lines: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    created: dict[str, list[str]] = field(default_factory=dict)
    stopped: str | None = None
    """Why reading stopped before the end of the file (it could not be read further)."""

    def to_json(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "added": self.added,
            "duplicates": self.duplicates,
            "bad": self.bad,
            "duplicate_lines": self.duplicate_lines,
            "problems": [{"line": line, "problem": text} for line, text in self.problems],
            "created": self.created,
            "stopped": self.stopped,
        }


@dataclass(frozen=True)
class Row:
    """One line of the file as values (names, not ids yet)."""

    start: datetime
    end: datetime
    description: str
    project: str
    client: str
    task: str
    tags: tuple[str, ...]
    billable: bool


class _Columns:
    """Where each value is in the file, whichever of the two exports it is."""

    def __init__(self, header: list[str]) -> None:
        names = {name.strip().lstrip("\ufeff").casefold(): i for i, name in enumerate(header)}
        self.index = names
        self.source = "Clockify" if "duration (h)" in names else "Toggl"
        missing = [n for n in ("start date", "start time") if n not in names]
        has_end = "end date" in names and "end time" in names
        if missing or not (has_end or "duration" in names):
            wanted = missing or ["End Date and End Time (or Duration)"]
            raise ServiceError(
                "This is not a Clockify or Toggl detailed CSV export: it has no "
                + " or ".join(f"{w.title()!r}" for w in wanted)
                + " column."
            )

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""


def import_csv(context: Context, path: Path, *, dry_run: bool) -> ImportPlan:
    """Import the entries of ``path`` (see the module); ``dry_run`` writes nothing.

    Raises:
        ServiceError: the file cannot be opened or is not one of the two exports.
    """
    try:
        file = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ServiceError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    with file:
        return _Importer(context, dry_run).run(file)


class _Importer:
    def __init__(self, context: Context, dry_run: bool) -> None:
        self.context = context
        self.dry_run = dry_run
        self.zone: tzinfo = context.zone()
        self.seen: set[tuple[datetime, datetime, str]] = set()
        catalog = context.store.catalog
        ws = context.workspace_id
        self.names: dict[str, dict[str, str]] = {"project": {}, "client": {}, "tag": {}}
        self.tasks: dict[tuple[str, str], str] = {}
        for item in catalog.all("client", ws):
            self.names["client"].setdefault(item.name.casefold(), item.id)
        for item in catalog.all("project", ws):
            self.names["project"].setdefault(item.name.casefold(), item.id)
        for item in catalog.all("tag", ws):
            self.names["tag"].setdefault(item.name.casefold(), item.id)
        for item in catalog.all("task", ws):
            if isinstance(item, Task):
                self.tasks.setdefault((item.project_id, item.name.casefold()), item.id)
        self.plan = ImportPlan("CSV", dry_run)
        self.new: list[tuple[Client | Project | Tag | Task, str, str, Any, Any]] = []
        """Reference items the current row names that are not here yet."""

    def run(self, file: TextIO) -> ImportPlan:
        reader = csv.reader(file)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ServiceError(f"The file cannot be read as CSV text: {exc}.") from exc
        if header is None:
            raise ServiceError("The file is empty.")
        columns = _Columns(header)
        self.plan.source = columns.source
        batch: list[Entry] = []
        for line, cells in self._records(reader):
            entry = self._entry(line, columns, cells)
            if entry is None:
                continue
            batch.append(entry)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        return self.plan

    def _records(self, reader: Any) -> Iterator[tuple[int, list[str]]]:
        """Each record with the line it starts on (a quoted field may span lines)."""
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                self.plan.stopped = f"line {line} and after could not be read ({exc})"
                return
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1

    def _entry(self, line: int, columns: _Columns, cells: list[str]) -> Entry | None:
        try:
            row = self._row(columns, cells)
            key = (row.start, row.end, row.description)
            if key in self.seen or self._stored(row):
                self.plan.duplicates += 1
                if len(self.plan.duplicate_lines) < KEPT:
                    self.plan.duplicate_lines.append(line)
                return None
            entry = self._resolve(row)
            validate(self.context, [Change(None, entry)])
        except ServiceError as exc:
            self._drop_new()
            self.plan.bad += 1
            if len(self.plan.problems) < KEPT:
                self.plan.problems.append((line, exc.message.replace("\n", " ")))
            return None
        self._keep_new()
        self.seen.add(key)
        self.plan.added += 1
        return entry

    def _row(self, columns: _Columns, cells: list[str]) -> Row:
        start = self._instant(columns.get(cells, "start date"), columns.get(cells, "start time"))
        end_date, end_time = columns.get(cells, "end date"), columns.get(cells, "end time")
        if end_date and end_time:
            end = self._instant(end_date, end_time)
            if end < start:  # ended in the hour the clock went back: its second pass
                end = max(end, self._instant(end_date, end_time, fold=1))
        else:
            end = start + _duration(columns.get(cells, "duration"))
        if end < start:
            raise ServiceError("It ends before it starts.")
        problem = instant_problem(start) or instant_problem(end) or duration_problem(end - start)
        if problem is not None:
            raise ServiceError(problem)
        tags = tuple(t.strip() for t in columns.get(cells, "tags").split(",") if t.strip())
        return Row(
            start=start,
            end=end,
            description=columns.get(cells, "description"),
            project=columns.get(cells, "project"),
            client=columns.get(cells, "client"),
            task=columns.get(cells, "task"),
            tags=tags,
            billable=columns.get(cells, "billable").casefold() in _TRUE,
        )

    def _instant(self, day_text: str, time_text: str, fold: int = 0) -> datetime:
        """The instant of a local day and time (``fold=1``: the second pass of a time the
        autumn clock change shows twice)."""
        day = _parse(day_text, _DATES, "date").date()
        clock = _parse(time_text, _TIMES, "time").time()
        return utc(datetime.combine(day, clock, self.zone).replace(fold=fold))

    def _stored(self, row: Row) -> bool:
        """Whether an entry here has the row's start, end and description already."""
        rows = self.context.store.entries.between(
            self.context.workspace_id, row.start, row.end, now=self.context.now()
        )
        return any(
            r.entry.start == row.start
            and r.entry.end == row.end
            and r.entry.description == row.description
            for r in rows
        )

    def _resolve(self, row: Row) -> Entry:
        """The entry for ``row``, with the ids of its names (created, or to be, if new)."""
        ws = self.context.workspace_id
        client_id = self._ref("client", row.client, lambda name: Client(new_id(), ws, name))
        project_id = self._ref(
            "project",
            row.project,
            lambda name: Project(new_id(), ws, name, client_id=client_id),
        )
        task_id = None
        if row.task and project_id is not None:
            key = (project_id, row.task.casefold())
            task_id = self.tasks.get(key)
            if task_id is None:
                task = Task(new_id(), ws, project_id, row.task)
                self._create(task, "task", f"{row.project}: {row.task}", self.tasks, key)
                task_id = task.id
        tag_ids: list[str] = []
        for name in row.tags:
            tag_id = self._ref("tag", name, lambda clean: Tag(new_id(), ws, clean))
            if tag_id is not None and tag_id not in tag_ids:
                tag_ids.append(tag_id)
        return Entry(
            id=new_id(),
            workspace_id=ws,
            start=row.start,
            end=row.end,
            description=row.description,
            project_id=project_id,
            task_id=task_id,
            tag_ids=tuple(tag_ids),
            billable=row.billable,
        )

    def _ref(
        self, kind: str, name: str, make: Callable[[str], Client | Project | Tag]
    ) -> str | None:
        name = " ".join(name.split())
        if not name:
            return None
        known = self.names[kind]
        found = known.get(name.casefold())
        if found is None:
            item = make(name)
            self._create(item, kind, name, known, name.casefold())
            found = item.id
        return found

    def _create(
        self, item: Client | Project | Tag | Task, kind: str, name: str, names: Any, key: Any
    ) -> None:
        """Name a reference item the row needs; it is created only with the row's entry
        (:meth:`_keep_new`), so a refused row leaves nothing behind."""
        names[key] = item.id
        self.new.append((item, kind, name, names, key))

    def _keep_new(self) -> None:
        """Create the row's new reference items (not on a dry run) and say so."""
        for item, kind, name, _names, _key in self.new:
            self.plan.created.setdefault(kind + "s", []).append(name)
            if not self.dry_run:
                self.context.store.catalog.add_local(item)
        self.new.clear()

    def _drop_new(self) -> None:
        """Forget the names a refused row would have created."""
        for _item, _kind, _name, names, key in self.new:
            names.pop(key, None)
        self.new.clear()

    def _write(self, batch: list[Entry]) -> None:
        if self.dry_run or not batch:
            return
        with self.context.store.transaction():
            commit(
                self.context,
                f"import of {len(batch)} entries",
                [Change(None, entry) for entry in batch],
            )
        self.seen.clear()  # written: the store itself now tells a later duplicate
        # What the batches changed is said coarsely (any day, ids unknown): the ids of a
        # whole file would be held until the import ends.
        self.context.take_noted()
        self.context.note(Changes(entries=True, days=None, sync=True, catalog=True))


def _parse(text: str, formats: tuple[str, ...], what: str) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ServiceError(f"{text!r} is not a {what} (as in 2026-03-29 and 14:05:00).")


def _duration(text: str) -> timedelta:
    """``H:MM:SS`` (either export's duration) as a length."""
    parts = text.split(":")
    # Digits only: int() would take "-0" (a negative length read as a positive one), "1_0"
    # and other scripts' digits.
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
        hours, minutes, seconds = (int(p) for p in parts)
        if minutes < 60 and seconds < 60:
            return timedelta(hours=hours, minutes=minutes, seconds=seconds)
    raise ServiceError(f"{text!r} is not a duration (as in 1:30:00), and there is no end.")
