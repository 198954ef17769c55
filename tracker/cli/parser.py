"""The command line's grammar: verbs, their options, and the help people read."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any

from tracker import __version__
from tracker.cli.timeoff_grammar import timeoff_arguments

__all__ = ["EXIT_CODES", "FREE_TEXT", "VERBS", "CommandParser", "build_parser"]

VERBS: dict[str, tuple[str, str]] = {
    "start": ("tracker.cli.timer_verbs", "cmd_start"),
    "stop": ("tracker.cli.timer_verbs", "cmd_stop"),
    "status": ("tracker.cli.timer_verbs", "cmd_status"),
    "continue": ("tracker.cli.timer_verbs", "cmd_continue"),
    "discard": ("tracker.cli.timer_verbs", "cmd_discard"),
    "toggle": ("tracker.cli.timer_verbs", "cmd_toggle"),
    "today": ("tracker.cli.entry_verbs", "cmd_day"),
    "day": ("tracker.cli.entry_verbs", "cmd_day"),
    "log": ("tracker.cli.entry_verbs", "cmd_log"),
    "add": ("tracker.cli.entry_verbs", "cmd_add"),
    "edit": ("tracker.cli.entry_verbs", "cmd_edit"),
    "split": ("tracker.cli.entry_verbs", "cmd_split"),
    "delete": ("tracker.cli.entry_verbs", "cmd_delete"),
    "undo": ("tracker.cli.entry_verbs", "cmd_undo"),
    "projects": ("tracker.cli.catalog_verbs", "cmd_projects"),
    "tasks": ("tracker.cli.catalog_verbs", "cmd_tasks"),
    "tags": ("tracker.cli.catalog_verbs", "cmd_tags"),
    "clients": ("tracker.cli.catalog_verbs", "cmd_clients"),
    "workspace": ("tracker.cli.account_verbs", "cmd_workspace"),
    "login": ("tracker.cli.account_verbs", "cmd_login"),
    "logout": ("tracker.cli.account_verbs", "cmd_logout"),
    "whoami": ("tracker.cli.account_verbs", "cmd_whoami"),
    "check": ("tracker.cli.account_verbs", "cmd_whoami"),
    "sync": ("tracker.cli.account_verbs", "cmd_sync"),
    "doctor": ("tracker.cli.account_verbs", "cmd_doctor"),
    "report": ("tracker.cli.report_verbs", "cmd_report"),
    "export": ("tracker.cli.report_verbs", "cmd_export"),
    "popup": ("tracker.cli.app_verbs", "cmd_popup"),
    "open-today": ("tracker.cli.app_verbs", "cmd_open_today"),
    "quit": ("tracker.cli.app_verbs", "cmd_quit"),
    "submit": ("tracker.cli.approval_verbs", "cmd_submit"),
    "approvals": ("tracker.cli.approval_verbs", "cmd_approvals"),
    "approve": ("tracker.cli.approval_verbs", "cmd_approve"),
    "reject": ("tracker.cli.approval_verbs", "cmd_reject"),
    "withdraw": ("tracker.cli.approval_verbs", "cmd_withdraw"),
    "week": ("tracker.cli.week_verbs", "cmd_week"),
    "timeoff": ("tracker.cli.timeoff_verbs", "cmd_timeoff"),
    "holidays": ("tracker.cli.timeoff_verbs", "cmd_holidays"),
    "admin": ("tracker.cli.admin_verbs", "cmd_admin"),
    "invoice": ("tracker.cli.invoice_verbs", "cmd_invoice"),
    "audit": ("tracker.cli.audit_verbs", "cmd_audit"),
    "webhooks": ("tracker.cli.webhooks_verbs", "cmd_webhooks"),
    "events": ("tracker.cli.event_verbs", "cmd_events"),
    "import": ("tracker.cli.import_verbs", "cmd_import"),
}
"""verb → (module, function): modules are imported only for the verb that runs."""

FREE_TEXT = {
    "start": "description",
    "add": "rest",
    "projects": "name",
    "tasks": "name",
    "tags": "name",
    "clients": "name",
}
"""Verbs whose words after an option still belong to them, and the argument they fill."""

TIME_HELP = "9:30, 5pm, -15m, yesterday 17:00, 2026-03-29 14:00"
ENTRY_HELP = "an entry: its id or short id, #N from `tracker today`, or 'last'"


EXIT_CODES = """\
exit codes:
  0    done
  1    refused: the message says why and what to do
  2    usage error: an unknown option, or an argument in the wrong form
  3    already done: the same workspace change was made moments ago by a run stopped
       before it said so; nothing was sent (add --again to make it once more)
  70   internal error: a bug in tracker; the message says where the details are
       (TRACKER_DEBUG=1 also prints them)
  130  interrupted"""

_DASH_VALUE = re.compile(r"^-\d")


class CommandParser(argparse.ArgumentParser):
    """argparse, reading ``-15m`` as a value and pointing at ``--help`` after a usage error.

    Relative times (``--at -15m``, ``split ID -1h``) begin with a dash. argparse takes only
    plain negative numbers as values, so its negative-number pattern is widened; no option
    of ours starts with a digit, so nothing is lost.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _DASH_VALUE
        self.verbs: dict[str, argparse.ArgumentParser] = {}
        """The verbs' own parsers, so an error can show the verb's usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n(see `{self.prog} --help`)\n")


def _refs(parser: argparse.ArgumentParser, *, fields: bool = True) -> None:
    parser.add_argument("-p", "--project", metavar="PROJECT", help="project name or id")
    parser.add_argument("-t", "--task", metavar="TASK", help="task name or id")
    parser.add_argument(
        "--tag", action="append", metavar="TAG", help="tag name or id (repeat for more)"
    )
    billable = parser.add_mutually_exclusive_group()
    billable.add_argument("--billable", action="store_true", default=None, help="billable")
    billable.add_argument(
        "--no-billable", dest="billable", action="store_false", help="not billable"
    )
    if fields:
        parser.add_argument(
            "--field",
            action="append",
            metavar="NAME=VALUE",
            help="a custom field value (repeat for more; empty VALUE clears)",
        )


Verb = Callable[..., argparse.ArgumentParser]


def build_parser(only: str | None = None) -> CommandParser:
    """The command line; with ``only``, just that verb (a quarter of the time to build, which
    ``tracker status`` notices)."""
    common = CommandParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    common.add_argument(
        "--again",
        action="store_true",
        default=argparse.SUPPRESS,
        help="make a workspace change even if the same one was just made",
    )
    parser = CommandParser(
        prog="tracker",
        description="Track time for Clockify from the command line; works offline.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    parser.add_argument("--json", action="store_true", default=False, help="print JSON")
    parser.add_argument(
        "--again",
        action="store_true",
        default=False,
        help="make a workspace change even if the same one was just made (exit code 3)",
    )
    verbs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)

    def verb(name: str, help_text: str, **kwargs: Any) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return argparse.ArgumentParser(add_help=False)  # built, never used
        made: argparse.ArgumentParser = verbs.add_parser(
            name, help=help_text, parents=[common], **kwargs
        )
        parser.verbs[name] = made
        return made

    _timer_verbs(verb)
    _entry_verbs(verb)
    _catalog_verbs(verb)
    _account_verbs(verb)
    _report_verbs(verb)
    _app_verbs(verb)
    _approval_verbs(verb)
    _week_verbs(verb)
    timeoff_arguments(verb, CommandParser)
    _admin_verbs(verb, only)
    _invoice_verbs(verb, only)
    _audit_verbs(verb, only)
    _webhook_verbs(verb, only)
    _event_verbs(verb)
    return parser


def _event_verbs(verb: Verb) -> None:
    events = verb("events", "what local changes did (timer.started, entry.edited...), in order")
    events.add_argument(
        "--follow", "-f", action="store_true", help="then wait for new events (Ctrl+C ends)"
    )
    events.add_argument(
        "--since",
        type=int,
        metavar="ID",
        help="only events after this id (default: all kept; with --follow, only new ones)",
    )
    imports = verb("import", "add entries from a Clockify or Toggl detailed CSV export")
    imports.add_argument("file", metavar="FILE", help="the CSV file")
    imports.add_argument(
        "--dry-run", "-n", action="store_true", help="show what would be added, write nothing"
    )


def _timer_verbs(verb: Verb) -> None:
    start = verb("start", "start a timer (stops the running one)")
    start.add_argument("description", nargs="*", help="what you are doing")
    _refs(start)
    start.add_argument("--at", metavar="TIME", help=f"started earlier: {TIME_HELP}")

    stop = verb("stop", "stop the running timer")
    stop.add_argument("--at", metavar="TIME", help=f"stopped earlier: {TIME_HELP}")

    verb("status", "what runs, today's total, what waits to be sent")

    cont = verb("continue", "start again what a recent entry was about")
    cont.add_argument(
        "which", nargs="?", metavar="N|ID", help="the N-th latest distinct entry (1), or an entry"
    )
    cont.add_argument("--at", metavar="TIME", help=f"started earlier: {TIME_HELP}")

    verb("discard", "throw the running entry away")
    verb("toggle", "stop the running timer, or continue the latest entry")


def _entry_verbs(verb: Verb) -> None:
    for name in ("today", "day"):
        day = verb(name, "a day's entries, numbered #1, #2... (today by default)")
        day.add_argument("day", nargs="?", help="today, yesterday, -2, mon, 2026-03-29")

    log = verb("log", "entries of several days (the last seven by default)")
    log.add_argument("--from", dest="since", metavar="DAY", help="first day")
    log.add_argument("--to", metavar="DAY", help="last day (today)")

    add = verb(
        "add",
        "add a finished entry",
        usage="tracker add START (END | --duration D) [DESCRIPTION...] [options]",
    )
    add.add_argument("start", metavar="START", help=TIME_HELP)
    add.add_argument("rest", nargs="*", metavar="END DESCRIPTION", help="end time, then words")
    add.add_argument("-d", "--duration", metavar="D", help="instead of END: 1h30, 90m, 1:30")
    _refs(add)

    edit = verb("edit", "change an entry's fields")
    edit.add_argument("id", metavar="ID", help=ENTRY_HELP)
    edit.add_argument("--description", "-m", metavar="TEXT")
    _refs(edit)
    edit.add_argument("--no-project", action="store_true", help="remove the project")
    edit.add_argument("--no-task", action="store_true", help="remove the task")
    edit.add_argument("--no-tags", action="store_true", help="remove all tags")
    edit.add_argument("--start", metavar="TIME", help=TIME_HELP)
    edit.add_argument("--end", metavar="TIME", help=f"{TIME_HELP}; stops a running entry")
    edit.add_argument("--duration", metavar="D", help="sets the end to start + D")

    split = verb("split", "cut an entry in two")
    split.add_argument("id", metavar="ID", help=ENTRY_HELP)
    split.add_argument("at", metavar="AT", help=TIME_HELP)

    delete = verb("delete", "delete an entry (undo brings it back)")
    delete.add_argument("id", metavar="ID", help=ENTRY_HELP)

    verb("undo", "undo the last change")


def _catalog_verbs(verb: Verb) -> None:
    for kind in ("projects", "tasks", "tags", "clients"):
        listing = verb(kind, f"list {kind}, or `{kind} add NAME`")
        listing.add_argument("action", nargs="?", choices=["add"], help="add one")
        listing.add_argument("name", nargs="?", metavar="NAME", help="name of the new one")
        if kind == "projects":
            listing.add_argument("--client", "-c", metavar="CLIENT", help="client name or id")
            listing.add_argument("--color", metavar="#RRGGBB")
            listing.add_argument("--billable", action="store_true", help="billable by default")
        if kind == "tasks":
            listing.add_argument("-p", "--project", metavar="PROJECT")
            listing.add_argument("--done", action="store_true", help="include done tasks")
        else:
            listing.add_argument("--archived", action="store_true", help="include archived")
        if kind in ("projects", "tasks"):
            pin = listing.add_mutually_exclusive_group()
            one = kind[:-1]
            pin.add_argument(
                "--favourite", metavar="NAME", help=f"pin a {one} on top of the pickers"
            )
            pin.add_argument("--unfavourite", metavar="NAME", help=f"unpin a {one}")


def _account_verbs(verb: Verb) -> None:
    workspace = verb("workspace", "list workspaces, or `workspace use NAME|ID`")
    workspace.add_argument("action", nargs="?", choices=["use"])
    workspace.add_argument("name", nargs="?", metavar="NAME|ID")
    workspace.add_argument("--refresh", action="store_true", help="ask Clockify for the list")

    login = verb("login", "connect Clockify with an API key (read from a prompt or stdin)")
    login.add_argument("--workspace", "-w", metavar="NAME|ID", help="the workspace to use")
    verb("logout", "forget the API key")
    verb("whoami", "check the API key with Clockify and show its account")
    verb("check", "same as whoami")
    verb("sync", "send local changes to Clockify and fetch remote ones")
    doctor = verb("doctor", "check the setup: keyring, store, budget, time zone")
    doctor.add_argument("--online", action="store_true", help="also reach Clockify")


PERIOD_HELP = "today, yesterday, this-week (default), last-week, this-month, last-month, this-year"


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("period", nargs="?", metavar="PERIOD", help=PERIOD_HELP)
    parser.add_argument("--from", dest="since", metavar="DAY", help="first day")
    parser.add_argument("--to", metavar="DAY", help="last day (today)")
    parser.add_argument(
        "--group-by", metavar="A,B,C", help="project, client, task, tag, date, description"
    )
    parser.add_argument("-p", "--project", action="append", metavar="PROJECT")
    parser.add_argument("-c", "--client", action="append", metavar="CLIENT")
    parser.add_argument("-t", "--task", action="append", metavar="TASK")
    parser.add_argument("--tag", action="append", metavar="TAG")
    billable = parser.add_mutually_exclusive_group()
    billable.add_argument("--billable", action="store_true", default=None, help="billable only")
    billable.add_argument(
        "--no-billable", dest="billable", action="store_false", help="non-billable only"
    )
    parser.add_argument("--description", metavar="TEXT", help="descriptions containing TEXT")
    parser.add_argument("--without-project", action="store_true", help="entries with no project")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="your entries on this computer (the default without a Clockify account)",
    )
    parser.add_argument(
        "--user",
        metavar="WHO",
        help="me (default), all, or a NAME: whose time on Clockify (others' only where allowed)",
    )
    parser.add_argument(
        "--refresh", action="store_true", help="ask Clockify again even if fetched minutes ago"
    )
    parser.add_argument(
        "-y", "--yes", action="store_true", help="run a report that costs many requests"
    )


def _report_verbs(verb: Verb) -> None:
    report = verb("report", "where the time of a period went, grouped")
    _report_options(report)
    report.add_argument("--csv", action="store_true", help="print CSV")

    export = verb("export", "write a period's entries to a CSV, XLSX, PDF or JSON file")
    export.add_argument("file", metavar="FILE", help="the file to write (.csv .xlsx .pdf .json)")
    _report_options(export)
    export.add_argument("--kind", choices=["detailed", "summary", "weekly"], default="detailed")
    export.add_argument("--format", choices=["csv", "xlsx", "pdf", "json"], help="(the extension)")


def _app_verbs(verb: Verb) -> None:
    verb("popup", "open the tray app's timer popup (for a desktop shortcut)")
    verb("open-today", "open the tray app's today window (for a desktop shortcut)")
    verb("quit", "ask the running tray app to quit")


def _approval_verbs(verb: Verb) -> None:
    period_help = "this (the default), last, or any day of the period"
    every_help = "the workspace's approval period, when it is not weekly (remembered)"
    submit = verb("submit", "submit a period of your time for approval")
    submit.add_argument("period", nargs="?", metavar="PERIOD", help=period_help)
    submit.add_argument("--every", choices=["weekly", "semi-monthly", "monthly"], help=every_help)
    withdraw = verb("withdraw", "take back a submission that waits for approval")
    withdraw.add_argument("period", nargs="?", metavar="PERIOD", help=period_help)
    withdraw.add_argument("--every", choices=["weekly", "semi-monthly", "monthly"], help=every_help)
    approvals = verb("approvals", "your submitted periods, or (--pending) others' to decide on")
    approvals.add_argument(
        "--pending", action="store_true", help="the periods waiting for your decision"
    )
    approve = verb("approve", "approve someone's submitted period")
    approve.add_argument("id", metavar="ID", help="the request's id (its start is enough)")
    approve.add_argument("--note", metavar="TEXT", help="a note for them")
    reject = verb("reject", "send a submitted period back with a note saying what to fix")
    reject.add_argument("id", metavar="ID", help="the request's id (its start is enough)")
    reject.add_argument("--note", metavar="TEXT", help="what to fix (required)")


def _week_verbs(verb: Verb) -> None:
    week = verb(
        "week",
        "the week as a timesheet: rows of project/task, a column per day",
        usage="tracker week [WEEK] | week set ROW DAY DURATION | week copy [WEEK]",
    )
    week.add_argument(
        "words",
        nargs="*",
        metavar="WEEK",
        help="this, last, -1, 2026-W49 or a day in it; `set 2 tue 1h30` types in a cell "
        "(0 clears it); `copy` copies last week's entries",
    )


def _admin_verbs(verb: Verb, only: str | None) -> None:
    """``tracker admin AREA ...``: each area adds its sub-commands (its module is imported
    only when ``admin`` is the verb, or for the full help)."""
    admin = verb("admin", "workspace administration on Clockify (owners, admins, managers)")
    if only not in (None, "admin"):
        return
    from tracker.cli.admin_verbs import arguments  # noqa: PLC0415 - areas load on use

    arguments(admin, CommandParser)


def _invoice_verbs(verb: Verb, only: str | None) -> None:
    """``tracker invoice ACTION ...`` (its module is imported only when ``invoice`` is the
    verb, or for the full help)."""
    invoice = verb("invoice", "invoices from tracked time on Clockify (owners, admins)")
    if only not in (None, "invoice"):
        return
    from tracker.cli.invoice_verbs import arguments  # noqa: PLC0415 - loads on use

    arguments(invoice, CommandParser)


def _audit_verbs(verb: Verb, only: str | None) -> None:
    """``tracker audit``: the workspace's audit log (its module is imported only when
    ``audit`` is the verb, or for the full help)."""
    audit = verb("audit", "who changed what in the workspace, and when (owners and admins)")
    if only not in (None, "audit"):
        return
    from tracker.cli.audit_verbs import arguments  # noqa: PLC0415 - loads on use

    arguments(audit)


def _webhook_verbs(verb: Verb, only: str | None) -> None:
    """``tracker webhooks``: Clockify's webhooks (a desktop app cannot receive them; the help
    says so and points to local hooks and ``tracker events``)."""
    hooks = verb(
        "webhooks",
        "Clockify's webhooks to a server (owners, admins); this app cannot receive them",
    )
    if only not in (None, "webhooks"):
        return
    from tracker.cli.webhooks_verbs import arguments  # noqa: PLC0415 - loads on use

    arguments(hooks)
