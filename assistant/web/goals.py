"""One goal's page: its KPIs against target and every value they took (imports, edits, meetings)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.kpi_readings import kpi_history
from assistant.web.common import render

router = APIRouter(include_in_schema=False)


@router.get("/app/goals/{goal_id}", response_class=HTMLResponse)
def goal_page(request: Request, goal_id: str, liaison: LiaisonDep, user: CurrentUser):
    goal = liaison.goal(goal_id)  # GoalNotFound: the 404 page
    readings = kpi_history(liaison, goal_id)
    by_kpi = {k.name: [r for r in readings if r.kpi == k.name][::-1] for k in goal.kpis}
    return render(request, "goal.html", goal=goal, by_kpi=by_kpi)
