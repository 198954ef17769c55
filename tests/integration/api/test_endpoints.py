"""Every endpoint of the client against the Clockify test server, over loopback."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tracker.api import BadRequestError, ClockifyClient, NotFoundError
from tracker.api.models import (
    ClientCreate,
    EntryCreate,
    EntryUpdate,
    EntryUpdateWithId,
    ProjectCreate,
    ProjectUpdate,
    TaskCreate,
    TaskUpdate,
    UsersFilter,
)

from .conftest import run

NOW = datetime.now(UTC).replace(microsecond=0)


async def _ids(api: ClockifyClient) -> tuple[str, str]:
    user = await api.user.current()
    assert user.default_workspace or user.active_workspace
    return user.id, user.active_workspace or user.default_workspace or ""


def test_user_and_workspaces(make_client: Any, clockify: Any) -> None:
    async def scenario() -> None:
        async with make_client() as api:
            user = await api.user.current()
            assert user.id == clockify.user_id
            assert user.settings is not None
            assert user.settings.time_zone == "Europe/Berlin"
            workspaces = await api.workspaces.list()
            assert len(workspaces) == 2
            ws = await api.workspaces.get(clockify.workspace_id)
            assert ws.id == clockify.workspace_id
            assert ws.workspace_settings.force_projects is False

    run(scenario())


def test_workspace_users_list_and_search(make_client: Any, clockify: Any) -> None:
    async def scenario() -> None:
        async with make_client() as api:
            me = await api.user.current()
            members = [u async for u in api.users.list(clockify.workspace_id)]
            assert me.id in {u.id for u in members}
            assert me.email
            by_email = [u async for u in api.users.list(clockify.workspace_id, email=me.email)]
            assert [u.id for u in by_email] == [me.id]
            found = await api.users.search(
                clockify.workspace_id, UsersFilter(email=me.email, page=1, page_size=10)
            )
            assert [u.id for u in found] == [me.id]
            profile = await api.users.profile(clockify.workspace_id, me.id)
            assert profile.work_capacity == timedelta(hours=8)
            assert profile.working_days[0] == "MONDAY"

    run(scenario())


def test_projects_lifecycle_and_archived_filter(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            everything = [p async for p in api.projects.list(ws, page_size=3)]
            active = [p async for p in api.projects.list(ws, archived=False)]
            archived = [p async for p in api.projects.list(ws, archived=True)]
            assert archived, "the demo seed has an archived project"
            assert {p.id for p in everything} == {p.id for p in active} | {p.id for p in archived}
            assert len({p.id for p in everything}) == len(everything)  # pages did not overlap

            client = await api.clients.create(ws, ClientCreate(name="Initech"))
            created = await api.projects.create(
                ws, ProjectCreate(name="Migration", client_id=client.id, color="#3366ff")
            )
            assert created.client_id == client.id
            fetched = await api.projects.get(ws, created.id)
            assert fetched.name == "Migration"
            renamed = await api.projects.update(ws, created.id, ProjectUpdate(name="Migration 2"))
            assert renamed.name == "Migration 2"
            by_name = [p async for p in api.projects.list(ws, name="Migration 2")]
            assert [p.id for p in by_name] == [created.id]
            with pytest.raises(BadRequestError):
                await api.projects.delete(ws, created.id)  # must be archived first
            assert (await api.projects.archive(ws, created.id)).archived
            await api.projects.delete(ws, created.id)
            with pytest.raises(NotFoundError):
                await api.projects.get(ws, created.id)

    run(scenario())


def test_tasks_lifecycle(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            project = await api.projects.create(ws, ProjectCreate(name="Tasks home"))
            task = await api.tasks.create(
                ws, project.id, TaskCreate(name="Design", estimate="PT2H")
            )
            assert task.estimate == timedelta(hours=2)
            assert (await api.tasks.get(ws, project.id, task.id)).name == "Design"
            updated = await api.tasks.update(ws, project.id, task.id, TaskUpdate(name="Design v2"))
            assert updated.name == "Design v2"
            listed = [t async for t in api.tasks.list(ws, project.id, is_active=True)]
            assert [t.id for t in listed] == [task.id]
            with pytest.raises(BadRequestError):
                await api.tasks.delete(ws, project.id, task.id)  # must be done first
            done = await api.tasks.archive(ws, project.id, updated)
            assert not done.active
            assert [t async for t in api.tasks.list(ws, project.id, is_active=True)] == []
            await api.tasks.delete(ws, project.id, task.id)

    run(scenario())


def test_clients_and_tags_lifecycle(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            client = await api.clients.create(ws, ClientCreate(name="Globex", note="n"))
            assert (await api.clients.get(ws, client.id)).note == "n"
            archived = await api.clients.archive(ws, client)
            assert archived.archived
            assert archived.note == "n"  # the replace kept the other fields
            assert client.id in {c.id async for c in api.clients.list(ws, archived=True)}
            await api.clients.delete(ws, client.id)

            tag = await api.tags.create(ws, "urgent")
            assert (await api.tags.get(ws, tag.id)).name == "urgent"
            hidden = await api.tags.archive(ws, tag)
            assert hidden.archived
            assert tag.id not in {t.id async for t in api.tags.list(ws, archived=False)}
            assert tag.id in {t.id async for t in api.tags.list(ws, archived=True)}
            await api.tags.delete(ws, tag.id)
            with pytest.raises(NotFoundError):
                await api.tags.get(ws, tag.id)

    run(scenario())


def test_custom_fields(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            fields = await api.custom_fields.list(ws)
            assert fields
            assert not any(f.required for f in fields)
            project = [p async for p in api.projects.list(ws, archived=False)][0]
            assert isinstance(await api.custom_fields.of_project(ws, project.id), list)

    run(scenario())


def test_timer_start_switch_stop(make_client: Any, clockify: Any) -> None:
    ws, uid = clockify.workspace_id, clockify.user_id

    async def scenario() -> None:
        async with make_client() as api:
            assert await api.time_entries.running(ws, uid) is None
            assert await api.time_entries.stop(ws, uid, NOW) is None  # 404 means nothing ran
            first = await api.time_entries.start(
                ws, EntryCreate(start=NOW - timedelta(hours=1), description="first")
            )
            assert first.running
            second = await api.time_entries.start(
                ws, EntryCreate(start=NOW - timedelta(minutes=10), description="second")
            )
            running = await api.time_entries.running(ws, uid)
            assert running is not None
            assert running.id == second.id
            stopped_first = await api.time_entries.get(ws, first.id)
            assert stopped_first.end == NOW - timedelta(minutes=10)  # one running timer per user
            in_ws = [e async for e in api.time_entries.running_in_workspace(ws)]
            assert [e.id for e in in_ws] == [second.id]
            stopped = await api.time_entries.stop(ws, uid, NOW)
            assert stopped is not None
            assert stopped.id == second.id
            assert stopped.time_interval.duration == timedelta(minutes=10)
            assert await api.time_entries.running(ws, uid) is None

    run(scenario())


def test_update_is_a_full_replace_and_delete(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            project = [p async for p in api.projects.list(ws, archived=False)][0]
            tag = [t async for t in api.tags.list(ws, archived=False)][0]
            entry = await api.time_entries.create(
                ws,
                EntryCreate(
                    start=NOW - timedelta(hours=3),
                    end=NOW - timedelta(hours=2),
                    description="report",
                    project_id=project.id,
                    tag_ids=[tag.id],
                    billable=True,
                ),
            )
            assert entry.project_id == project.id
            assert entry.tag_ids == [tag.id]
            replaced = await api.time_entries.update(
                ws, entry.id, EntryUpdate(start=entry.start, end=entry.end, description="report")
            )
            assert replaced.project_id is None  # what was left out is cleared
            assert replaced.tag_ids == []
            assert replaced.billable is False
            await api.time_entries.delete(ws, entry.id)
            with pytest.raises(NotFoundError, match="deleted"):
                await api.time_entries.get(ws, entry.id)
            with pytest.raises(NotFoundError):
                await api.time_entries.update(ws, entry.id, EntryUpdate(start=entry.start))

    run(scenario())


def test_bulk_edit_bulk_delete_duplicate_and_create_for(make_client: Any, clockify: Any) -> None:
    ws, uid = clockify.workspace_id, clockify.user_id

    async def scenario() -> None:
        async with make_client() as api:
            made = [
                await api.time_entries.create(
                    ws,
                    EntryCreate(
                        start=NOW - timedelta(hours=10 - i),
                        end=NOW - timedelta(hours=9 - i, minutes=30),
                        description=f"bulk {i}",
                    ),
                )
                for i in range(3)
            ]
            edited = await api.time_entries.bulk_update(
                ws,
                uid,
                [
                    EntryUpdateWithId(id=e.id, start=e.start, end=e.end, description="edited")
                    for e in made
                ],
            )
            assert {e.description for e in edited} == {"edited"}
            copy = await api.time_entries.duplicate(ws, uid, made[0].id)
            assert copy.id != made[0].id
            assert copy.description == "edited"
            other = await api.time_entries.create_for(
                ws,
                uid,
                EntryCreate(start=NOW - timedelta(hours=12), end=NOW - timedelta(hours=11)),
            )
            deleted = await api.time_entries.bulk_delete(
                ws, uid, [e.id for e in made] + [copy.id, other.id]
            )
            assert {e.id for e in deleted} == {e.id for e in made} | {copy.id, other.id}
            assert await api.time_entries.bulk_delete(ws, uid, []) == []

    run(scenario())


def test_entries_page_by_page_newest_first(make_client: Any, clockify: Any) -> None:
    ws, uid = clockify.workspace_id, clockify.user_id

    async def scenario() -> None:
        async with make_client() as api:
            pages = [p async for p in api.time_entries.list_pages(ws, uid, page_size=7)]
            assert len(pages) > 2
            assert all(len(p) == 7 for p in pages[:-1])
            starts = [e.start for page in pages for e in page]
            assert starts == sorted(starts, reverse=True)
            assert len({e.id for page in pages for e in page}) == len(starts)
            page_requests = [
                x for x in clockify.exchanges if x.path.endswith(f"/user/{uid}/time-entries")
            ]
            assert len(page_requests) == len(pages)  # stopped on Last-Page, not one more

    run(scenario())


def test_date_filters_are_read_in_the_profile_time_zone(make_client: Any, clockify: Any) -> None:
    """Clockify reads the filter's Z times as Europe/Berlin wall clock (FACTS §4)."""
    ws, uid = clockify.workspace_id, clockify.user_id
    day = (NOW - timedelta(days=40)).replace(hour=0, minute=0, second=0)

    async def scenario() -> None:
        async with make_client() as api:
            # 23:30 UTC is already the next day in Berlin (UTC+1 or +2).
            late = await api.time_entries.create(
                ws,
                EntryCreate(
                    start=day.replace(hour=23, minute=30),
                    end=day.replace(hour=23, minute=45),
                    description="late",
                ),
            )
            next_day = day + timedelta(days=1)
            wall_window = [
                e
                async for e in api.time_entries.list(
                    ws, uid, start=next_day, end=next_day + timedelta(days=1)
                )
            ]
            assert late.id in {e.id for e in wall_window}
            same_utc_day = [
                e async for e in api.time_entries.list(ws, uid, start=day, end=next_day)
            ]
            assert late.id not in {e.id for e in same_utc_day}

    run(scenario())


def test_a_deleted_project_on_an_entry_is_a_validation_error(
    make_client: Any, clockify: Any
) -> None:
    """Only the addressed item counts as gone; a reference to a deleted one is a 400."""
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with make_client() as api:
            project = await api.projects.create(ws, ProjectCreate(name="Short lived"))
            entry = await api.time_entries.create(
                ws,
                EntryCreate(start=NOW - timedelta(hours=1), end=NOW, project_id=project.id),
            )
            await api.projects.archive(ws, project.id)
            await api.projects.delete(ws, project.id)
            with pytest.raises(BadRequestError) as caught:
                await api.time_entries.update(
                    ws,
                    entry.id,
                    EntryUpdate(start=entry.start, end=entry.end, project_id=project.id),
                )
            assert not isinstance(caught.value, NotFoundError)
            assert "Project" in caught.value.message

    run(scenario())


def test_force_settings_reject_incomplete_entries(make_client: Any, clockify: Any) -> None:
    ws = clockify.workspace_id
    clockify.set_force(ws, projects=True)

    async def scenario() -> None:
        async with make_client() as api:
            with pytest.raises(BadRequestError) as caught:
                await api.time_entries.start(ws, EntryCreate(start=NOW, description="no project"))
            assert caught.value.code == 501
            assert caught.value.server_message
            assert "Project" in caught.value.message
            assert await api.time_entries.running(ws, clockify.user_id) is None

    run(scenario())
