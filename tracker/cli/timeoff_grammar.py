"""The command line's grammar for time off and holidays: ``tracker timeoff`` (balances,
requests, decisions, policies) and ``tracker holidays``, the largest verbs after ``admin``.

:func:`tracker.cli.parser.build_parser` calls :func:`timeoff_arguments` with its own parser
class, as the administration and invoice verbs' ``arguments`` are called.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["timeoff_arguments"]

Verb = Callable[..., argparse.ArgumentParser]
"""Adds a verb's parser to the command line: ``verb(name, help_text)``."""


def _json_flag(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    flag = parser_class(add_help=False)
    flag.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    return flag


def timeoff_arguments(verb: Verb, parser_class: type[argparse.ArgumentParser]) -> None:
    """``tracker timeoff ACTION`` and ``tracker holidays [add|edit|delete]``; ``verb`` adds a
    verb's parser, ``parser_class`` is the command line's parser class (for sub-commands)."""
    common = [_json_flag(parser_class)]
    timeoff = verb("timeoff", "time-off balances, requests, approvals and policies (Clockify)")
    actions = timeoff.add_subparsers(dest="action", metavar="ACTION", parser_class=parser_class)
    balance = actions.add_parser("balance", help="what is left per policy", parents=common)
    balance.add_argument("--refresh", action="store_true", help="ask Clockify again now")
    balance.add_argument(
        "--change",
        type=float,
        metavar="N",
        help="admins: add N days or hours to a balance (negative takes away); needs --policy",
    )
    balance.add_argument("--policy", metavar="POLICY", help="the policy whose balance changes")
    balance.add_argument("--person", metavar="NAME", help="whose balance (default: yours)")
    balance.add_argument("--note", metavar="TEXT", help="why the balance changes")
    listing = actions.add_parser("list", help="your requests", parents=common)
    listing.add_argument("--team", action="store_true", help="requests you may approve")
    listing.add_argument(
        "--status", choices=["pending", "approved", "rejected", "all"], default="all"
    )
    listing.add_argument("--refresh", action="store_true", help="ask Clockify again now")
    request = actions.add_parser("request", help="ask for time off", parents=common)
    request.add_argument("policy", metavar="POLICY", help="the policy's name (or a part) or id")
    request.add_argument("first", metavar="FROM", help="first day (today, mon, 2026-12-07)")
    request.add_argument("last", metavar="TO", nargs="?", help="last day (FROM)")
    request.add_argument("--half-day", action="store_true", help="half of one day")
    request.add_argument("--hours", type=float, metavar="H", help="H hours on one day")
    request.add_argument("--note", metavar="TEXT", help="a note for the approver")
    withdraw = actions.add_parser("withdraw", help="withdraw your request", parents=common)
    withdraw.add_argument("id", metavar="ID", help="the request's id (as `list` shows it)")
    for name, text in (("approve", "approve a request"), ("reject", "reject a request")):
        decide = actions.add_parser(name, help=text, parents=common)
        decide.add_argument("id", metavar="ID", help="the request's id (`list --team`)")
        decide.add_argument("--note", metavar="TEXT", help="why (needed to reject)")
    policies = actions.add_parser("policies", help="list or manage policies", parents=common)
    policies.add_argument("--refresh", action="store_true", help="ask Clockify again now")
    _policy_ops(policies, common, parser_class)
    _holiday_verbs(verb, common, parser_class)


def _policy_ops(
    policies: argparse.ArgumentParser,
    common: list[argparse.ArgumentParser],
    parser_class: type[argparse.ArgumentParser],
) -> None:
    ops = policies.add_subparsers(dest="op", metavar="OP", parser_class=parser_class)
    add = ops.add_parser("add", help="create a policy (admins)", parents=common)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--hours", action="store_true", help="counted in hours (else days)")
    add.add_argument("--half-day", action="store_true", help="allow half days")
    add.add_argument("--no-approval", action="store_true", help="approved at once")
    add.add_argument("--negative", action="store_true", help="allow a negative balance")
    edit = ops.add_parser("edit", help="change a policy (admins)", parents=common)
    edit.add_argument("policy", metavar="POLICY")
    edit.add_argument("--name", metavar="NAME")
    edit.add_argument("--half-day", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument("--negative", action=argparse.BooleanOptionalAction, default=None)
    archive = ops.add_parser("archive", help="archive a policy (admins)", parents=common)
    archive.add_argument("policy", metavar="POLICY")
    archive.add_argument("--restore", action="store_true", help="make it active again")


def _holiday_verbs(
    verb: Verb,
    common: list[argparse.ArgumentParser],
    parser_class: type[argparse.ArgumentParser],
) -> None:
    holidays = verb("holidays", "your holidays (Clockify); admins add, edit, delete")
    holidays.add_argument("--from", dest="since", metavar="DAY", help="first day")
    holidays.add_argument("--to", metavar="DAY", help="last day")
    holidays.add_argument("--refresh", action="store_true", help="ask Clockify again now")
    hops = holidays.add_subparsers(dest="op", metavar="OP", parser_class=parser_class)
    hadd = hops.add_parser("add", help="add a holiday for everyone (admins)", parents=common)
    hadd.add_argument("name", metavar="NAME")
    hadd.add_argument("first", metavar="FROM")
    hadd.add_argument("last", metavar="TO", nargs="?")
    hadd.add_argument("--annual", action="store_true", help="every year on these dates")
    hedit = hops.add_parser("edit", help="change a holiday (admins)", parents=common)
    hedit.add_argument("id", metavar="ID")
    hedit.add_argument("--name", metavar="NAME")
    hedit.add_argument("--from", dest="first", metavar="DAY")
    hedit.add_argument("--to", dest="last", metavar="DAY")
    hedit.add_argument("--annual", action=argparse.BooleanOptionalAction, default=None)
    hdelete = hops.add_parser("delete", help="delete a holiday (admins)", parents=common)
    hdelete.add_argument("id", metavar="ID")
