"""Insatser (grants) in a protocol's paragraphs: applications, decisions, final reports.

A paragraph is about a grant when its title or its decision speaks of funding; the status
comes from the decision ("bevilja", "avslå", "godkänna slutrapporten", "betala ut"), the
name from the § title ("Ansökan – Helhetslyftet"), so the same insats gets the same name in
every paragraph that mentions it.
"""

from __future__ import annotations

import re

from storage.ingest.parsed import ParsedGrant, ParsedParagraph, ParsedPerson
from storage.ingest.text_utils import DNR_RE, body_loose_key, find_dnr, is_member_body, nominative_body
from storage.swedish.amounts import find_amounts
from storage.swedish.cleaning import collapse_ws
from storage.swedish.dates import parse_period

_GRANT_TITLE_RE = re.compile(
    r"\b(?:ansökan|ansökningar|finansiering|slutrapport|delrapport|slutredovisning|insats(?:en|er)?|"
    r"projekt(?:et)?|förlängning|rekvisition|bevilj\w*)\b", re.I)
_NOT_GRANT_TITLE_RE = re.compile(
    r"medelstilldelning|medelstillelning|medlemsbidrag|årsredovisning|ansvarsfrihet|revision|tertial|"
    r"delårs|verksamhetsplan|budget|delegationsbeslut|internkontroll|intern\s+styrning", re.I)
# The (?=[…]) lookaheads below only name the letters the alternatives start with: no match
# changes, but the engine skips other positions fast (every decision is searched with each).
_REFUSED_RE = re.compile(
    r"(?=[aie])\b(?:avslå|avslås|avslog|avslag|inte\s+bevilja|ej\s+bevilja|inte\s+finansiera|ej\s+finansiera|"
    r"avstå\s+från\s+att\s+(?:bevilja|finansiera))", re.I)
_FINAL_RE = re.compile(
    r"(?=[gs])(?:\bgodkänn\w*\s+(?:den\s+)?(?:skriftliga\s+|muntliga\s+|inkomna\s+)?slutrapport|"
    r"\bslutrapport\w*\s+(?:\w+\s+)?godkänn|\bslutredovisning\w*\s+godkänn|\bgodkänn\w*\s+slutredovisning)", re.I)
_PAID_RE = re.compile(r"(?=[bu])(?:\bbetala\s+ut\b|\butbetal\w*|\butbetala\b)", re.I)
# What was paid, rather than a decision to pay: past tense only.
_PAID_PAST_RE = re.compile(
    r"(?=[hbu])(?:\bhar\s+(?:betalats|utbetalats)\b|\bbetalades\s+ut\b|\butbetalades\b|\butbetalats\b)", re.I)
# "… som beviljades 900 000 kronor för perioden 230101-241231": what an earlier decision granted.
_STATED_GRANT_RE = re.compile(r"[^.\n]*\bbeviljade?s?\b[^.\n]*", re.I)
_CONDITIONAL_RE = re.compile(
    r"(?=[unpvf])(?:\bunder\s+förutsättning|\bnär\s+en\s+(?:undertecknad|signerad|komplett\w*)\s+ansökan|"
    r"\bpå\s+villkor\s+att|\bvillkorat\s+av|\bförutsatt\s+att|"
    r"\bfår\s+(?:förbundets\s+)?(?:ordförande|förbundschef)\w*\s+besluta)", re.I)
_GRANTED_RE = re.compile(
    r"(?=[bftg])\b(?:bevilja\w*|besluta\w*\s+om\s+finansiering|finansiera\w*\s+insatsen|tilldela\w*|"
    r"godkänn\w*\s+ansökan|bifall\w*|bifalla)\b", re.I)
_APPLICATION_RE = re.compile(r"\bansökan\b|\bansöker\b|\bansökt\b", re.I)
_APPLICATION_TITLE_RE = re.compile(r"\bansökan\b|\bansökningar\b", re.I)
_FUNDING_WORD_RE = re.compile(r"finansier|insats|projekt", re.I)

_GENERIC_PREFIX_RE = re.compile(
    r"^(?:beslut\s+om|beslut|ansökan|ansökningar|slutrapport(?:en)?|delrapport|slutredovisning|rapport|"
    r"rekvisition|utbetalning|delutbetalning|lägesrapport|uppföljning|redovisning|avslut|"
    r"förlängning|utökning|fortsatt|fortsättning|finansiering|finansiellt\s+stöd|medel|bidrag|stöd|"
    r"insatsen|insats|projektet|projekt|om|av|för|till|från|gällande|avseende|angående|ny\s+ansökan|"
    r"muntlig|skriftlig)\b[\s,:]*", re.I)
_SEPARATORS_RE = re.compile(r"\s+[–—-]\s+|:\s+|,\s+|\s+[–—]|\t")
_QUOTED_RE = re.compile(r"[”\"“»«]([^”\"“»«\n]{3,200})[”\"“»«]")
_NAMED_AFTER_RE = re.compile(
    r"\b(?:insatsen|projektet|verksamheten)\s+((?:[A-ZÅÄÖ0-9][\wåäöé.\-]*)(?:\s+(?:[\wåäöé.\-]+)){0,6}?)"
    r"(?=[.,;:]|\s+(?:som|med|under|för|och\s+[a-zåäö]|till|där)\b|$)")
_REPORTING_RE = re.compile(r"[åa]t+er+ap+or+t?er+ing", re.I)
_JOINT_TAIL = (r"\s+har\s+(?:gemensamt\s+)?(?:inkommit|lämnat\s+in|kommit\s+in|skickat\s+in)\s+"
               r"(?:med\s+)?(?:en\s+)?(?:gemensam\s+)?ansökan")
_JOINT_RE = re.compile(r"([^.\n]{3,300}?)" + _JOINT_TAIL, re.I)
_JOINT_TAIL_RE = re.compile(_JOINT_TAIL, re.I)
_ORG_GENITIVE = (
    r"(?:(?:[A-ZÅÄÖ][\wåäöé-]+\s+(?:och\s+[A-ZÅÄÖ][\wåäöé-]+\s+)?(?:kommuns|kommuners|stads|läns\s+landstings))|"
    r"Region(?:\s+[A-ZÅÄÖ][\wåäöé-]+)+s|Försäkringskassans|Arbetsförmedlingens|Regionens|Landstingets)"
)
_GENITIVE_APPLICANT_RE = re.compile(rf"({_ORG_GENITIVE})\s*,?\s+(?:gemensamma\s+)?ansökan")
_TOGETHER_RE = re.compile(
    r"\b(?:tillsammans|gemensamt|i\s+samverkan|i\s+samarbete)\s+med\s+([^.;\n]+?)(?=,|\s+där\b|\s+som\b|\.|;|$)")
_FROM_RE = re.compile(r"\bansökan\s+från\s+([^.;\n]+?)(?=\s+om\b|\s+där\b|,\s+[a-zåäö]|\.|;|$)", re.I)
# "Köpings kommun och Arbetsförmedlingen ansöker om ..."
_APPLIES = r"\s+(?:ansöker|har\s+ansökt|ansökte|söker)\s+(?:gemensamt\s+)?om\b"
_SUBJECT_RE = re.compile(r"(?:^|(?<=[.\n]))\s*([^.\n]{3,200}?)" + _APPLIES)
# "Arboga kommun har tillsammans med Försäkringskassan ansökt om ..."
_TOGETHER_WITH = r"\s+har\s+(?:tillsammans|gemensamt|i\s+samverkan)\s+med\s+"
_TOGETHER_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[.\n]))\s*([^.\n]{3,120}?)" + _TOGETHER_WITH +
    r"([^.\n]{3,120}?)\s+(?:ansökt|inkommit|lämnat\s+in|sökt|skickat\s+in)\b")
# The phrases the two patterns above cannot match without: searching for them first is cheap,
# while the patterns try up to 200 characters from every sentence start.
_APPLIES_RE = re.compile(_APPLIES)
_TOGETHER_WITH_RE = re.compile(_TOGETHER_WITH)
# The lookahead changes no match (each name starts with a capital) but lets the engine skip
# ahead fast: the pattern runs over the whole text.
_BODY_MENTION_RE = re.compile(
    r"(?=[A-ZÅÄÖ])\b(?:[A-ZÅÄÖ][\wåäöé-]+\s+(?:kommun|stad)(?![\wåäö])|Region(?:\s+[A-ZÅÄÖ][\wåäöé-]+){1,2}(?:\s+län)?|"
    r"Försäkringskassan(?![\wåäö])|Arbetsförmedlingen(?![\wåäö]))")


def known_bodies(text: str, attendance: list[ParsedPerson]) -> list[str]:
    """Member bodies named in the document, as written in the nominative."""
    bodies: list[str] = []
    for p in attendance:
        if p.member_body and is_member_body(p.member_body):
            bodies.append(p.member_body)
    for m in _BODY_MENTION_RE.finditer(text):
        name = collapse_ws(m.group(0))
        if name.startswith("Region") and name.endswith("s"):
            continue
        bodies.append(name)
    seen: set[str] = set()
    out = []
    for b in bodies:
        if b.lower() not in seen:
            seen.add(b.lower())
            out.append(b)
    return out


def find_grants(paragraphs: list[ParsedParagraph], bodies: list[str]) -> list[ParsedGrant]:
    grants: list[ParsedGrant] = []
    for p in paragraphs:
        grant = grant_from_paragraph(p, bodies)
        if grant:
            grants.append(grant)
    _align_names(grants)
    return grants


def grant_from_paragraph(p: ParsedParagraph, bodies: list[str]) -> ParsedGrant | None:
    title = p.title or ""
    if _NOT_GRANT_TITLE_RE.search(title):
        return None
    decision = p.decision or ""
    status, extra = _status(title, decision)
    if status is None:
        return None
    name = _name_from_title(title) or _name_from_body(p.body)
    if not name:
        return None
    grant = ParsedGrant(name=name, paragraph_number=p.number, status=status, dnr=p.dnr or _only_dnr(p.body))
    grant.extra_statuses = extra
    grant.full_name = _full_name(name, p.body + "\n" + decision)
    grant.applicants = _applicants(p.body, bodies)
    if status in ("granted", "granted_on_condition", "refused", "applied"):
        source = decision or p.proposal or ""
        amounts = find_amounts(source)
        if amounts:
            grant.max_amount = amounts[0][1]
        elif status in ("applied", "refused") or re.search(r"enligt\s+ansökan", source, re.I):
            # The amount applied for: what a refusal refused, what "enligt ansökan" granted.
            applied = find_amounts(p.body)
            grant.max_amount = applied[0][1] if applied else None
        # A decision without a period grants the period applied for.
        period = parse_period(source) or parse_period(p.body)
        if period:
            grant.period_start, grant.period_end = period
    elif status in ("final_report_approved", "payment_approved", "paid_out"):
        # A final report or payout names the grant it closes: its Dnr, and what was granted when.
        grant.dnr = grant.dnr or find_dnr(p.body)
        stated = _STATED_GRANT_RE.search(p.body)
        if stated:
            granted = find_amounts(stated.group(0))
            grant.max_amount = granted[0][1] if granted else None
            period = parse_period(stated.group(0), allow_year=False)
            if period:
                grant.period_start, grant.period_end = period
        paid = find_amounts(decision) if _PAID_RE.search(decision) else []
        grant.payment_amount = paid[-1][1] if paid else None
    grant.conditions = _conditions(decision or p.proposal or "")
    grant.reporting = _reporting(decision) or _reporting(p.proposal or "")
    return grant


def _status(title: str, decision: str) -> tuple[str | None, list[str]]:
    grant_title = bool(_GRANT_TITLE_RE.search(title))
    if decision:
        if _REFUSED_RE.search(decision) and (grant_title or _APPLICATION_RE.search(decision)):
            return "refused", []
        if _FINAL_RE.search(decision):
            return "final_report_approved", ([_payment(decision)] if _PAID_RE.search(decision) else [])
        if _GRANTED_RE.search(decision) and (grant_title or _FUNDING_WORD_RE.search(decision)):
            if _CONDITIONAL_RE.search(decision):
                return "granted_on_condition", []
            return "granted", []
        if _PAID_RE.search(decision) and grant_title:
            return _payment(decision), []
    # An application presented but not (yet) decided on.
    if _APPLICATION_TITLE_RE.search(title):
        return "applied", []
    return None, []


def _only_dnr(body: str) -> str | None:
    """The Dnr the body gives when it gives exactly one (several: other matters are named)."""
    found = {collapse_ws(m.group(1)) for m in DNR_RE.finditer(body)}
    return found.pop() if len(found) == 1 else None


def _payment(decision: str) -> str:
    return "paid_out" if _PAID_PAST_RE.search(decision) else "payment_approved"


def _name_from_title(title: str) -> str | None:
    text = DNR_RE.sub(" ", title)
    text = collapse_ws(text)
    for part in _SEPARATORS_RE.split(text):
        name = part.strip(" ,.:;–-")
        previous = None
        while name and name != previous:
            previous = name
            name = _GENERIC_PREFIX_RE.sub("", name).strip(" ,.:;–-")
            name = re.sub(r"^från\s+.+?\s+om\s+", "", name, flags=re.I)
        name = _strip_quotes(name)
        if name and re.search(r"[A-Za-zÅÄÖåäö]", name) and not _is_generic_phrase(name):
            return name
    return None


def _is_generic_phrase(text: str) -> bool:
    return bool(re.fullmatch(
        r"(?i)(?:(?:ny|nya|nytt|inkomna|övriga)\s+)?(?:ansökningar|ansökan|insatser|insats|medel|beslut|projekt)",
        text))


def _strip_quotes(text: str) -> str:
    return text.strip("”\"“»«' ")


def _name_from_body(body: str) -> str | None:
    m = _QUOTED_RE.search(body)
    if m:
        name = m.group(1).split(":")[0].strip()
        return name or None
    m = _NAMED_AFTER_RE.search(body)
    if m:
        return m.group(1).strip()
    return None


def _full_name(name: str, text: str) -> str | None:
    for m in _QUOTED_RE.finditer(text):
        quoted = collapse_ws(m.group(1)).strip(" .")
        if len(quoted) > len(name) and quoted.lower().startswith(name.lower()):
            return quoted
    return None


def _applicants(body: str, bodies: list[str]) -> list[str]:
    found: list[str] = []
    m = _joint_application(body)
    if m:
        found += _split_bodies(_tail_list(m.group(1)))
    for g in _GENITIVE_APPLICANT_RE.finditer(body):
        found += _split_bodies(g.group(1))
        after = body[g.end() : g.end() + 200]
        t = _TOGETHER_RE.search(after.split(".")[0])
        if t:
            found += _split_bodies(t.group(1))
    m = _FROM_RE.search(body)
    if m:
        found += _split_bodies(m.group(1))
    if _APPLIES_RE.search(body):
        for m in _SUBJECT_RE.finditer(body):
            found += _split_bodies(m.group(1))
    if _TOGETHER_WITH_RE.search(body):
        for m in _TOGETHER_SUBJECT_RE.finditer(body):
            found += _split_bodies(m.group(1)) + _split_bodies(m.group(2))
    out: list[str] = []
    for name in found:
        canonical = _canonical_body(name, bodies)
        if canonical and canonical.lower() not in (o.lower() for o in out):
            out.append(canonical)
    return out


def _joint_application(body: str) -> re.Match[str] | None:
    """_JOINT_RE.search(body), without trying every position before the sentence it is in.

    The pattern's first part runs up to 300 characters from every position, so a search tries
    the whole text. No match can start before the first place its tail matches less 300
    characters, nor before the full stop or line break in front of that place: the search
    starts there and finds the same match.
    """
    tail = _JOINT_TAIL_RE.search(body)
    if tail is None:
        return None
    at = tail.start()
    return _JOINT_RE.search(body, max(at - 300, body.rfind(".", 0, at) + 1, body.rfind("\n", 0, at) + 1))


def _tail_list(text: str) -> str:
    """The list of bodies at the end of a clause ('... Åre kommun, Region X och Y')."""
    start = 0
    for m in re.finditer(r"(?<=[.;:])\s+", text):
        start = m.end()
    return text[start:]


def _split_bodies(text: str) -> list[str]:
    text = collapse_ws(text)
    # "Härnösands och Timrås kommun" / "Härnösands, Timrå och Sundsvalls kommuner": one noun for all.
    dist = re.fullmatch(r"((?:[A-ZÅÄÖ][\wåäöé-]+,\s+)*[A-ZÅÄÖ][\wåäöé-]+)\s+och\s+([A-ZÅÄÖ][\wåäöé-]+)\s+"
                        r"(kommun|kommuner|kommuns|kommuners)", text)
    if dist:
        places = [*re.split(r",\s+", dist.group(1)), dist.group(2)]
        return [f"{p} kommun" for p in places]
    parts = re.split(r",\s+|\s+och\s+|\s+samt\s+|\s+&\s+", text)
    return [nominative_body(p.strip(" .")) for p in parts if p.strip(" .")]


def _canonical_body(name: str, bodies: list[str]) -> str | None:
    name = nominative_body(name)
    key = body_loose_key(name)
    for b in bodies:
        if body_loose_key(b) == key:
            return b
    if is_member_body(name):
        # "Timrås kommun" written as a genitive of Timrå: keep as written when unknown.
        return name
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ”\"])|\n+", text) if s.strip()]


_CONDITION_RES = [
    re.compile(r"\bvillkora\w*\s+(?:med\s+)?(?:krav\s+på\s+)?(.+)$", re.I),
    re.compile(r"\bunder\s+förutsättning\s+att\s+(.+?)(?:\s+(?:får|samt|så)\b|,|$)", re.I),
    re.compile(r"\bnär\s+(en\s+(?:undertecknad|signerad|komplett\w*)\s+ansökan\s+(?:har\s+)?inkommit.*?)"
               r"(?:\s+får\b|,|$)", re.I),
    re.compile(r"\bpå\s+villkor\s+att\s+(.+)$", re.I),
    re.compile(r"\bförutsatt\s+att\s+(.+?)(?:,|$)", re.I),
    re.compile(r"\bmed\s+villkor(?:et)?\s+att\s+(.+)$", re.I),
]


def _conditions(text: str) -> list[str]:
    out: list[str] = []
    for sentence in _sentences(text):
        for rx in _CONDITION_RES:
            m = rx.search(sentence)
            if m:
                condition = collapse_ws(m.group(1)).strip(" .")
                if condition and condition.lower() not in (c.lower() for c in out):
                    out.append(condition)
                break
    return out


def _reporting(text: str) -> str | None:
    found = []
    for sentence in _sentences(text):
        if _REPORTING_RE.search(sentence) and not re.search(r"\byrka", sentence, re.I):
            fixed = _REPORTING_RE.sub(lambda m: "Återrapportering" if m.group(0)[0].isupper()
                                      else "återrapportering", sentence)
            found.append(collapse_ws(fixed))
    return " ".join(dict.fromkeys(found)) or None


def _align_names(grants: list[ParsedGrant]) -> None:
    """The same insats spelt with other capitals gets the first spelling (the loader keys on it)."""
    first: dict[str, str] = {}
    for g in grants:
        key = collapse_ws(g.name).lower()
        g.name = first.setdefault(key, g.name)
