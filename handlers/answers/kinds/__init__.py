"""Every kind of question the bot answers: one module each, registering its cue table.

A new kind is a new module here (a `Kind` with its cues and its answer function) plus its
import below; see handlers/understanding/kinds.py for how the tables are read and scored.
"""

from handlers.answers.kinds import (  # noqa: F401  (each module registers its kind)
    agenda,
    anslag,
    budget,
    compare,
    grant,
    grant_list,
    justering,
    meeting,
    members,
    officers,
    paragraph,
    people,
    record,
    why,
)
