"""What the person hears about sync: the status line between rounds, and one-off notices.

The loop (:mod:`tracker.bridge.sync_loop`) decides when rounds run; this module only words
their outcome. The status line goes by priority: a problem no round can get past (a bad
server address, an unreadable keyring, no account, a refused key) before what the latest
round met (offline, an error), before what waits here (parked changes, the budget, unclear
creates). Notices are said once each: a parked change per reason, conflicts until seen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tracker.bridge.status import (
    KEY_MISSING,
    KEY_REFUSED,
    Notice,
    NoticeKind,
    SyncPhase,
    SyncStatus,
)
from tracker.store import Store
from tracker.sync.engine import SyncReport

__all__ = [
    "Standing",
    "conflict_notice",
    "data_changed",
    "idle_report",
    "parked_notices",
    "resting_status",
]

_LOCAL_ONLY = "Local only: no Clockify account is connected."


@dataclass(frozen=True)
class Standing:
    """What the loop knows about the account: whether, and why not, a round can run.

    Attributes:
        problem: why no round can run (bad server address, unreadable keyring), if so.
        connected: whether an API key is saved.
        refused: whether Clockify refused that key (paused until it changes).
        recorded: whether the store holds an account (so a missing key is a lost one).
    """

    problem: str | None
    connected: bool
    refused: bool
    recorded: bool = False

    def blocked(self) -> tuple[SyncPhase, str] | None:
        """The phase and sentence when no round can run, most urgent first; else ``None``."""
        if self.problem is not None:
            return SyncPhase.ATTENTION, self.problem
        if not self.connected:
            return SyncPhase.LOCAL, KEY_MISSING if self.recorded else _LOCAL_ONLY
        if self.refused:
            return SyncPhase.AUTH, KEY_REFUSED
        return None


def resting_status(
    base: SyncStatus,
    standing: Standing,
    report: SyncReport | None,
    *,
    message: str | None = None,
) -> SyncStatus:
    """The status between rounds, from ``base`` (counts, last and next sync) and what is known.

    Args:
        base: a :attr:`SyncPhase.SYNCED` status with the counts and times filled in.
        standing: whether the account lets rounds run at all.
        report: the latest round's report, ``None`` when no round just ran.
        message: a sentence for an otherwise pending or synced state.
    """
    blocked = standing.blocked()
    if blocked is not None:
        return replace(base, state=blocked[0], message=blocked[1], next_sync=None)
    if report is not None and report.offline is not None:
        return replace(
            base, state=SyncPhase.OFFLINE, message=f"Clockify cannot be reached: {report.offline}"
        )
    if report is not None and report.error is not None:
        # Not an outage that passes by itself: a refused certificate, an answer that
        # cannot be read. Someone has to look.
        return replace(base, state=SyncPhase.ATTENTION, message=f"Sync stopped: {report.error}")
    if base.parked:
        return replace(
            base,
            state=SyncPhase.ATTENTION,
            message=f"{base.parked} change(s) were refused by Clockify and need a look.",
        )
    message = _waiting(report) or message
    if base.pending or message:
        return replace(base, state=SyncPhase.PENDING, message=message)
    return base


def _waiting(report: SyncReport | None) -> str | None:
    """Why changes still wait after a round that ran: the budget, or unclear creates."""
    if report is not None and report.retry_in is not None:
        return f"The request budget is spent; the rest goes in {report.retry_in:.0f} s."
    if report is not None and report.unclear:
        return (
            f"{report.unclear} entry(ies) sent without a clear answer: checking with "
            "Clockify before sending again."
        )
    return None


def idle_report(standing: Standing, pending: int) -> SyncReport:
    """What a requested round that cannot run answers (the CLI waits for a reply)."""
    if standing.refused:
        return SyncReport(auth_required=True, pending=pending)
    reason = standing.problem or "the app runs local-only (no API key)"
    return SyncReport(offline=reason, pending=pending)


def data_changed(report: SyncReport, counts: tuple[int, int], before: tuple[int, int]) -> bool:
    """Whether a round changed what the windows show (entries, reference data or counts)."""
    return counts != before or any(
        (
            report.created,
            report.updated,
            report.deleted,
            report.pulled,
            report.adopted,
            report.refs_refreshed,
            report.parked,
            report.conflicts,
        )
    )


def parked_notices(
    store: Store, workspace: str, report: SyncReport, said: set[tuple[str, str]]
) -> list[Notice]:
    """A notice for each change refused for a reason not yet told; adds them to ``said``."""
    reasons = dict(report.parked)
    for row in store.entries.pending(workspace):
        if row.parked:
            reasons.setdefault(row.id, row.parked)
    notices = []
    for entry_id, reason in reasons.items():
        if (entry_id, reason) in said:
            continue
        said.add((entry_id, reason))
        found = store.entries.get(entry_id)
        what = (found.entry.description if found else "") or "An entry"
        notices.append(Notice(NoticeKind.PARKED, "Clockify refused a change", f"{what}: {reason}"))
    return notices


def conflict_notice(store: Store) -> Notice | None:
    """One notice for the conflicts not yet seen, which then count as seen."""
    conflicts = store.meta.conflicts(unseen_only=True)
    if not conflicts:
        return None
    fields = sorted({c.field for c in conflicts})
    text = (
        f"{len(conflicts)} field(s) changed both here and in Clockify "
        f"({', '.join(fields)}); the change made here was kept."
    )
    store.meta.mark_conflicts_seen()
    return Notice(NoticeKind.CONFLICT, "Changed in two places", text)
