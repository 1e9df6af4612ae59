"""Facts the documents state in prose rather than in a table or a decision: how many took part,
what share went on to work, what something costs ("en halvtidspsykolog uppgår till cirka 300 -
350 tkr"). Asked when no kind of question found the answer.

One mechanism over the data below: the question asks for a value of one type (a count, a share,
an amount, by its cue words); a sentence of the förbund's documents answers only when it holds a
value of that type, every topic word of the question (in the sentence or the one before it; the
name of the thing it is about may stand in the heading of its section or the title of its §), and,
for a count, the counted thing right beside the number ("49 deltagare", "131 individer"). Every
number the question names must stand there too. A sentence with another number than the one asked
is about something else, so anything less is no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import col, select

from handlers.answers import guard
from handlers.answers.core import Question, passage_source, source_for
from handlers.answers.dates import expand_short_forms
from handlers.answers.guard import missing_numbers
from handlers.answers.passages import (
    FILLER,
    _covered,
    _haystack,
    _sentences,
    _topic_pairs,
    core_terms,
    english_counterparts,
    root,
)
from handlers.answers.text import fold
from handlers.messages import Reply, Source
from handlers.understanding.kinds import Kind, Reading
from storage.models import Document, Paragraph

# The type of value a question asks, by its cue words (Swedish and English, folded as the kinds'
# cues are); the first type whose cue the question holds is the one asked ("hur många procent" is
# a share, not a count).
VALUE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("share", ("hur stor andel", "hur stor del", "hur stor procent", "andel", "andelen", "hur många procent",
               "hur manga procent", "procent", "procentandel", "what share", "what percentage", "what proportion",
               "which share", "how many percent", "percentage", "proportion", "how large a share", "what part of",
               "what portion", "share of", "how big a share", "how big a part", "how large a part", "how big a portion",
               "what fraction",
               # How much of someone's working time ("how much of the förbundschef's time does X buy").
               "s time", "of the time", "of his time", "of her time", "of their time", "s post", "of the post",
               "s position", "of the position", "s job", "of the job", "av tjänsten", "av hans tjänst",
               "av hennes tjänst")),
    # A post's share of full time ("är förbundschefen på heltid?", "full time or part time").
    ("share", ("heltid eller deltid", "hel- eller deltid", "full time or part time", "full-time or part-time",
               "part time", "part-time", "deltid", "hur stor tjänst", "tjänstgöringsgrad")),
    # The period a measurement or a report covers ("Mätperioden för indikatorerna är 191101-201031").
    ("period", ("mätperiod", "mätperioden", "measurement period", "vilken period", "which period", "what period",
                "tidsperiod", "urvalsperiod", "period covered", "period does", "period do")),
    ("count", ("hur många", "hur manga", "antal", "antalet", "how many", "number of")),
    ("amount", ("hur mycket", "hur mkt", "how much", "vad kostar", "va kostar", "kostar", "kosta", "kostnaden",
                "what does it cost", "cost", "costs", "belopp", "beloppet")),
)

# Words that only say what is asked, never what about (folded): the value types' own words.
ASKING = frozenset(fold(w) for w in (
    "hur många manga stor andel andelen del procent procentandel antal antalet mycket mkt kostar kosta kostnaden "
    "kostnad belopp beloppet ungefär ungefar typ cirka circa how many much what share percentage proportion part "
    "portion number mätperiod mätperioden measurement period tidsperiod urvalsperiod cover covers covered heltid deltid full part time tjänstgöringsgrad cost costs would roughly approximately about överhuvudtaget alltså nu typ first second third two tertials took take taken during within since until through throughout between "
    "among around early late beginning per enligt uppföljningen uppföljning rapporten report follow followup according "
    "big large fraction again btw anyway actually really exactly please thanks").split())

# What a count may count in the documents' words, by the question's word (English or a synonym):
# "people" are written "personer", "individer", "deltagare" or "medarbetare".
COUNTED: dict[str, tuple[str, ...]] = {
    "people": ("person", "individ", "deltagar", "medarbetar"), "persons": ("person", "individ", "deltagar"),
    "personer": ("person", "individ", "deltagar"), "folk": ("person", "individ", "deltagar"),
    "participants": ("deltagar",), "attendees": ("deltagar", "person"), "individuals": ("individ",),
    "staff": ("medarbetar", "personal", "anställd"), "employees": ("medarbetar", "anställd"),
    "women": ("kvinn",), "men": ("män",), "months": ("månad",), "weeks": ("veck",), "years": ("år",),
    "patients": ("patient",), "visitors": ("besök", "person"), "students": ("student",),
    "deltog": ("deltagar", "person", "individ", "medarbetar"), "deltagit": ("deltagar", "person", "medarbetar"),
    "var": ("deltagar", "person", "individ", "medarbetar"), "vad": ("deltagar", "person", "individ", "medarbetar"),
    "were": ("deltagar", "person", "individ", "medarbetar"), "took": ("deltagar", "person", "individ", "medarbetar"),
    "attended": ("deltagar", "person", "individ", "medarbetar"),
}
# Words by which a sentence speaks of what the one before it named ("vid dessa tillfällen"): only
# then may the topic's words stand in that sentence rather than beside the value.
BACK_REFERENCES = frozenset(fold(w) for w in (
    "dessa detta denna dem där därav därmed these this those there them such".split()))
# A count's number stands this many words before what it counts ("10 unika deltagare", "15 st").
COUNT_GAP = 3
# The heading a sentence stands under: a short line that is no sentence, this many lines back at most.
HEADING_REACH = 12
HEADING_MAX = 90

_NUMBER = r"\d+(?:[ \u00a0]\d{3})*(?:,\d+)?"
_RANGE = rf"{_NUMBER}(?:\s*[-–]\s*{_NUMBER})?"
VALUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "share": re.compile(rf"{_RANGE}\s*(?:%|procent\b)", re.IGNORECASE),
    "amount": re.compile(rf"{_RANGE}\s*(?:kr\b|kronor\b|tkr\b|mkr\b|milj|miljoner\b|sek\b)", re.IGNORECASE),
    # Two days: "191101-201031", "2019-11-01 – 2020-10-31", "1 november 2019 – 31 oktober 2020".
    "period": re.compile(r"\b\d{6}\s*[-–]\s*\d{6}\b|\b\d{4}-\d\d-\d\d\s*[-–]\s*\d{4}-\d\d-\d\d\b|"
                         r"\b\d{1,2} [a-zåäö]+ \d{4}\s*[-–]\s*\d{1,2} [a-zåäö]+ \d{4}\b", re.IGNORECASE),
    "count": re.compile(rf"(?<![\d,.:/-]){_RANGE}(?![\d,.:/-]|\s*(?:%|procent|kr\b|kronor|tkr|mkr|milj))",
                        re.IGNORECASE),
}
# Words before a number that make it a goal or a bound, not what was done ("Minst 100 medarbetare
# … deltar": a target; "högst 990 000 kr": a ceiling), folded.
BOUNDS = frozenset(fold(w) for w in "minst högst maximalt max maximum minimum mål målet least most".split())
# Words beside a number that make it a difference from another figure, not the figure itself
# ("det blir ca 30 000 kr mindre", "en ökning med 2 mkr", "50 000 kr more than"): such a value
# answers only a question that asks a difference or a change (folded).
RELATIVE_AFTER = frozenset(fold(w) for w in (
    "mindre mer mera lägre högre fler färre billigare dyrare större less more lower higher fewer cheaper "
    "smaller larger bigger").split())
RELATIVE_BEFORE = tuple(tuple(fold(w) for w in phrase.split()) for phrase in (
    "ökning med", "ökningen med", "minskning med", "minskningen med", "ökat med", "ökar med", "ökade med",
    "minskat med", "minskar med", "minskade med", "höjning med", "sänkning med", "höjts med", "sänkts med",
    "skillnad på", "skillnaden på", "differens på", "med ytterligare", "increase of", "increased by",
    "decrease of", "decreased by", "reduced by", "reduction of", "difference of", "an additional"))
# Word starts of an outcome whose amount is asked (folded): granted, paid out, spent, received.
OUTCOME_STEMS = tuple(fold(w) for w in ("bevilj", "utbetal", "betala", "förbruk", "godkänd", "granted", "paid", "spent",
                                        "approv"))
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_WORD = re.compile(r"\w+")


def _no_kind_answer(_q: Question) -> Reply | None:
    return None


# Not registered among the kinds (it never competes for a question): the reading the guard is
# shown for its quotations, which answer in the documents' words.
KIND = Kind(name="stated", label_sv="det som står i handlingarna", label_en="what the documents state",
            cues={**{kind: (1.0, cues) for kind, cues in VALUE_CUES}, "asking": (0.0, tuple(sorted(ASKING)))},
            answer=_no_kind_answer, quotes=True)


def reading(q: Question) -> Reading:
    kind = asked_value(q)
    return Reading(KIND, 1.0, (kind,) if kind else (), cue=1.0)


@dataclass(frozen=True)
class Found:
    quote: str
    source: Source
    values: tuple[str, ...] = ()
    label: str = ""  # the heading that names what the sentence speaks of


def asked_value(q: Question) -> str | None:
    for kind, cues in VALUE_CUES:
        if q.cues.any(cues):
            return kind
    return None


def answer(q: Question) -> Reply | None:
    """The sentence of the documents that states the value asked, quoted with its source; None
    when no sentence holds all of it (the caller's "not found" stands)."""
    kind = asked_value(q)
    if kind is None:
        return None
    counted = _counted(q) if kind == "count" else ()
    if kind == "count" and not counted:
        return None
    # A word naming the förbund says where to look, not what to look for.
    pairs = [(g, w) for g, w in _topic_pairs(q.words, q, set(ASKING))
             if not all(fold(x) in ASKING for x in w.split()) and not q.lexicon.organisations_named([w])]
    if counted:
        pairs = [(g, w) for g, w in pairs if not any(fold(v).startswith(c) for v in g for c in counted)
                 and fold(w) not in COUNTED]
    # An amount is of what the question's every word says ("bidrar", "betalat ut", "totalt"): many
    # sentences hold some amount; a count or a share is pinned down by what it counts.
    terms = [g for g, _w in pairs] if kind == "amount" else core_terms(pairs) if pairs else []
    if not terms:
        return None  # a value with nothing to be the value of
    # A difference, a sum or a largest asked is stated only by a sentence that says it ("30 000 kr
    # mindre"), not by one holding the figures to compute it from.
    # (A bare preposition such as "under 2023" asks none.)
    combining = [guard._combining_cues(q, None, hits) for facet, hits in guard._demanded(q).items()
                 if facet in guard.COMPOSITIONS - {"count", "share"}]
    operations = [tuple(_operation_word(c) for c in hits) for hits in combining if hits]
    found: list[Found] = []
    for doc in q.session.exec(select(Document).where(col(Document.organisation_id).in_(q.organisation_ids),
                                                     col(Document.superseded_at).is_(None))).all():
        found += _in_document(q, doc, kind, counted, terms, operations)
    # A report says the same thing under each of its goals: one value stated many times is one answer.
    by_value: dict[tuple[str, ...], Found] = {}
    for f in found:
        by_value.setdefault(f.values, f)
    found = list(by_value.values())
    quotes = list(dict.fromkeys(f"{f.label}: ”{f.quote}”" if f.label else f"”{f.quote}”" for f in found))
    if not found or len(quotes) > 2:
        return None  # nothing, or too many sentences to be the one asked about
    sources = list(dict.fromkeys(f.source for f in found))
    text = q.t("Så här står det i handlingarna:", "The documents say:") + "\n" + "\n".join(f"• {t}" for t in quotes)
    return Reply(text=text, sources=sources, language=q.language)


def _counted(q: Question) -> tuple[str, ...]:
    """The stems a count's number must stand beside: the word after "hur många" ("deltagare",
    "individer", "people"), as the documents write it."""
    words = [fold(w) for w in q.words]
    for i in range(len(words) - 1):
        if words[i] in ("many", "manga", "många", "antal", "antalet") or (words[i] == "number" and words[i + 1] == "of"):
            j = i + 2 if words[i] == "number" else i + 1
            # "how many of the staff", "hur många av deltagarna": the noun after the preposition.
            while j < len(words) and words[j] in ("of", "the", "av", "de", "st"):
                j += 1
            if j >= len(words):
                return ()
            w = words[j]
            # "hur många sjukskrivna patienter": an adjective (Swedish plural in -a) before what is counted.
            if w.endswith("a") and j + 1 < len(words) and words[j + 1] not in FILLER and len(words[j + 1]) >= 3:
                j += 1
                w = words[j]
            table = COUNTED.get(w) or COUNTED.get(q.words[j].lower())
            if table:
                return table
            original = q.words[j].lower()  # stemmed as written: "månaders" is a "månad"
            forms = {fold(root(original)), *(fold(root(v)) for v in english_counterparts(original))}
            return tuple(f for f in forms if len(f) >= 3)
    return ()


# Units a "hur många" may ask in ("hur många procent"): then it is no count of things.
UNIT_STARTS = ("procent", "percent", "kron", "tkr", "mkr", "kr", "miljon", "million", "sek")
# A number that may count things: not part of a date ("2025-04-30") or a § range.
_COUNT_NUMBER = re.compile(r"(?<![\d.:/-])\d+(?![\d.:/-])")


def states_count(q: Question, text: str) -> bool | None:
    """Whether `text` states a count of what "hur många X" asks, a number beside the X (None
    when the question counts no thing: "hur många procent" asks a share)."""
    counted = _counted(q)
    if not counted or any(fold(c).startswith(UNIT_STARTS) for c in counted):
        return None
    return any(_beside(text, m, counted) for m in _COUNT_NUMBER.finditer(text) if not _YEAR.match(m.group()))


def _operation_word(cue: str) -> str:
    """The word of an operation's cue that a sentence stating its result holds ("mindre" of "mindre än")."""
    words = [w for w in fold(cue).rstrip("=").split() if w not in ("hur", "mycket", "an", "than", "how", "much")]
    return max(words, key=len) if words else fold(cue)


def _in_document(q: Question, doc: Document, kind: str, counted: tuple[str, ...],
                 terms: list[tuple[str, ...]], operations: list[tuple[str, ...]]) -> list[Found]:
    sentences = _sentences(doc.text)
    asked_years = {str(d.start.year) for d in q.dates if d.year_given}
    out = []
    pattern = VALUE_PATTERNS[kind]
    # An amount of an outcome ("how much was granted", "hur mycket betalades ut") is the outcome's own
    # figure: its word must stand beside the amount, not in the sentence before ("Någon finansiering
    # … har styrelsen inte fattat. Kostnaden … uppgår till 300 - 350 tkr": a cost, not a grant).
    outcomes = [g for g in terms if kind == "amount" and any(fold(t).startswith(OUTCOME_STEMS) for t in g)]
    for i, sentence in enumerate(sentences):
        # A difference ("30 000 kr mindre") answers only a difference asked, not the figure itself.
        values = [m for m in pattern.finditer(sentence) if not _YEAR.match(m.group(0).strip())
                  and not _bounded(sentence, m) and (operations or not _relative(sentence, m))]
        if not values:
            continue
        if counted and not any(_beside(sentence, m, counted) for m in values):
            continue
        previous = sentences[i - 1] if i > 0 and not _is_heading(sentences[i - 1]) else ""
        refers_back = any(fold(w) in BACK_REFERENCES for w in _WORD.findall(sentence))
        heads = _haystack(" ".join(_headings(sentences, i, doc.text)))
        own = _haystack(sentence)
        used_previous = False
        placed = 0
        missing = False
        named_above: list[tuple[str, ...]] = []
        for group in terms:
            if _covered([group], own) == 1.0:
                placed += 1
            elif group in outcomes:
                missing = True
                break
            elif previous and _covered([group], _haystack(previous)) == 1.0 and (
                    refers_back or not _named_in(previous, group)):
                used_previous = True  # said in the sentence before (a name only if this one refers back)
            elif _covered([group], heads) < 1.0:
                missing = True  # nor the name of the thing in the heading of the section, the § or the paragraph
                break
            else:
                named_above.append(group)
        # Some topic word stands beside the value, or the value's sentence refers to the one before
        # it that holds them ("Totalt har 174 medarbetare … deltagit vid dessa tillfällen").
        # A count whose counted thing stands beside its number, under a section heading that holds
        # all the rest ("49 deltagare" under "Hälsofrämjande etablering").
        under_heading = bool(counted) and _covered(terms, _haystack(_section_heading(sentences, i))) == 1.0
        # (A share or an amount may also follow the sentence that names its subject in one paragraph:
        # "Förbundschef är anställd … på heltid. Finnveden köper 35% av tjänsten." A count may not: its
        # sentence has its own verb, "16 individer har avslutats" after "… aktualiserat 2 FAT".)
        if missing or not (placed or under_heading or (used_previous and (
                refers_back or (not counted and _one_paragraph(doc.text, previous, sentence))))):
            continue
        if operations and _covered(operations, own) < 1.0:
            continue
        said_years = _years_in(f"{previous} {sentence}")
        if asked_years and said_years and not said_years & asked_years:
            continue  # of another year than the one asked ("ansöker om … under 2024", asked of 2023)
        # A sentence that refers back is quoted with the one it refers to ("3 av dessa individer").
        before = previous if used_previous or refers_back else ""
        heading = " ".join(_headings(sentences, i, doc.text))
        # Every number the question names (a year, "del 1") stands by the value or dates the document.
        # ("i slutet av augusti" is read as the 31st in both.)
        # The document is dated by its first lines, or by the part of the file the sentence stands in
        # (a report attached to a protocol: "Tertialuppföljning 2021-04-30").
        context = expand_short_forms(f"{heading} {before} {sentence}", tertials=False)
        if missing_numbers(q.text, f"{context} {_document_years(doc.text)}"):
            source = _source(q, doc, sentence)
            if missing_numbers(q.text, f"{context} {_document_years(source.label())}"):
                continue
        else:
            source = _source(q, doc, sentence)
        quote = _with_before(before, sentence)
        # The name that stands above the sentence is quoted with it: "Hälsofrämjande etablering: … 49 deltagare …".
        above = next((h for h in _headings(sentences, i, doc.text) if named_above
                      and _covered(named_above, _haystack(h)) == 1.0), "")
        label = _short(above.strip(" -#*"), 120) if above and not quote.startswith(above) else ""
        stated = tuple(sorted({" ".join(m.group(0).split()) for m in values}))
        out.append(Found(quote=quote, source=source, values=stated, label=label))
    return out


# A day written short, as protocols give periods: "240101-241231" is 2024.
_SHORT_DAY = re.compile(r"(?<!\d)(\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")


def _years_in(text: str) -> set[str]:
    return set(_YEARS.findall(text)) | {f"20{m.group(1)}" for m in _SHORT_DAY.finditer(text)}


def _bounded(sentence: str, value: re.Match[str]) -> bool:
    """Whether the value is a goal or a bound ("minst 100", "at least 25 %", "up to 6")."""
    before = [fold(w) for w in _WORD.findall(sentence[:value.start()])][-2:]
    return bool(set(before) & BOUNDS) or " ".join(before) in ("at least", "at most", "up to", "upp till")


def _relative(sentence: str, value: re.Match[str]) -> bool:
    """Whether the value is a difference from another figure ("30 000 kr mindre", "ökning med 2 mkr")."""
    after = [fold(w) for w in _WORD.findall(sentence[value.end():])][:1]
    if after and after[0] in RELATIVE_AFTER:
        return True
    before = tuple(fold(w) for w in _WORD.findall(sentence[:value.start()])[-3:])
    return any(before[len(before) - len(p):] == p for p in RELATIVE_BEFORE if len(p) <= len(before))


def _one_paragraph(text: str, first: str, second: str) -> bool:
    """Whether two neighbouring sentences stand in one paragraph (no line between them)."""
    at = text.find(second[:40])
    start = text.rfind(first[-30:], 0, at) if at > 0 else -1
    return start >= 0 and "\n" not in text[start:at]


def _named_in(text: str, group: tuple[str, ...]) -> bool:
    """Whether the text writes a word of the group as a name: with a capital inside a sentence."""
    words = _WORD.findall(text)
    return any(w[:1].isupper() and _covered([group], _haystack(w)) == 1.0 for w in words[1:])


# Words before a number that make it a goal or a limit rather than a count of what happened.
TARGET_WORDS = frozenset({"minst", "hogst", "max", "maximalt", "minimum", "maximum", "least", "most", "upp"})


def _beside(sentence: str, value: re.Match[str], counted: tuple[str, ...]) -> bool:
    """Whether the counted thing stands right after the number ("49 deltagare", "10 unika
    deltagare") or names it before ("Antalet individer … uppgår till 2")."""
    before = [fold(w) for w in _WORD.findall(sentence[:value.start()])]
    if before and before[-1] in TARGET_WORDS:
        return False  # "Minst 100 medarbetare … deltar": a goal's number, not how many did
    after = [fold(w) for w in _WORD.findall(sentence[value.end():])][:COUNT_GAP]
    if any(_is_counted(w, counted) for w in after):
        return True
    return "antalet" in before[-12:] and any(_is_counted(w, counted) for w in before[-10:])


def _is_counted(word: str, counted: tuple[str, ...]) -> bool:
    """The counted word in any form: whole, by its root, or by a start of four letters or more
    ("deltagar" for "deltagarna"; "män" is not "månader")."""
    forms = (word, fold(root(word)))
    return any(f == fold(c) or (len(c) >= 4 and f.startswith(fold(c))) for f in forms for c in counted)


def _is_heading(line: str) -> bool:
    text = line.strip().lstrip("-•*# ").strip()
    return (0 < len(text) <= HEADING_MAX and text[-1] not in ".!?:;," and text[:1].isupper()) or text.startswith("§")


def _section_heading(sentences: list[str], i: int) -> str:
    for j in range(i - 1, max(-1, i - 1 - HEADING_REACH), -1):
        if _is_heading(sentences[j]):
            return sentences[j]
    return ""


def _headings(sentences: list[str], i: int, text: str) -> list[str]:
    """What names the subject a sentence speaks of: the heading of its section, the title of its §,
    and the first sentence of its paragraph."""
    out = []
    for j in range(i - 1, max(-1, i - 1 - HEADING_REACH), -1):
        if _is_heading(sentences[j]):
            out.append(sentences[j])
            break
    for j in range(i - 1, -1, -1):
        if sentences[j].lstrip().startswith("§"):
            out.append(sentences[j][:HEADING_MAX])
            break
    at = text.find(sentences[i][:40])
    if at > 0:
        start = text.rfind("\n", 0, at) + 1
        opening = re.split(r"(?<=[.!?])\s", text[start:at], maxsplit=1)[0]
        out.append(opening)
    return out


@lru_cache(maxsize=256)
def _document_years(text: str) -> str:
    """The years and days a document is of (its first lines: "Tertialuppföljning 2021-04-30")."""
    return " ".join(re.findall(r"(?<!\d)(?:19|20)\d\d(?:-\d\d-\d\d)?(?!\d)", text[:600]))


def _source(q: Question, doc: Document, sentence: str) -> Source:
    """The § a sentence stands in (a protocol's), else the part of the file and its page."""
    org = q.organisation(doc.organisation_id)
    probe = sentence[:60]
    for p in q.session.exec(select(Paragraph).where(Paragraph.document_id == doc.id)).all():
        if probe in " ".join(f"{p.body} {p.decision or ''}".split()):
            return source_for(q.session, org, doc.id, p.id)
    return passage_source(q.session, org, doc, doc.text.find(sentence[:40]))


QUOTE_LIMIT = 500


def _with_before(before: str, sentence: str) -> str:
    """The value's sentence whole, after as much of the one before as room allows (its end, which
    leads into the value): cutting a long quotation never cuts the value."""
    sentence = _short(sentence)
    before = _short(before, 10_000)
    room = QUOTE_LIMIT - len(sentence) - 2
    if not before or room < 40:
        return sentence
    if len(before) > room:
        before = "…" + before[len(before) - room:].split(" ", 1)[-1]
    return f"{before} {sentence}"


def _short(text: str, limit: int = QUOTE_LIMIT) -> str:
    text = " ".join(re.sub(r"</?[a-zA-Z][^>]*>", " ", text).split())  # a report's table cells: "<p>"
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


__all__ = ["FILLER", "answer", "asked_value"]
