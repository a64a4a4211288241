"""Whatever is posted to the programme forms (odd unicode, huge numbers, missing or extra date parts),
the answer is the form again or a redirect, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import csrf_token_from
from tests.web.programme_data import add_programme
from tracker.models import Role

text = st.text(max_size=300)
number = st.integers(min_value=-(10**30), max_value=10**30).map(str)
date_parts = st.lists(st.one_of(st.just(""), st.text(max_size=12), number), max_size=4)


def answer(*values: str) -> st.SearchStrategy[str]:
    """Sometimes a value the form offers, so saves get through too; otherwise anything at all."""
    return st.one_of(st.sampled_from(values), text, number)


key_facts = st.fixed_dictionaries(
    {
        "name": text,
        "description": text,
        "directorate": text,
        "strategic_objective": text,
        "focus": answer("service_improvement", "cost_reduction", "both"),
        "confidence": answer("", "green", "amber", "red"),
        "confidence_commentary": text,
        "change_plan": text,
        "adoption_owner": text,
        "start_date": date_parts,
        "baseline_end_date": date_parts,
        "forecast_end_date": date_parts,
    }
)
version = st.one_of(number, text)
random_input = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def admin(auth) -> None:
    """An admin, who may use every form, and a programme to use them on."""
    auth.sign_in_as(Role.ADMIN)
    add_programme()


def post(client, path: str, data: dict[str, object]) -> int:
    token = csrf_token_from(client.get(path))
    return client.post(path, data={**data, "csrf_token": token}).status_code


@random_input
@given(
    facts=key_facts,
    code=st.one_of(st.from_regex(r"[A-Z]{2,6}-[0-9]{1,4}", fullmatch=True), text),
    stage=answer("idea", "business_case", "delivery", "closing", "closed"),
    sro_name=text,
    manager_id=st.one_of(st.just(""), number, text),
)
def test_random_input_to_the_create_form_never_causes_a_server_error(
    client, admin, facts: dict[str, object], code: str, stage: str, sro_name: str, manager_id: str
) -> None:
    data = {**facts, "code": code, "stage": stage, "sro_name": sro_name, "manager_id": manager_id}
    assert post(client, "/programmes/new", data) in (200, 302)


@random_input
@given(facts=key_facts, version=version)
def test_random_input_to_the_edit_form_never_causes_a_server_error(
    client, admin, facts: dict[str, object], version: str
) -> None:
    assert post(client, "/programmes/DIG-001/edit", {**facts, "version": version}) in (200, 302)


@random_input
@given(
    sro_name=text,
    manager_id=st.one_of(st.just(""), number, text),
    members=st.lists(st.one_of(number, text), max_size=4),
    version=version,
)
def test_random_input_to_the_team_form_never_causes_a_server_error(
    client, admin, sro_name: str, manager_id: str, members: list[str], version: str
) -> None:
    data = {"sro_name": sro_name, "manager_id": manager_id, "members": members, "version": version}
    assert post(client, "/programmes/DIG-001/team", data) in (200, 302)


@random_input
@given(
    change=answer("move", "pause", "resume", "close", "reopen"),
    stage=answer("", "idea", "business_case", "delivery", "closing", "closed"),
    reason=text,
    version=version,
    confirm=answer("yes", ""),
)
def test_random_input_to_the_stage_form_never_causes_a_server_error(
    client, admin, change: str, stage: str, reason: str, version: str, confirm: str
) -> None:
    data = {"change": change, "stage": stage, "reason": reason, "version": version, "confirm": confirm}
    assert post(client, "/programmes/DIG-001/stage", data) in (200, 302)
