"""``tracker admin schedule``: who is booked on what, week by week, against their capacity.

``tracker admin schedule [WEEK] [--user U] [--project P] [--weeks N]`` shows each person's
booked hours per day against what they work (over-booked days marked ``!``), with a row per
project; ``add``, ``edit``, ``copy``, ``delete`` and ``publish`` change it on Clockify (owners,
admins, and managers for their people and projects). Scheduling is a Pro feature of Clockify.
Ids are shown short (their last six characters) and accepted so.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.cli.admin_verbs import confirm, require_admin_account, run_online
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import one_line

if TYPE_CHECKING:
    from tracker.api import ClockifyClient
    from tracker.services.admin_schedule import (
        Booking,
        Named,
        PersonWeek,
        Schedule,
        ScheduleWeek,
    )

__all__ = ["arguments", "run"]

_VERBS = ("add", "edit", "copy", "delete", "publish")
_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MEMBER_REFUSAL = (
    "Only the workspace's owner, admins and managers change the schedule on Clockify; "
    "`tracker admin schedule` shows your own published assignments."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    """``[WEEK]``, or a verb and its words, with the options they take."""
    parser.add_argument(
        "words",
        nargs="*",
        metavar="WEEK | add USER PROJECT FROM TO | edit ID | copy ID | delete ID | publish [WEEK]",
        help="the week to show (this, next, -1, 2026-W50, a day in it), or what to change",
    )
    parser.add_argument("--user", metavar="U", help="only this person; copy: to this person")
    parser.add_argument("--project", metavar="P", help="only this project")
    parser.add_argument("--weeks", type=int, metavar="N", help="show N weeks; add: repeat weekly")
    parser.add_argument("--hours", metavar="H", help="hours a day (4, 4.5, 4h30)")
    parser.add_argument("--task", metavar="T", help="a task of the project")
    parser.add_argument("--note", metavar="TEXT", help="a note (at most 100 characters)")
    parser.add_argument("--to", metavar="WEEK", help="copy: to this week")
    parser.add_argument("--from", dest="first", metavar="DAY", help="edit: new first day")
    parser.add_argument("--until", dest="last", metavar="DAY", help="edit: new last day")
    parser.add_argument(
        "--series",
        choices=("this", "following", "all"),
        default="this",
        help="edit, delete: this one, this and the following, or the whole series",
    )
    parser.add_argument("--refresh", action="store_true", help="ask Clockify even if just read")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done")
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting")


def run(rt: Runtime) -> int:
    """Show the schedule, or change it."""
    words: list[str] = list(rt.args.words)
    if words and words[0] in _VERBS:
        verb, rest = words[0], words[1:]
        _refuse_members(rt)
        return {
            "add": _add,
            "edit": _edit,
            "copy": _copy,
            "delete": _delete,
            "publish": _publish,
        }[verb](rt, rest)
    if len(words) > 1:
        raise UserError(
            f"Give one week (`tracker admin schedule next`) or a change ({', '.join(_VERBS)})."
        )
    return _show(rt, words[0] if words else "this")


# --- talking to Clockify -------------------------------------------------------------------------


def _require(rt: Runtime) -> None:
    from tracker.services.abilities import plan_lacks  # noqa: PLC0415
    from tracker.services.admin_schedule import SCHEDULING  # noqa: PLC0415

    require_admin_account(rt)
    if plan_lacks(rt.store, SCHEDULING):
        raise UserError(
            "This workspace's Clockify plan has no Scheduling (it comes with the Pro plan "
            "and above)."
        )


def _refuse_members(rt: Runtime) -> None:
    """A member is told without a request (when the role is known); Clockify says it
    otherwise."""
    from tracker.services.abilities import ROLE_MEMBER, abilities  # noqa: PLC0415

    _require(rt)
    if abilities(rt.store).role == ROLE_MEMBER:
        raise UserError(_MEMBER_REFUSAL)


def _service(rt: Runtime, api: ClockifyClient | None) -> Schedule:
    from tracker.services.admin_schedule import Schedule  # noqa: PLC0415

    return Schedule(rt.context, api)


def _online(rt: Runtime, work: Any) -> Any:
    """Run ``work(service)`` with a client; Clockify's refusal as one sentence."""
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    async def go(api: ClockifyClient | None) -> Any:
        try:
            return await work(_service(rt, api))
        except AdminError:
            raise
        except LookupError as exc:
            raise AdminError(str(exc)) from exc

    return run_online(rt, go)


# --- reading -------------------------------------------------------------------------------------


def _week_day(rt: Runtime, text: str) -> date:
    from tracker.cli.week_verbs import parse_week  # noqa: PLC0415

    return parse_week(rt, text)


def _show(rt: Runtime, text: str) -> int:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    _require(rt)
    day = _week_day(rt, text)
    weeks = rt.args.weeks or 1
    refresh = bool(rt.args.refresh)
    try:
        week: ScheduleWeek = _online(rt, lambda s: s.week(day, weeks, refresh=refresh))
    except UserError as problem:
        try:
            week = asyncio.run(_service(rt, None).week(day, weeks))
        except AdminError:
            raise problem from None
        print(f"tracker: {problem}; showing what was read at {_at(week)}.", file=sys.stderr)
    week = _filtered(rt, week)
    rt.emit(_json(week), _lines(week))
    return 0


def _filtered(rt: Runtime, week: ScheduleWeek) -> ScheduleWeek:
    """Only the person (``--user``) and project (``--project``) asked for."""
    people = list(week.people)
    if rt.args.user:
        people = [_person_named(people, rt.args.user)]
    if rt.args.project:
        local = _project(rt, rt.args.project).id
        project_id = rt.store.catalog.server_id("project", local) or local
        people = [
            replace(p, rows=tuple(r for r in p.rows if r.project_id == project_id)) for p in people
        ]
        people = [p for p in people if p.rows]
    shown = {p.user_id for p in people}
    rows = {b for p in people for r in p.rows for b in r.bookings}
    bookings = tuple(b for b in week.bookings if b.user_id in shown and b.id in rows)
    return replace(week, people=tuple(people), bookings=bookings)


def _person_named(people: list[PersonWeek], name: str) -> PersonWeek:
    wanted = name.strip().casefold()
    exact = [p for p in people if p.name.casefold() == wanted]
    matches = exact or [p for p in people if wanted and wanted in p.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(sorted(one_line(p.name) for p in matches))
        raise UserError(f"{name!r} matches several people ({names}); give a full name.")
    raise UserError(f"No one called {name!r} is on this schedule.")


def _at(week: ScheduleWeek) -> str:
    return f"{week.as_of:%Y-%m-%d %H:%M} UTC"


def _hours(value: float) -> str:
    return f"{value:g}"


def _load(scheduled: float, capacity: float | None, *, over: bool) -> str:
    shown = "?" if capacity is None else _hours(capacity)
    return f"{_hours(scheduled)}/{shown}{'!' if over else ''}"


def _json(week: ScheduleWeek) -> dict[str, Any]:
    from tracker.services.admin_schedule import short_id  # noqa: PLC0415

    data = week.to_json()
    for item in data["assignments"]:
        item["short_id"] = short_id(item["id"])
    return data


def _lines(week: ScheduleWeek) -> list[str]:
    from tracker.services.admin_schedule import short_id  # noqa: PLC0415

    heads = [f"{_WEEKDAY[d.weekday()]} {d.day:02d}" for d in week.days]
    rows: list[list[str]] = []
    over: list[str] = []
    for person in week.people:
        cells = [
            _load(d.scheduled, d.capacity if d.known else None, over=d.over) for d in person.days
        ]
        capacity = person.capacity if person.capacity_known else None
        rows.append([person.name, *cells, _load(person.scheduled, capacity, over=False)])
        if person.over_booked:
            days = ", ".join(
                f"{_WEEKDAY[d.day.weekday()]} {d.day:%d}" for d in person.days if d.over
            )
            over.append(f"{one_line(person.name)} ({days})")
        for row in person.rows:
            ids = " ".join(f"#{short_id(b)}" for b in row.bookings)
            hours = [_hours(h) if h else "-" for h in row.hours]
            rows.append([f"  {row.label} {ids}", *hours, _hours(row.total)])
    stale = ", changed here since" if week.stale else ""
    title = (
        f"Schedule {week.first.isoformat()} to {week.last.isoformat()} "
        f"(booked/capacity hours; as of {_at(week)}{stale})"
    )
    if not rows:
        return [title, "Nobody you can see is booked in these weeks."]
    lines = [title, *table(["Person / project", *heads, "Total"], rows)]
    if over:
        lines.append(f"Over-booked: {'; '.join(over)}.")
    if week.drafts:
        lines.append(
            f"{_hours(week.drafts)} h not published yet: "
            "`tracker admin schedule publish WEEK` shows them to the people booked."
        )
    return lines


# --- changing ------------------------------------------------------------------------------------


def _project(rt: Runtime, text: str) -> Any:
    from tracker.services.catalog import Catalog  # noqa: PLC0415
    from tracker.services.errors import ServiceError  # noqa: PLC0415

    rt.fetch_references_once()
    try:
        return Catalog(rt.context).resolve_project(text)
    except ServiceError as exc:
        raise UserError(str(exc)) from exc


def _task(rt: Runtime, text: str | None, project: Any) -> Any:
    from tracker.services.catalog import Catalog  # noqa: PLC0415
    from tracker.services.errors import ServiceError  # noqa: PLC0415

    if not text:
        return None
    try:
        return Catalog(rt.context).resolve_task(text, project)
    except ServiceError as exc:
        raise UserError(str(exc)) from exc


def _hours_per_day(text: str | None, *, required: bool) -> float | None:
    from tracker.domain.durations import DurationError, parse_human  # noqa: PLC0415

    if text is None:
        if required:
            raise UserError("Say how many hours a day: --hours 4.")
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        pass
    try:
        return parse_human(text).total_seconds() / 3600.0
    except DurationError as exc:
        raise UserError(f"--hours: {exc}") from exc


def _note(rt: Runtime) -> str | None:
    note: str | None = rt.args.note
    if note is not None and len(note) > 100:
        raise UserError("A note is at most 100 characters.")
    return note


async def _person_id(service: Schedule, name: str) -> tuple[str, str]:
    """(user id, name) of the member called ``name``; one request."""
    from tracker.services.admin_base import speaking  # noqa: PLC0415
    from tracker.services.people import only_match  # noqa: PLC0415

    with speaking("list the workspace's people"):
        found = [u async for u in service.api.users.list(service.workspace_id, name=name.strip())]
    user = only_match(found, name)
    return user.id, user.name or user.email or name.strip()


def _said(bookings: list[Booking]) -> list[str]:
    from tracker.services.admin_schedule import short_id  # noqa: PLC0415

    return [
        f"  #{short_id(b.id)}  {one_line(b.user_name or b.user_id)}  {one_line(b.label)}  "
        f"{b.first.isoformat()} to {b.last.isoformat()}  {_hours(b.hours_per_day)} h a day"
        for b in bookings
    ]


def _emit_bookings(rt: Runtime, verb: str, bookings: list[Booking], *, draft: bool = True) -> None:
    from tracker.services.admin_schedule import short_id  # noqa: PLC0415

    data = {
        "done": verb.lower(),
        "assignments": [{**b.to_json(), "short_id": short_id(b.id)} for b in bookings],
    }
    count = len(bookings)
    plural = "assignment" if count == 1 else "assignments"
    until = " (not shown to the people booked until published)" if draft else ""
    rt.emit(data, [f"{verb} {count} {plural}{until}:", *_said(bookings)])


def _add(rt: Runtime, words: list[str]) -> int:
    if len(words) != 4:
        raise UserError("Give who, on what and when: add USER PROJECT FROM TO --hours H.")
    person, project_text, first_text, last_text = words
    first, last = rt.day(first_text), rt.day(last_text)
    hours = _hours_per_day(rt.args.hours, required=True)
    assert hours is not None
    project = _project(rt, project_text)
    task = _task(rt, rt.args.task, project)
    weeks = rt.args.weeks or 1
    note = _note(rt)
    repeat = f", every week for {weeks} weeks" if weeks > 1 else ""
    said = (
        f"book {person} on {project.name} {_hours(hours)} h a day from {first.isoformat()} "
        f"to {last.isoformat()}{repeat}"
    )
    if rt.args.dry_run:
        confirm(rt, said)
        return 0

    async def work(service: Schedule) -> list[Booking]:
        project_id = _clockify_id(service, "project", project.id)
        task_id = _clockify_id(service, "task", task.id) if task else None
        user_id, name = await _person_id(service, person)
        return await service.add(
            user_id,
            project_id,
            first,
            last,
            hours,
            task_id=task_id,
            weeks=weeks,
            note=note,
            user_name=name,
        )

    _emit_bookings(rt, "Booked", _online(rt, work))
    return 0


def _clockify_id(service: Schedule, kind: Named, local_id: str) -> str:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    try:
        return service.server_id(kind, local_id)
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _one(rt: Runtime, words: list[str], verb: str) -> Booking:
    from tracker.services.admin_base import AdminError  # noqa: PLC0415

    if len(words) != 1:
        raise UserError(f"Give one assignment: {verb} ID (as `tracker admin schedule` shows it).")
    try:
        return _service(rt, None).find(words[0].lstrip("#"))
    except AdminError as exc:
        raise UserError(exc.message) from exc


def _edit(rt: Runtime, words: list[str]) -> int:
    booking = _one(rt, words, "edit")
    first = rt.day(rt.args.first) if rt.args.first else None
    last = rt.day(rt.args.last) if rt.args.last else None
    hours = _hours_per_day(rt.args.hours, required=False)
    task = None
    if rt.args.task:
        workspace_id = rt.store.meta.workspace_id() or ""
        local = rt.store.catalog.local_id("project", workspace_id, booking.project_id)
        task = _task(rt, rt.args.task, _project(rt, local or booking.project_id))
    note = _note(rt)
    if first is None and last is None and hours is None and task is None and note is None:
        raise UserError("Say what to change: --hours, --from, --until, --task or --note.")
    series = rt.args.series
    if rt.args.dry_run:
        confirm(rt, f"change {_said([booking])[0].strip()} ({series} of its series)")
        return 0

    async def work(service: Schedule) -> list[Booking]:
        task_id = _clockify_id(service, "task", task.id) if task else None
        return await service.edit(
            booking, first=first, last=last, hours=hours, note=note, task_id=task_id, series=series
        )

    _emit_bookings(rt, "Changed", _online(rt, work))
    return 0


def _copy(rt: Runtime, words: list[str]) -> int:
    booking = _one(rt, words, "copy")
    to_week = _week_day(rt, rt.args.to) if rt.args.to else None
    person: str | None = rt.args.user
    if to_week is None and person is None:
        raise UserError("Say where to copy it: --to WEEK and/or --user NAME.")
    if rt.args.dry_run:
        where = " ".join(
            part
            for part in (
                f"to the week of {to_week.isoformat()}" if to_week else "",
                f"for {person}" if person else "",
            )
            if part
        )
        confirm(rt, f"copy {_said([booking])[0].strip()} {where}")
        return 0

    async def work(service: Schedule) -> list[Booking]:
        user_id, name = await _person_id(service, person) if person else (None, "")
        return await service.copy(booking, to_week=to_week, to_user=user_id, user_name=name)

    _emit_bookings(rt, "Copied", _online(rt, work))
    return 0


def _delete(rt: Runtime, words: list[str]) -> int:
    booking = _one(rt, words, "delete")
    series = rt.args.series
    reach = {
        "this": "",
        "following": " and the following ones of its series",
        "all": " and its whole series",
    }
    if not confirm(rt, f"delete {_said([booking])[0].strip()}{reach[series]}"):
        return 0
    gone: list[Booking] = _online(rt, lambda s: s.delete(booking, series=series))
    _emit_bookings(rt, "Deleted", gone or [booking], draft=False)
    return 0


def _publish(rt: Runtime, words: list[str]) -> int:
    if len(words) > 1:
        raise UserError("Give at most one week: publish [WEEK].")
    day = _week_day(rt, words[0] if words else "this")
    weeks = rt.args.weeks or 1
    from tracker.services.admin_schedule import Schedule  # noqa: PLC0415

    first = Schedule(rt.context).week_of(day)
    said = f"publish the drafts of {weeks} week(s) from {first.isoformat()} to the people booked"
    if not confirm(rt, said):
        return 0
    _online(rt, lambda s: s.publish(day, weeks))
    rt.emit(
        {"done": "published", "first": first.isoformat(), "weeks": weeks},
        [f"Published the schedule of {weeks} week(s) from {first.isoformat()}."],
    )
    return 0
