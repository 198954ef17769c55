"""Projects as an administrator sees and changes them: members with their own rates, time
and budget estimates, templates, tasks with estimates and rates, custom-field definitions
and a project's own settings of them.

The timer's smaller models (``catalog.Project``, ``catalog.Task``) stay as they are: sync
validates thousands of them and needs none of this.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from tracker.api.models.account import Rate
from tracker.api.models.base import (
    IsoDuration,
    LenientText,
    NullableList,
    RequestModel,
    WireId,
    WireModel,
)

__all__ = [
    "BudgetEstimate",
    "BudgetEstimateWrite",
    "EstimateChange",
    "FieldCreate",
    "FieldDefinition",
    "FieldUpdate",
    "FromTemplate",
    "MemberRates",
    "MembersChange",
    "MembershipsReplace",
    "ProjectDefault",
    "ProjectFieldChange",
    "ProjectMembership",
    "ProjectRecord",
    "RateWrite",
    "ResetOff",
    "TaskRecord",
    "TaskWrite",
    "TemplateFlag",
    "TimeEstimate",
    "TimeEstimateWrite",
]


def _none_to_empty(value: Any) -> Any:
    return [] if value is None else value


Period = Literal["WEEKLY", "MONTHLY", "YEARLY"]
EstimateKind = Literal["AUTO", "MANUAL"]
FieldType = Literal["TXT", "NUMBER", "DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE", "CHECKBOX", "LINK"]
FieldStatus = Literal["INACTIVE", "VISIBLE", "INVISIBLE"]


# --- what Clockify sends -------------------------------------------------------------------


class ProjectMembership(WireModel):
    """A member of a project with the rates set for them on it (None: not set here)."""

    user_id: str = ""
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    membership_status: LenientText = None


class TimeEstimate(WireModel):
    """``timeEstimate``: ``MANUAL`` is the project's own, ``AUTO`` its tasks' sum."""

    estimate: IsoDuration | None = None
    type: LenientText = None
    reset_option: LenientText = None
    active: bool | None = None
    include_non_billable: bool | None = None


class BudgetEstimate(WireModel):
    """``budgetEstimate``: an amount in cents."""

    estimate: int | None = None
    type: LenientText = None
    reset_option: LenientText = None
    active: bool | None = None
    include_expenses: bool | None = None


class TaskRecord(WireModel):
    """A task with what an administrator changes on it."""

    id: WireId
    name: str = ""
    project_id: str | None = None
    status: LenientText = None
    estimate: IsoDuration | None = None
    duration: IsoDuration | None = None
    budget_estimate: int | None = None
    billable: bool | None = None
    assignee_ids: NullableList = Field(default_factory=list)
    user_group_ids: NullableList = Field(default_factory=list)
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None


class ProjectRecord(WireModel):
    """A project with members, rates and estimates (``hydrated`` adds its tasks)."""

    id: WireId
    name: str = ""
    client_id: str | None = None
    client_name: str | None = None
    color: str | None = None
    billable: bool = False
    archived: bool = False
    public: bool | None = None
    template: bool | None = None
    note: str | None = None
    duration: IsoDuration | None = None
    hourly_rate: Rate | None = None
    cost_rate: Rate | None = None
    memberships: Annotated[list[ProjectMembership], BeforeValidator(_none_to_empty)] = Field(
        default_factory=list
    )
    time_estimate: TimeEstimate | None = None
    budget_estimate: BudgetEstimate | None = None
    tasks: list[TaskRecord] | None = None


class ProjectDefault(WireModel):
    """A project's own default value and visibility of a custom field."""

    project_id: str = ""
    value: Any = None
    status: LenientText = None


class FieldDefinition(WireModel):
    """A custom field with every project's own setting of it."""

    id: WireId
    name: str = ""
    type: LenientText = None
    entity_type: LenientText = None
    status: LenientText = None
    required: bool = False
    allowed_values: NullableList = Field(default_factory=list)
    placeholder: str | None = None
    description: str | None = None
    only_admin_can_edit: bool | None = None
    workspace_default_value: Any = None
    project_default_values: list[ProjectDefault] = Field(default_factory=list)


# --- what is sent --------------------------------------------------------------------------


class RateWrite(RequestModel):
    """``HourlyRateRequestV1`` / ``CostRateRequestV1``: cents."""

    amount: int = Field(ge=0)


class MemberRates(RequestModel):
    """``UserIdWithRatesRequest``: a member and their rates on the project."""

    user_id: str
    hourly_rate: RateWrite | None = None
    cost_rate: RateWrite | None = None


class MembershipsReplace(RequestModel):
    """``PATCH /projects/{id}/memberships``: the project's whole member list."""

    memberships: list[MemberRates]


class MembersChange(RequestModel):
    """``POST /projects/{id}/memberships``: add (or, with ``remove``, take off) people."""

    user_ids: list[str]
    remove: bool | None = None


class TimeEstimateWrite(RequestModel):
    """``TimeEstimateRequest``."""

    estimate: str | None = None
    type: EstimateKind | None = None
    reset_option: Period | None = None
    active: bool | None = None
    include_non_billable: bool | None = None


class BudgetEstimateWrite(RequestModel):
    """``EstimateWithOptionsRequest``: cents."""

    estimate: int | None = Field(default=None, ge=0)
    type: EstimateKind | None = None
    reset_option: Period | None = None
    active: bool | None = None
    include_expenses: bool | None = None


class ResetOff(RequestModel):
    """``EstimateResetRequest`` with ``active: false``: the estimates no longer reset."""

    active: bool = False


class EstimateChange(RequestModel):
    """``PATCH /projects/{id}/estimate``; a part left out is not changed. A reset is set
    with a part's ``resetOption`` and turned off with ``estimateReset`` (the spec allows no
    ``null`` option)."""

    time_estimate: TimeEstimateWrite | None = None
    budget_estimate: BudgetEstimateWrite | None = None
    estimate_reset: ResetOff | None = None


class TemplateFlag(RequestModel):
    """``PATCH /projects/{id}/template``."""

    is_template: bool


class FromTemplate(RequestModel):
    """``POST /projects/from-template``."""

    name: str = Field(min_length=2, max_length=250)
    template_project_id: str
    client_id: str | None = None
    color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    is_public: bool | None = None


class TaskWrite(RequestModel):
    """``TaskRequestV1`` / ``UpdateTaskRequest``: ``name`` always (the update is a replace
    of what it names)."""

    name: str = Field(min_length=1, max_length=1000)
    assignee_ids: list[str] | None = None
    estimate: str | None = None
    budget_estimate: int | None = Field(default=None, ge=0)
    status: Literal["ACTIVE", "DONE"] | None = None
    billable: bool | None = None


class FieldCreate(RequestModel):
    """``CustomFieldRequestV1``."""

    name: str = Field(min_length=1, max_length=250)
    type: FieldType
    entity_type: Literal["TIMEENTRY", "USER"] | None = None
    allowed_values: list[str] | None = None
    status: FieldStatus | None = None
    placeholder: str | None = None
    description: str | None = None
    only_admin_can_edit: bool | None = None
    workspace_default_value: Any = None


class FieldUpdate(RequestModel):
    """``UpdateCustomFieldRequestV1``: a replace, built from the whole field."""

    name: str = Field(min_length=1, max_length=250)
    type: FieldType
    allowed_values: list[str] | None = None
    status: FieldStatus | None = None
    placeholder: str | None = None
    description: str | None = None
    only_admin_can_edit: bool | None = None
    required: bool | None = None
    workspace_default_value: Any = None


class ProjectFieldChange(RequestModel):
    """``CustomFieldProjectDefaultValuesRequest``: a project's own default and visibility."""

    default_value: Any = None
    status: FieldStatus | None = None
