"""Who may import programmes: admins and CIOs anything, programme managers only what they manage."""

from __future__ import annotations

import pytest

from tests.unit.test_policy import ADMIN, CIO, ON_TEAM, PM, SOMEONE_ELSES, THEIRS, VIEWER, Team
from tracker.policy import Action, can


@pytest.mark.parametrize(
    ("user", "programme", "allowed"),
    [
        (ADMIN, None, True),
        (ADMIN, SOMEONE_ELSES, True),
        (CIO, SOMEONE_ELSES, True),
        (PM, None, True),  # may open the wizard
        (PM, THEIRS, True),
        (PM, Team(manager_id=None), False),  # a new programme nobody manages
        (PM, ON_TEAM, False),  # on the team is not managing it
        (PM, SOMEONE_ELSES, False),
        (VIEWER, None, False),
        (VIEWER, THEIRS, False),
        (None, None, False),
    ],
)
def test_import_programmes(user, programme, allowed: bool) -> None:
    assert can(user, Action.IMPORT_PROGRAMMES, programme) is allowed
