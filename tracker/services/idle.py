"""What to do with time the person was away while a timer ran: the idle prompt's four answers.

Each answer is one transaction with one undo record, so "Undo" after choosing brings the
running entry back exactly as it was. The idle period is clamped to the running entry (an
absence that began before the timer started only counts from the start) and to now.

``ADD_AS_NEW`` records the idle span as its own finished entry described :data:`IDLE_DESCRIPTION`
("Idle") with no project, task or tags and not billable: the span is visible in the day and
easy to find and re-label (a meeting, a call), but bills no one until the person says what it
was. Where the workspace requires a project, task, tags or custom fields, the idle entry takes
the running entry's, so the answer is not refused for a rule the person cannot fix from the
prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from tracker.domain.model import Entry, new_id, utc
from tracker.services.context import Context
from tracker.services.drafts import describe
from tracker.services.errors import ServiceError
from tracker.services.undo import Change, commit

__all__ = ["IDLE_DESCRIPTION", "IdleChoice", "IdleOutcome", "resolve"]

IDLE_DESCRIPTION = "Idle"
"""The description of the entry ``ADD_AS_NEW`` makes of the idle span."""


class IdleChoice(StrEnum):
    """The person's answer when they come back."""

    KEEP = "keep"
    """The timer counted the time away; leave it so."""
    DISCARD = "discard"
    """Stop the running entry when the absence began (the timer is off afterwards)."""
    DISCARD_CONTINUE = "discard_continue"
    """Stop it when the absence began, and start the same work again from the return."""
    ADD_AS_NEW = "add_as_new"
    """Stop it when the absence began, record the absence as its own entry, and start the
    same work again from the return."""


@dataclass(frozen=True)
class IdleOutcome:
    """What the answer wrote: the running entry as it ended up (``None``: deleted, because
    the whole of it was idle), the work started again, and the idle entry."""

    stopped: Entry | None = None
    resumed: Entry | None = None
    idle: Entry | None = None
    changed: bool = False


def resolve(
    context: Context,
    choice: IdleChoice | str,
    start: datetime,
    end: datetime,
    *,
    entry_id: str | None = None,
) -> IdleOutcome:
    """Apply ``choice`` to the running entry for an absence from ``start`` to ``end``.

    ``entry_id`` is the entry that ran when the absence was noticed; if another one runs now
    (stopped or switched from the command line meanwhile), nothing is changed.

    Raises:
        ServiceError: no timer runs, a different one runs, or the workspace's rules refuse
            the result.
    """
    choice = IdleChoice(choice)
    if choice is IdleChoice.KEEP:
        return IdleOutcome()
    store = context.store
    with store.transaction():
        row = store.entries.running(context.workspace_id)
        if row is None:
            raise ServiceError("No timer is running any more; nothing was changed.")
        entry = row.entry
        if entry_id is not None and entry.id != entry_id:
            raise ServiceError(
                "Another timer was started while you were away; nothing was changed."
            )
        cut = max(utc(start), entry.start)
        back = min(utc(end), context.now())
        if cut >= back:  # the entry started after the absence ended
            return IdleOutcome(stopped=entry)
        changes: list[Change] = []
        stopped: Entry | None
        resumed: Entry | None = None
        again = choice in (IdleChoice.DISCARD_CONTINUE, IdleChoice.ADD_AS_NEW)
        if cut == entry.start:
            # All of it so far was idle: nothing is left to keep of the entry itself.
            stopped = None
            if again:
                resumed = replace(entry, start=back)
                changes.append(Change(entry, resumed, what="the running entry"))
            else:
                changes.append(Change(entry, None, what="the running entry"))
        else:
            stopped = replace(entry, end=cut)
            changes.append(Change(entry, stopped, what="the running entry"))
            if again:
                resumed = replace(entry, id=new_id(), start=back, end=None)
                changes.append(Change(None, resumed, what="the continued entry"))
        idle: Entry | None = None
        if choice is IdleChoice.ADD_AS_NEW:
            idle = _idle_entry(context, entry, cut, back)
            changes.append(Change(None, idle, what="the idle entry"))
        zone = context.zone()
        commit(context, f"idle time in {describe(entry, zone)}", changes)
        return IdleOutcome(stopped=stopped, resumed=resumed, idle=idle, changed=True)


def _idle_entry(context: Context, running: Entry, start: datetime, end: datetime) -> Entry:
    """The absence as a finished entry, borrowing from ``running`` only what rules demand."""
    rules = context.rules()
    borrow_project = rules.require_project or rules.require_task
    required_fields = {f.id for f in context.custom_fields() if f.required}
    return Entry(
        id=new_id(),
        workspace_id=running.workspace_id,
        start=start,
        end=end,
        description=IDLE_DESCRIPTION,
        project_id=running.project_id if borrow_project else None,
        task_id=running.task_id if rules.require_task else None,
        tag_ids=running.tag_ids if rules.require_tags else (),
        billable=False,
        custom_fields={k: v for k, v in running.custom_fields.items() if k in required_fields},
    )
