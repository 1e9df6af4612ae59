"""A budget, forecast (prognos), outcome (utfall) or plan figure of a line, and member
contributions. Asked of a budget line or member the question names."""

from __future__ import annotations

from handlers.answers import budget
from handlers.answers.core import Question
from handlers.messages import Reply
from handlers.understanding.kinds import Kind, register

CUES = {
    "budget": (1.0, ("budget", "budgeter", "budgeted")),
    "prognos": (1.0, ("prognos", "forecast", "beräkna", "expected", "väntas", "estimated")),
    "utfall": (1.0, ("utfall", "outcome", "actual", "bokför", "hittills", "so far", "to date")),
    "plan": (0.8, ("plan=", "planen=", "planerat", "enligt plan")),
    "cost": (0.9, ("kostar", "kostnad", "cost", "spend", "utgift", "expens", "lägger", "går åt")),
    "income": (0.9, ("intäkt", "income", "revenue", "betalar", "pays", "pay=", "bidrag", "contribut", "tilldel",
                     "allocat", "statliga medel", "state funding", "medel")),
    "result": (0.9, ("resultat", "result", "överskott", "underskott", "surplus", "deficit", "kapital", "equity")),
    "amount": (0.4, ("hur mycket", "how much", "belopp", "amount", "summa", "what is", "vad är")),
}


def answer(q: Question) -> Reply | None:
    return budget.answer(q)


KIND = register(Kind(name="budget", label_sv="en budgetpost", label_en="a budget line", cues=CUES, answer=answer,
                     entities=("budget_line",), entity_weight=0.8, order=2))
