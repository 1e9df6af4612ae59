"""Fictional board documents shaped like the five seeds, for benchmarks.

`generate(n, out_dir, seed)` writes n .txt files across many invented förbund: protocols
(header, attendance, justering, anslag, 5-30 paragraphs, grant decisions in both period
styles, meeting plans), verksamhetsplaner with budget tables in kronor, and tertial reports
with tkr tables. Each file mixes the layout families of the seeds (A = the Jämtland protocol
with its appended report, B = the Södra Vätterbygden letter, protocol and plan, C = the
markdown-like tertial report, D = the Härnösand-Timrå protocol, E = the Umeå kallelse,
protocol and T2 report, F = a plan on its own) and carries their noise: page furniture,
initials, duplicated decision text, markup left by PDF extraction, signature pages.

Nothing is read from the seeds at run time; every name, amount and date is drawn from a
seeded random source, one per document, so document i is the same for a seed whatever n is.
Sums add up, named weekdays are right, and anslag dates follow storage.legal_dates.

    python scripts/generate_documents.py --count 1000 --out /tmp/docs [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage.legal_dates import earliest_take_down, is_working_day, next_working_day
from storage.swedish import MONTH_NAMES, WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES

POOL_SIZE = 80  # about as many förbund as Sweden has

# Written with the names the readers read (storage.swedish, from babel).
MONTHS = MONTH_NAMES
WEEKDAYS = WEEKDAY_NAMES
WEEKDAY_ABBR = [f"{w.capitalize()}." for w in WEEKDAY_ABBREVIATIONS]  # "Mån.", "Tors."

STEMS = [
    "Tjärn", "Myr", "Lom", "Hjort", "Orr", "Kvarn", "Sälg", "Rönn", "Hassel", "Ljung",
    "Näver", "Tall", "Lind", "Ask", "Björk", "Gran", "Sjö", "Älv", "Strand", "Hed",
    "Vass", "Fur", "Sten", "Kulla", "Mosse", "Bäck", "Ugg", "Svan", "Tran", "Lo",
    "Ren", "Ulv", "Hägg", "Vide", "Kärr", "Skog", "Sik", "Harr", "Lax", "Ved",
]
SUFFIXES = [
    "vik", "backa", "åsen", "dal", "holm", "by", "fors", "näs", "sund", "torp",
    "berga", "mark", "lid", "hamn", "ryd", "ås", "bo", "tuna", "sjö", "älv",
]
REGION_SUFFIXES = ["land", "botten", "dalen", "kusten", "slätten", "bygden"]
SURNAME_SUFFIXES = [
    "ström", "berg", "lund", "gren", "qvist", "mark", "ling", "dahl", "holm", "fors",
    "bäck", "sjö", "stedt", "vall", "hage", "näs",
]
FIRST_NAMES = [
    "Agnes", "Alva", "Anders", "Annika", "Arvid", "Astrid", "Berit", "Bo", "Britt", "Carl",
    "Dagny", "Edvin", "Elin", "Elsa", "Erik", "Frida", "Gunnar", "Greta", "Hanna", "Harald",
    "Helmer", "Ida", "Inga", "Ingrid", "Jonas", "Karin", "Kerstin", "Leif", "Lina", "Lisa",
    "Magnus", "Majken", "Maria", "Mats", "Nils", "Olof", "Petra", "Rut", "Samir", "Sara",
    "Sigrid", "Sten", "Tove", "Ulla", "Vera", "Viktor", "Yusuf", "Åsa", "Amira", "Oskar",
]
PARTIES = ["S", "C", "M", "KD", "V", "L", "MP", "SD"]

INSATS_PATTERNS = [
    "Jobbspåret {town}", "Unga vuxna i {town}", "Språkbron {town}", "Arbetsmarknadstorget {town}",
    "Samordningsteam {town}", "Vägen vidare", "Stegvis till arbete", "Hälsolotsen",
    "Kompetensbron", "Individstöd {town}", "Arena {town}", "Förstudie samsjuklighet",
    "Motivationsspåret", "Brobyggarna", "IPS i {town}", "Aktivitetshuset {town}",
    "Familjecoacher {town}", "Praktikbanken", "Hållbar återgång", "Nya steg {town}",
]
INSATS_SUBTITLES = [
    "samordnat stöd för personer med långvarig sjukskrivning",
    "språkstöd på arbetsplatsen",
    "en väg från försörjningsstöd till arbete",
    "tidiga insatser för unga som varken arbetar eller studerar",
    "gemensam kartläggning och planering",
    "hälsofrämjande stöd i etableringen",
    "individens resa mellan myndigheterna",
]
CONDITIONS = [
    "att parterna upprättar en skriftlig överenskommelse som reglerar arbetsfördelning, "
    "gemensam målbild och hur deltagare remitteras mellan parterna",
    "att samtliga deltagare registreras i SUS",
    "ett aktivt främjande av individens delaktighet i planeringen av deltagandet i insatsen",
    "att insatsen redovisar könsuppdelad statistik över deltagarna",
    "att en styrgrupp med representanter för samtliga sökande parter inrättas",
    "användning av verktyget Jämställdhetskollen i planeringen av insatsen",
    "att insatsen deltar i förbundets gemensamma uppföljning med indikatorer",
]
COMPLETIONS = [
    "en budget för handledning",
    "en tydlig beskrivning av hur jämställdhetsarbetet ska bedrivas",
    "parternas underskrifter",
    "en plan för uppföljning och utvärdering",
]
TOPICS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Digital signering",
        "Förbundschefen har tagit fram underlag om kostnaden för digital signering av protokoll och avtal.",
        [
            ("Förbundsstyrelsen beslutar att teckna avtal om digital signering från och med {date}.",
             "teckna avtal om digital signering från och med {date}"),
            ("Förbundsstyrelsen beslutar att inte teckna avtal om digital signering i dagsläget.",
             "det inte är aktuellt att teckna avtal om digital signering i dagsläget"),
        ],
    ),
    (
        "Hemsidan",
        "Förbundets hemsida behöver flyttas till en ny plattform.",
        [
            ("Förbundschefen får i uppdrag att flytta hemsidan inom en kostnadsram om {amount} kr.",
             "ge förbundschefen i uppdrag att flytta hemsidan inom en kostnadsram om {amount} kronor"),
            ("Förbundsstyrelsen beslutar att fortsätta ha en gemensam hemsida via {kommun}.",
             "fortsätta ha en gemensam hemsida via {kommun}"),
        ],
    ),
    (
        "Lokaler för kansliet",
        "Hyresavtalet för kansliets lokaler löper ut vid årsskiftet.",
        [
            ("Förbundsstyrelsen beslutar att förlänga hyresavtalet till och med {date}.",
             "förlänga hyresavtalet för kansliets lokaler till och med {date}"),
            ("Förbundschefen får i uppdrag att söka nya lokaler för kansliet i {town}.",
             "ge förbundschefen i uppdrag att söka nya lokaler för kansliet i {town}"),
        ],
    ),
    (
        "Dokumenthanteringsplan",
        "Förbundschefen redovisar förslag till reviderad dokumenthanteringsplan och arkivrutin.",
        [
            ("Förbundsstyrelsen antar dokumenthanteringsplanen att gälla från och med {date}.",
             "anta dokumenthanteringsplanen att gälla från och med {date}"),
        ],
    ),
    (
        "Arvoden för förtroendevalda",
        "Arvodesreglementet ses över inför kommande mandatperiod.",
        [
            ("Förbundsstyrelsen föreslår medlemmarna ett oförändrat arvode om {amount} kr per år för ordföranden.",
             "föreslå medlemmarna ett oförändrat arvode om {amount} kronor per år för ordföranden"),
        ],
    ),
    (
        "Plan för intern kontroll",
        "Styrelsen går igenom förslag till plan för intern styrning och kontroll.",
        [
            ("Förbundsstyrelsen antar plan för intern kontroll för verksamhetsåret.",
             "godkänna det upprättade förslaget på plan för intern styrning och kontroll"),
        ],
    ),
    (
        "Risk- och väsentlighetsanalys",
        "Styrelsen går igenom de områden som tas upp i förslaget till risk- och väsentlighetsanalys.",
        [
            ("Förbundsstyrelsen godkänner risk- och väsentlighetsanalysen.",
             "godkänna det upprättade förslaget på risk- och väsentlighetsanalys"),
        ],
    ),
    (
        "Upphandling av ekonomitjänster",
        "Avtalet om ekonomitjänster med {kommun} löper ut.",
        [
            ("Förbundsstyrelsen beslutar att förlänga avtalet om ekonomitjänster till och med {date}.",
             "förlänga avtalet om ekonomitjänster till och med {date}"),
        ],
    ),
]
INFO_ITEMS = [
    ("NNS", "Ordföranden informerar från NNS medlemsmöte."),
    ("Välfärdsguiden", "Förbundschefen informerar om att insatserna nu beskrivs i Välfärdsguiden."),
    ("Riskanalysarbetet", "Förbundschefen informerar om riskanalysarbetet. Inga nya risker har identifierats."),
    ("Dialog om läget hos parterna",
     "Ledamöterna informerar varandra om läget hos förbundsmedlemmarna."),
    ("Indikatorer", "Verksamhetsutvecklaren informerar om årets mätning med indikatorer för finansiell samordning."),
    ("Handläggarforum", "Verksamhetsutvecklaren informerar om planeringen av handläggarforum."),
]
E_SIGN_TRAILER = [
    "SIGNATURES**ALLEKIRJOITUKSET****UNDERSKRIFTER****SIGNATURER****UNDERSKRIFTER**",
    "This documents contains {pages} pages before this page",
    "Dokumentet inneholder {pages} sider før denne siden",
    "Detta dokument innehåller {pages} sidor före denna sida",
    "authority to sign", "representative", "ställningsfullmakt", "firmateckningsrätt",
]


# ---------------------------------------------------------------- people and förbund


@dataclass(frozen=True)
class Person:
    name: str
    party: str | None = None

    def with_party(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name


@dataclass
class Seat:
    body: str
    ledamot: Person
    ersattare: Person


@dataclass
class Forbund:
    name: str
    towns: list[str]  # one per member kommun
    region: str
    seats: list[Seat]
    chief: Person
    developer: Person
    office: str
    domain: str
    chair_index: int
    vice_index: int
    dnr_style: int

    @property
    def short(self) -> str:
        return self.name.removeprefix("Samordningsförbundet ").removeprefix("i ")

    @property
    def kommuner(self) -> list[str]:
        return [f"{town}s kommun" if not town.endswith("s") else f"{town} kommun" for town in self.towns]

    @property
    def members(self) -> list[str]:
        return [*self.kommuner, self.region, "Försäkringskassan", "Arbetsförmedlingen"]

    @property
    def chair(self) -> Person:
        return self.seats[self.chair_index].ledamot

    @property
    def vice(self) -> Person:
        return self.seats[self.vice_index].ledamot


def _place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(STEMS) + rng.choice(SUFFIXES)
        if name not in used:
            used.add(name)
            return name


def _person(rng: random.Random, party: bool, used: set[str]) -> Person:
    while True:
        stem, suffix = rng.choice(STEMS), rng.choice(SURNAME_SUFFIXES)
        name = f"{rng.choice(FIRST_NAMES)} {stem}{suffix}"
        if name not in used and not suffix.startswith(stem.lower()[:3]):
            used.add(name)
            return Person(name, rng.choice(PARTIES) if party else None)


def make_forbund(rng: random.Random, used_places: set[str]) -> Forbund:
    towns = [_place(rng, used_places) for _ in range(rng.choice([1, 2, 2, 3, 4, 5, 6]))]
    region = f"Region {rng.choice(STEMS)}{rng.choice(REGION_SUFFIXES)}"
    style = rng.random()
    if len(towns) == 2 and style < 0.5:
        name = f"Samordningsförbundet {towns[0]} – {towns[1]}"
    elif len(towns) >= 4 and style < 0.5:
        name = f"Samordningsförbundet i {region.removeprefix('Region ')}s län"
    else:
        name = f"Samordningsförbundet {towns[0]}" + ("regionen" if style > 0.85 else "")
    people: set[str] = set()
    bodies = [
        *[f"{t}s kommun" if not t.endswith("s") else f"{t} kommun" for t in towns],
        region, "Försäkringskassan", "Arbetsförmedlingen",
    ]
    seats = []
    for body in bodies:
        political = body.endswith("kommun") or body.startswith("Region")
        seats.append(Seat(body, _person(rng, political, people), _person(rng, political, people)))
    chair, vice = rng.sample(range(len(seats)), 2)
    slug = re.sub(r"[^a-z]", "", towns[0].lower().translate(str.maketrans("åäö", "aao")))
    return Forbund(
        name=name,
        towns=towns,
        region=region,
        seats=seats,
        chief=_person(rng, False, people),
        developer=_person(rng, False, people),
        office=f"{rng.choice(['Storgatan', 'Kyrkogatan', 'Järnvägsgatan', 'Torget', 'Skolgatan'])} "
        f"{rng.randint(1, 40)}, {towns[0]}",
        domain=f"sam{slug}.example",
        chair_index=chair,
        vice_index=vice,
        dnr_style=rng.randrange(4),
    )


def forbund_pool(seed: int) -> list[Forbund]:
    rng = random.Random(f"{seed}:pool")
    used: set[str] = set()
    pool: list[Forbund] = []
    names: set[str] = set()
    while len(pool) < POOL_SIZE:
        fb = make_forbund(rng, used)
        if fb.name not in names:
            names.add(fb.name)
            pool.append(fb)
    return pool


# ---------------------------------------------------------------- formatting


def kr(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", " ")


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_period(start: dt.date, end: dt.date) -> str:
    return f"{start:%y%m%d}-{end:%y%m%d}"


def long_period(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def dnr(rng: random.Random, fb: Forbund, year: int) -> str:
    number = rng.randint(1, 30)
    yy = year % 100
    return [f"P{yy}/{number}", f"{yy}:{number:02d}", f"SF {year}/{number}", f"{year}:{number:02d} / 4"][
        fb.dnr_style
    ]


# ---------------------------------------------------------------- what a meeting decides


@dataclass
class Decision:
    full: str  # "Förbundsstyrelsen fastställer ..." (families A, C, E)
    att: str  # "fastställa ..." after "Att" (families B, D)


@dataclass
class Item:
    kind: str
    title: str
    body: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    proposal: bool = False  # write a "Förslag till beslut" that repeats the decision
    motion: str | None = None
    basis: list[str] = field(default_factory=list)  # underlag för beslut
    lines: list[str] = field(default_factory=list)  # list lines kept as they are
    dnr: str | None = None
    grant_name: str | None = None


@dataclass
class Meeting:
    fb: Forbund
    date: dt.date
    place: str
    start: str
    end: str
    justerare: Person
    deadline: dt.date
    justering: dt.date
    posted: dt.date
    removed: dt.date
    first_number: int
    items: list[Item]
    absent: list[int]  # seat indexes whose ledamot is away
    plan: list[tuple[dt.date, str, str, bool]]  # date, town, time, planeringsdag

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1


def _grant_period(rng: random.Random, meeting: dt.date) -> tuple[dt.date, dt.date]:
    start = add_months(meeting, rng.choice([1, 1, 2, 3]))
    if rng.random() < 0.4:
        start = dt.date(start.year + (1 if start.month > 9 else 0), 1 if start.month > 9 else start.month, 1)
    months = rng.choice([6, 9, 10, 12, 12, 12, 18, 24, 36])
    last = add_months(start, months - 1)
    end = month_end(last.year, last.month)
    return start, end


def _insats_name(rng: random.Random, fb: Forbund, used: set[str] | None = None) -> str:
    """A name not yet in `used` (one document never has two insatser of the same name)."""
    for _ in range(20):
        name = rng.choice(INSATS_PATTERNS).format(town=rng.choice(fb.towns))
        if used is None or name not in used:
            break
    else:
        name = f"{name} {len(used or ())}"
    if used is not None:
        used.add(name)
    return name


def _applicants(rng: random.Random, fb: Forbund, count: int) -> list[str]:
    return rng.sample(fb.members, min(count, len(fb.members)))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def grant_item(rng: random.Random, fb: Forbund, meeting: dt.date, outcome: str, short_style: bool,
               used: set[str]) -> Item:
    name = _insats_name(rng, fb, used)
    full = f"{name}: {rng.choice(INSATS_SUBTITLES)}" if rng.random() < 0.5 else name
    number = dnr(rng, fb, meeting.year)
    start, end = _grant_period(rng, meeting)
    period = short_period(start, end) if short_style else long_period(start, end)
    amount = rng.randrange(40, 400) * 5_000
    applicants = _applicants(rng, fb, 1 if outcome == "refused" else rng.choice([2, 2, 3, 4]))
    together = "gemensamt " if len(applicants) > 1 else ""
    who = "Parterna" if len(applicants) > 1 else "Sökanden"
    body = [
        f"{_join(applicants)} har {together}inkommit med en ansökan om finansiering av insatsen ”{full}”. "
        f"{who} har för avsikt att under perioden {period} {together}arbeta för att fler "
        "individer ska närma sig arbete eller studier.",
        f"{who} ansöker om finansiering för en {rng.choice(['heltidstjänst', 'halvtidstjänst'])} "
        f"({rng.choice(['samordnare', 'processledare', 'projektledare', 'handledare'])}) samt "
        "utbildningskostnader. "
        f"{applicants[0]} kommer att vara ansvarig arbetsgivare.",
    ]
    item = Item("grant", "", body=body, proposal=True, dnr=number, grant_name=name)
    item.basis = ["Ansökan", "Tjänsteutlåtande"] + (["Bedömningskriterier"] if rng.random() < 0.5 else [])
    if outcome == "refused":
        item.decisions = [
            Decision(
                "Ansökan avslås, då insatsen inte ligger inom de samverkande parternas gemensamma ansvarsområde.",
                "avslå ansökan, då insatsen inte ligger inom de samverkande parternas gemensamma ansvarsområde",
            )
        ]
        return item
    decisions = []
    if outcome == "conditional":
        missing = rng.choice(COMPLETIONS)
        decisions.append(
            Decision(
                f"Under förutsättning att ansökan kompletteras med {missing} får förbundets ordförande "
                f"besluta om finansiering av insatsen ”{full}”.",
                f"under förutsättning att ansökan kompletteras med {missing} ge ordföranden "
                f"mandat att besluta om finansiering av insatsen {name}",
            )
        )
    decisions.append(
        Decision(
            f"Finansiering får beviljas med maximalt {kr(amount)} kr för perioden {period}.",
            f"bevilja finansiellt stöd enligt ansökan med {kr(amount)} kronor för perioden {period}. "
            "Förbundschefen upprättar avtal",
        )
    )
    chosen = rng.sample(CONDITIONS, rng.choice([0, 1, 2]))
    if chosen:
        first = f"Finansieringen ska särskilt villkoras med krav på {chosen[0]}."
        if len(chosen) > 1:
            first += f" Finansieringen ska även villkoras med krav på {chosen[1]}."
        decisions.append(Decision(first, "villkora finansieringen med krav på " + " samt ".join(chosen)))
    report_by = month_end(end.year + (1 if end.month > 9 else 0), (end.month + 2) % 12 + 1)
    reporting = rng.choice(
        [
            "Återrapportering av insatsen ska ske årligen vid styrelsens planeringsdag inför beslut om "
            "budget för efterföljande år.",
            f"Återrapportering av insatsen ska ske genom en skriftlig slutrapport senast {report_by.isoformat()}.",
        ]
    )
    decisions.append(Decision(reporting, reporting[0].lower() + reporting[1:-1]))
    if rng.random() < 0.3:
        item.motion = (
            "Ordföranden yrkar att återrapportering av insatsen sker årligen vid styrelsens planeringsdag."
        )
    item.decisions = decisions
    return item


def final_report_item(rng: random.Random, fb: Forbund, used: set[str]) -> Item:
    name = _insats_name(rng, fb, used)
    goals = rng.randint(2, 6)
    reached = rng.randint(1, goals)
    remaining = rng.randrange(10, 120) * 5_000
    body = [
        f"En skriftlig slutrapport har inkommit för insatsen {name}. Under projekttiden har "
        f"{rng.randint(8, 140)} deltagare tagit del av insatsen.",
        f"Av insatsens {goals} mål har {reached} uppnåtts.",
    ]
    return Item(
        "final_report",
        f"Slutrapport – {name}",
        body=body,
        grant_name=name,
        decisions=[
            Decision(
                f"Förbundsstyrelsen godkänner slutrapporten och beslutar att betala ut resterande beviljade "
                f"medel, {kr(remaining)} kr.",
                f"godkänna slutrapporten och betala ut resterande beviljade medel, {kr(remaining)} kronor",
            )
        ],
    )


def topic_item(rng: random.Random, fb: Forbund, meeting: dt.date) -> Item:
    title, background, choices = rng.choice(TOPICS)
    full, att = rng.choice(choices)
    values = {
        "date": dt.date(meeting.year + rng.choice([0, 1, 2]), rng.choice([1, 6, 12]), 1).isoformat(),
        "amount": kr(rng.randrange(4, 60) * 5_000),
        "town": rng.choice(fb.towns),
        "kommun": rng.choice(fb.kommuner),
    }
    return Item(
        "topic",
        title,
        body=[background.format(**values)],
        decisions=[Decision(full.format(**values), att.format(**values))],
        proposal=rng.random() < 0.5,
    )


def meeting_plan(rng: random.Random, fb: Forbund, meeting: dt.date) -> list[tuple[dt.date, str, str, bool]]:
    """Board meetings after `meeting`: the rest of its year, or the next year when it is late."""
    year = meeting.year + (1 if meeting.month >= 10 else 0)
    weekday = rng.choice([4, 4, 4, 3, 0])
    months = [2, 3, 5, 6, 9, 10, 11, 12] if year > meeting.year else [m for m in range(1, 13) if m not in (1, 7)]
    months = [m for m in months if dt.date(year, m, 28) > meeting + dt.timedelta(days=20)]
    months = sorted(rng.sample(months, min(len(months), rng.randint(3, 6))))
    plan_day = rng.choice(months) if rng.random() < 0.7 else None
    result: list[tuple[dt.date, str, str, bool]] = []
    for month in months:
        days = [dt.date(year, month, d) for d in range(1, month_end(year, month).day + 1)]
        day = rng.choice([d for d in days if d.weekday() == weekday and is_working_day(d)])
        planning = month == plan_day
        result.append((day, rng.choice(fb.towns), "kl. 9-15" if planning else "kl. 9-12", planning))
    return result


def plan_lines(plan: list[tuple[dt.date, str, str, bool]], style: str) -> list[str]:
    """The meeting plan as each family writes it; the weekday always matches the date."""
    lines = []
    for day, town, time, planning in plan:
        if style == "D":
            what = f"verksamhetsplaneringsdag {town}" if planning else f"i {town}"
            lines.append(f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {what}, {time}")
        elif style == "B":
            what = "planeringsdag" if planning else "styrelsemöte"
            lines.append(f"- {day.day} {MONTHS[day.month - 1]} ({WEEKDAYS[day.weekday()]}) {what} {time}, {town}")
        else:
            clock = "kl. 09.00-15.00" if planning else "kl. 09.00-12.00"
            what = ", planeringsdag" if planning else ""
            lines.append(f"- {WEEKDAYS[day.weekday()]} {long_date(day)} {clock}, {town}{what}")
    return lines


def plan_item(meeting: dt.date, plan: list[tuple[dt.date, str, str, bool]]) -> Item:
    year = plan[0][0].year
    title = f"Sammanträdesplan för {year}" if year > meeting.year else f"Sammanträdesplan för resten av {year}"
    return Item(
        "plan",
        title,
        body=[f"Förslag på mötestider för styrelsen under {year}"],
        decisions=[
            Decision(
                f"Förbundsstyrelsen fastställer sammanträdesplanen för {year}.",
                f"fastställa mötesplanen för {year} enligt upprättat förslag",
            ),
            Decision(
                "Förbundschefen skickar ut mötesbokningarna.",
                "förbundschefen skickar ut mötesbokningarna i Outlook",
            ),
        ],
    )


def simple_item(kind: str, title: str, body: list[str], full: str, att: str, proposal: bool = False) -> Item:
    return Item(kind, title, body=body, decisions=[Decision(full, att)] if full else [], proposal=proposal)


def build_meeting(rng: random.Random, fb: Forbund, year: int) -> Meeting:
    date = next_working_day(dt.date(year, rng.randint(1, 12), rng.randint(1, 28)))
    deadline = date + dt.timedelta(days=rng.choice([10, 12, 14, 14]))
    while not is_working_day(deadline):
        deadline -= dt.timedelta(days=1)
    justering = next_working_day(date + dt.timedelta(days=rng.randint(2, 9)))
    if justering > deadline:
        justering = next_working_day(date + dt.timedelta(days=2))
    posted = justering + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
    while not is_working_day(posted) and posted > justering:
        posted -= dt.timedelta(days=1)
    removed = earliest_take_down(posted) + dt.timedelta(days=rng.choice([0, 0, 0, 1, 6]))
    justerare_seat = rng.choice([i for i in range(len(fb.seats)) if i != fb.chair_index])
    absent = [i for i in range(len(fb.seats)) if i not in (fb.chair_index, justerare_seat) and rng.random() < 0.2]
    first = 1 if date.month <= 2 and rng.random() < 0.6 else rng.randint(1, 140)
    plan = meeting_plan(rng, fb, date) if rng.random() < 0.55 else []
    meeting = Meeting(
        fb=fb, date=date, place=rng.choice([fb.office, f"{rng.choice(fb.towns)}s kommunhus", "Teams"]),
        start=rng.choice(["09.00", "09.30", "13.00"]), end=rng.choice(["11.30", "12.00", "15.00", "16.00"]),
        justerare=fb.seats[justerare_seat].ledamot, deadline=deadline, justering=justering, posted=posted,
        removed=removed, first_number=first, items=[], absent=absent, plan=plan,
    )
    meeting.items = _items(rng, meeting)
    return meeting


def _items(rng: random.Random, meeting: Meeting) -> list[Item]:
    fb, date = meeting.fb, meeting.date
    short_style = rng.random() < 0.5
    used: set[str] = set()
    opening = [
        simple_item("open", "Mötets öppnande", [f"Ordföranden {fb.chair.name} hälsar alla välkomna."],
                    "", ""),
        simple_item("agenda", "Godkännande av dagordning", [],
                    "Dagordningen godkänns.", "godkänna dagordningen"),
        simple_item("justerare", "Val av justerare", [],
                    f"{meeting.justerare.name} utses att jämte ordföranden justera dagens protokoll.",
                    f"utse {meeting.justerare.name} att justera protokollet"),
    ]
    builders: list[Callable[[], Item]] = [
        lambda: grant_item(rng, fb, date, "granted", short_style, used),
        lambda: grant_item(rng, fb, date, "granted", not short_style, used),
        lambda: grant_item(rng, fb, date, "conditional", short_style, used),
        lambda: grant_item(rng, fb, date, "refused", short_style, used),
        lambda: final_report_item(rng, fb, used),
        lambda: topic_item(rng, fb, date),
        lambda: topic_item(rng, fb, date),
        lambda: simple_item(
            "previous", "Föregående protokoll", ["Föregående protokoll gås igenom."],
            "Förbundsstyrelsen lägger protokollet till handlingarna.", "lägga protokollet till handlingarna"),
        lambda: simple_item(
            "delegation", "Anmälan av delegationsbeslut",
            ["Enligt delegationsbestämmelserna ska delegationsbeslut anmälas till förbundsstyrelsen vid "
             "nästkommande sammanträde.", "Anmälda beslut:",
             f"- Dnr {dnr(rng, fb, date.year)}, Beslut om finansiering",
             f"- Dnr {dnr(rng, fb, date.year)}, Avtal om finansiering {date.year}"],
            "Förbundsstyrelsen lägger anmälan till handlingarna.", "lägga anmälan till handlingarna"),
        lambda: simple_item(
            "economy", "Ekonomi – budgetuppföljning",
            [f"Förbundschefen visar ekonomirapporten per den {long_date(date - dt.timedelta(days=rng.randint(7, 40)))}."],
            "Förbundsstyrelsen godkänner rapporten och lägger den till handlingarna.",
            "godkänna rapporten och lägga den till handlingarna"),
        lambda: _tertial_adopt(rng, fb, date),
        lambda: simple_item(
            "plan_adopt", f"Verksamhetsplan {date.year + 1}",
            [f"Förslag till verksamhetsplan {date.year + 1} med budget har varit ute för samråd hos alla parter."],
            f"Förbundsstyrelsen fastställer verksamhetsplan {date.year + 1} och skickar den till medlemmarna.",
            f"fastställa verksamhetsplan {date.year + 1} och skicka den till medlemmarna", proposal=True),
        lambda: _election(rng, fb, date),
        lambda: simple_item(
            "info", "Information/rapporter",
            [f"{head}\n\n{text}" for head, text in rng.sample(INFO_ITEMS, rng.randint(1, 4))],
            "Förbundsstyrelsen tackar för informationen.", "tacka för informationen och lägga den till handlingarna"),
        lambda: simple_item(
            "audit", "Dialog med revisionen",
            [f"Revisorerna redogör för granskningen av förbundets verksamhet avseende år {date.year - 1}."],
            "", ""),
        lambda: simple_item(
            "remiss", "Remissyttrande",
            [f"{fb.name} har erbjudits att yttra sig över en promemoria om samordningsförbundens styrning."],
            "Förbundsstyrelsen antar förslag till remissyttrande som sitt.",
            "anta förslaget till remissyttrande som sitt", proposal=True),
    ]
    closing: list[Item] = []
    if meeting.plan:
        closing += [plan_item(date, meeting.plan), Item("next", "Nästa möte")]
    closing.append(simple_item("close", "Mötets avslutande", ["Ordföranden tackar och förklarar mötet avslutat."], "", ""))
    count = rng.randint(max(5, len(opening) + len(closing)), 30)
    middle = [rng.choice(builders)() for _ in range(count - len(opening) - len(closing))]
    return opening + middle + closing


def _election(rng: random.Random, fb: Forbund, date: dt.date) -> Item:
    seat = rng.choice(fb.seats)
    when = date - dt.timedelta(days=rng.randint(14, 90))
    if seat.body.endswith("kommun"):
        who, title = f"Kommunfullmäktige i {seat.body} har vid sitt möte {long_date(when)}", "Kommunfullmäktige"
    elif seat.body.startswith("Region"):
        who, title = f"Regionfullmäktige i {seat.body} har vid sitt möte {long_date(when)}", "Regionfullmäktige"
    else:
        who, title = f"{seat.body} har genom beslut {when.isoformat()}", seat.body
    return simple_item(
        "election", f"Valärende – {title} {seat.body}" if title != seat.body else f"Valärende – {seat.body}",
        [f"{who} utsett {seat.ersattare.name} till ersättare i {fb.name}s styrelse."],
        "Förbundsstyrelsen lägger beslutet till handlingarna.", "lägga beslutet till handlingarna")


def _tertial_adopt(rng: random.Random, fb: Forbund, date: dt.date) -> Item:
    per = rng.choice(["30 april", "31 augusti"])
    return simple_item(
        "tertial", f"Fastställande av tertialuppföljning, Dnr {dnr(rng, fb, date.year)}",
        ["Enligt 13 § i förbundsordningen ska förbundsstyrelsen upprätta tertialvisa uppföljningar med "
         "helårsprognos för verksamheten och ekonomin."],
        f"Förbundsstyrelsen fastställer tertialuppföljning per {per} {date.year}.",
        f"fastställa tertialuppföljningen per {per} {date.year}",
        proposal=True)


# ---------------------------------------------------------------- money


def _round(value: float, step: int) -> int:
    return round(value / step) * step


def _split(total: int, weights: list[float], step: int) -> list[int]:
    """Shares of `total` in whole `step`s that add up to it exactly."""
    shares = [_round(total * w / sum(weights), step) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def member_income(fb: Forbund, weights: list[float], total: int, step: int) -> list[tuple[str, int]]:
    """Finsam's fixed split: half from the state through Försäkringskassan, a quarter each from
    the region and the kommuner (shared by population, here `weights`)."""
    kommun_total = total // 4
    rows = list(zip(fb.kommuner, _split(kommun_total, weights, step), strict=True))
    rows.append((fb.region, total // 4))
    rows.append(("Försäkringskassan", total - kommun_total - total // 4))
    return rows


@dataclass
class PlanBudget:
    """The five columns of a verksamhetsplan's table: budget and prognos Y-1, budget Y, plan Y+1, Y+2."""

    year: int
    income: list[tuple[str, list[int]]]
    ops: list[tuple[str, list[int | None]]]
    adm: list[tuple[str, list[int | None]]]
    capital_start: tuple[int, int]

    def columns(self) -> list[str]:
        y = self.year
        return [f"Budget {y - 1}", f"Prognos {y - 1}", f"Budget {y}", f"Plan {y + 1}", f"Plan {y + 2}"]

    @staticmethod
    def _sum(rows: list[tuple[str, list[int | None]]] | list[tuple[str, list[int]]]) -> list[int]:
        return [sum(values[i] or 0 for _, values in rows) for i in range(5)]

    def totals(self) -> dict[str, list[int]]:
        income = self._sum(self.income)
        ops, adm = self._sum(self.ops), self._sum(self.adm)
        costs = [o + a for o, a in zip(ops, adm, strict=True)]
        result = [i - c for i, c in zip(income, costs, strict=True)]
        start = [self.capital_start[0], self.capital_start[1], 0, 0, 0]
        end = [0] * 5
        for i in range(5):
            if i >= 2:
                start[i] = end[i - 1]
            end[i] = start[i] + result[i]
        return {"income": income, "ops": ops, "adm": adm, "costs": costs, "result": result,
                "start": start, "end": end}


def make_plan_budget(rng: random.Random, fb: Forbund, year: int) -> PlanBudget:
    total = _round(rng.randrange(24, 160) * 100_000, 4_000)
    previous = _round(total * rng.uniform(0.85, 1.0), 4_000)
    weights = [rng.uniform(1, 10) for _ in fb.kommuner]
    now_rows = member_income(fb, weights, total, 1_000)
    before_rows = member_income(fb, weights, previous, 100)
    income = [
        (name, [b, b, n, n, n])
        for (name, b), (_, n) in zip(before_rows, now_rows, strict=True)
    ]
    ops: list[tuple[str, list[int | None]]] = []
    names: list[str] = []
    used: set[str] = set()
    names = [_insats_name(rng, fb, used) for _ in range(rng.randint(4, 8))]
    for name in names:
        base = _round(total * rng.uniform(0.06, 0.22), 100)
        life = rng.choice(["ongoing", "ongoing", "ongoing", "ending", "ending", "ended", "new", "new"])
        before: int | None = _round(base * rng.uniform(0.9, 1.0), 100)
        forecast: int | None = _round((before or 0) * rng.uniform(0.6, 1.0), 100)
        plan = [_round(base * 1.02, 100), _round(base * 1.04, 100)]
        if life == "new":
            before = forecast = None
        if life in ("ending", "ended"):
            plan = [0, 0]
        this_year = 0 if life == "ended" else base
        ops.append((name, [before, forecast, this_year, *plan]))
    skills = _round(total * rng.uniform(0.01, 0.04), 1_000)
    ops.append(("Kompetensutveckling", [skills, _round(skills * rng.uniform(0.4, 1.0), 1_000), skills, skills, skills]))
    kansli = _round(total * rng.uniform(0.1, 0.18), 1_000)
    adm: list[tuple[str, list[int | None]]] = [
        ("Kansli", [kansli, _round(kansli * rng.uniform(0.85, 1.02), 1_000), _round(kansli * 1.03, 1_000),
                    _round(kansli * 1.06, 1_000), _round(kansli * 1.09, 1_000)]),
        ("Information", [20_000, 20_000, rng.choice([20_000, 50_000]), 20_000, 20_000]),
        ("Styrelse", [s := rng.choice([3_000, 60_000, 120_000]), s, s, s, s]),
        ("Ekonomihantering", [e := _round(total * 0.012, 1_000), e, e + 2_000, e + 4_000, e + 6_000]),
    ]
    fixed = PlanBudget._sum(ops)
    admin = PlanBudget._sum(adm)
    available: list[int | None] = []
    for i in range(5):
        if i == 1:  # the forecast shows what new insatser used, or nothing
            spent = _round((available[0] or 0) * rng.uniform(0.2, 0.8), 100)
            available.append(spent if rng.random() < 0.5 else None)
            continue
        target = _round(total * rng.uniform(-0.15, 0.03), 100)
        income_i = sum(values[i] for _, values in income)
        available.append(max(0, _round(income_i - target - fixed[i] - admin[i], 100)))
    ops.insert(len(ops) - 1, ("Tillgängligt nya insatser", available))
    start = _round(total * rng.uniform(0.1, 0.6), 1)
    return PlanBudget(year, income, ops, adm, (start, start + _round(rng.uniform(-0.1, 0.2) * total, 1)))


def plan_table(rng: random.Random, fb: Forbund, pb: PlanBudget) -> list[str]:
    italic = rng.random() < 0.6
    totals = pb.totals()

    def cell(value: int | None) -> str:
        return "" if value is None else kr(value)

    def row(label: str, values: list[int | None] | list[int], mark: bool = False) -> str:
        cells = [cell(v) for v in values]
        if mark and italic:
            return "\t".join([f"<i>{label}</i>", *[f"<i>{c}</i>" for c in cells]])
        return "\t".join([label, *cells])

    head = "\t" + "\t".join(pb.columns())
    lines = [head + "\tNot", "Intäkter" + "\t" * 6]
    for i, (name, values) in enumerate(pb.income):
        lines.append(row(name, values) + ("\ta)" if i == 0 else "\t"))
    lines += [row("Summa intäkter", totals["income"]) + "\t", ""]
    if rng.random() < 0.7:  # the page break repeats the förbund's name, as in the PDF
        lines += ["Samordningsförbundet", f"{fb.short} ", ""]
    lines += [head, "Kostnader" + "\t" * 5]
    lines += [row(name, values) for name, values in pb.ops]
    lines.append(row("Delsumma verksamhet", totals["ops"], mark=True))
    lines += [row(name, values) for name, values in pb.adm]
    lines.append(row("Delsumma administration", totals["adm"], mark=True))
    lines += [
        row("Summa kostnader", totals["costs"]),
        row("Kapital 1 jan", totals["start"]),
        row("Årets beräknade resultat", totals["result"]),
        row("Beräknat kapital 31 dec", totals["end"]),
    ]
    return lines


@dataclass
class Tertial:
    """A tertial report's figures in tkr; every sum is taken over the printed, rounded values."""

    year: int
    months: int  # 4 or 8
    income_rows: list[tuple[str, list[int]]]  # prev period, period, budget, prognos
    cost_rows: list[tuple[str, list[int]]]
    financial: list[int]
    equity_start: int
    ceiling: int

    @property
    def as_of(self) -> dt.date:
        return month_end(self.year, self.months)

    def sums(self) -> dict[str, list[int]]:
        income = [sum(v[i] for _, v in self.income_rows) for i in range(4)]
        costs = [sum(v[i] for _, v in self.cost_rows) for i in range(4)]
        net = [a + b for a, b in zip(income, costs, strict=True)]
        result = [a + b for a, b in zip(net, self.financial, strict=True)]
        return {"income": income, "costs": costs, "net": net, "result": result}

    @property
    def equity_forecast(self) -> int:
        return self.equity_start + self.sums()["result"][3]


def make_tertial(rng: random.Random, fb: Forbund, year: int, months: int) -> Tertial:
    annual = _round(rng.randrange(2_400, 16_000), 4)
    before = _round(annual * rng.uniform(0.85, 1.0), 4)
    share = months / 12
    split = [("Försäkringskassan", 0.5), (fb.region, 0.25)]
    if rng.random() < 0.5:
        split.append(("kommuner", 0.25))
    else:
        weights = [rng.uniform(1, 10) for _ in fb.kommuner]
        split += [(k, 0.25 * w / sum(weights)) for k, w in zip(fb.kommuner, weights, strict=True)]
    income_rows = [
        (f"Bidrag {name}", [round(before * part * share), round(annual * part * share),
                            round(annual * part), round(annual * part)])
        for name, part in split
    ]
    cost_rows = []
    for name, low, high in [("Bidrag till insatser", 0.55, 0.8), ("Personalkostnader", 0.15, 0.25),
                            ("Övriga externa kostnader", 0.05, 0.12)]:
        budget = round(annual * rng.uniform(low, high))
        cost_rows.append((name, [-round(budget * share * rng.uniform(0.3, 1.0)),
                                 -round(budget * share * rng.uniform(0.3, 1.0)),
                                 -budget, -round(budget * rng.uniform(0.75, 1.05))]))
    fin = rng.choice([0, 0, -2, -5])
    return Tertial(year, months, income_rows, cost_rows, [fin, fin, fin * 2, fin * 2],
                   equity_start=round(annual * rng.uniform(0.2, 0.9)),
                   ceiling=round(annual * rng.choice([0.15, 0.2, 0.25])))


def tkr(value: int) -> str:
    return "-" if value == 0 else kr(value)


def tertial_text(rng: random.Random, fb: Forbund, t: Tertial, markdown: bool) -> list[str]:
    """Seed 000's appended report or seed 002's stand-alone one (headings, <b> rows)."""
    y, s = t.year, t.sums()
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    bold = markdown and rng.random() < 0.7

    def b(text: str) -> str:
        return f"<b>{text}</b>" if bold else text

    def row(label: str, values: list[int], note: str = "", strong: bool = False) -> str:
        cells = [tkr(v) for v in values]
        if strong:
            return "\t".join([b(label), note, *[b(c) for c in cells]])
        return "\t".join([label, note, *cells])

    start_prev, end_prev = dt.date(y - 1, 1, 1), month_end(y - 1, t.months)
    met = t.equity_forecast <= t.ceiling
    staff_goal = rng.choice([50, 100, 150])
    staff = rng.randint(staff_goal // 4, staff_goal + 60)
    staff_text = ("Målet är uppnått." if staff >= staff_goal else
                  "Målet kommer att nås." if staff >= staff_goal * t.months / 12 else
                  "Osäkert om målet kommer att nås.")
    done = rng.randint(5, 60)
    onward = rng.randint(1, done)
    onward_text = "Målet kommer att nås." if onward * 4 >= done else "Målet kommer troligen inte att nås."
    lines = [
        f"{h2}UPPFÖLJNING AV VERKSAMHET OCH EKONOMI", "",
        "Enligt 13 § i förbundsordningen ska förbundsstyrelsen upprätta tertialvisa uppföljningar med "
        "helårsprognos för verksamheten och ekonomin.", "",
        f"{h3}Verksamhetsmål", "",
        f"Nedan redovisas de av förbundsstyrelsen för {fb.name} fastställda verksamhetsmålen för år {y}.", "",
        "Mål\tHelårsprognos",
        f"Minst {staff_goal} medarbetare hos förbundets medlemmar deltar i sektorsövergripande "
        f"kompetensutveckling\t{staff_text} Under perioden har {staff} medarbetare deltagit.",
        f"Minst 25 % av registrerade deltagare går vidare till studier eller arbete\t{onward_text} Under perioden "
        f"har {done} deltagare avslutats, varav {onward} arbetar och/eller studerar.",
        "Förbundets egna kapital överstiger inte Nationella rådets rekommendation om storlek på sparade medel\t"
        + ("Målet kommer att nås. " if met else "Det prognostiserade resultatet innebär att målet inte kommer att nås. ")
        + f"Prognostiserat eget kapital på balansdagen uppgår till {kr(t.equity_forecast)} tkr. "
        f"Högsta rekommenderade nivå på sparade medel uppgår till {kr(t.ceiling)} tkr.",
        "",
        f"{h3}Periodens resultat", "",
        f"Per {t.as_of.isoformat()} uppgår resultatet till {kr(s['result'][1])} tkr efter periodisering av "
        "intäkter och kostnader.", "",
        "I tertialuppföljningen redovisas endast kostnader enligt inkomna rekvisitioner för beviljade insatser.", "",
        f"{h3}Helårsprognos för ekonomin", "",
        f"Det prognostiserade resultatet för helåret {y} uppgår till {kr(s['result'][3])} tkr. Prognosen utgår "
        "från omfattningen av pågående insatser.", "",
        f"{h3}{'RESULTATRAPPORT' if markdown else 'Resultatrapport'} {t.as_of:%y%m%d}", "",
        "\t".join(["Belopp i tkr", "Not", f"{start_prev:%y%m%d} {end_prev:%y%m%d}",
                   f"{dt.date(y, 1, 1):%y%m%d} {t.as_of:%y%m%d}", f"Budget {y}", f"Prognos {y}"]),
        row("Verksamhetens intäkter", s["income"], "1"),
        row("Verksamhetens kostnader", s["costs"], "2"),
        row("Avskrivningar", [0, 0, 0, 0]),
        row("Verksamhetens nettokostnader", s["net"], strong=True),
        row("Skatteintäkter", [0, 0, 0, 0]),
        row("Generella statsbidrag och utjämning", [0, 0, 0, 0]),
        row("Verksamhetens resultat", s["net"], strong=True),
        row("Finansiella intäkter", [0, 0, 0, 0]),
        row("Finansiella kostnader", t.financial),
        row("Resultat efter finansiella poster", s["result"], strong=True),
        row("Extraordinära poster", [0, 0, 0, 0]),
        row("Årets resultat", s["result"], strong=True),
        "",
        f"{h2}{'NOTER' if markdown else 'Noter'}", "",
    ]
    for number, title, rows, total in [(1, "Verksamhetens intäkter", t.income_rows, s["income"]),
                                       (2, "Verksamhetens kostnader", t.cost_rows, s["costs"])]:
        lines += [f"{h3}Not {number} {title}", "",
                  "\t".join(["Belopp i tkr", end_prev.isoformat(), t.as_of.isoformat(), f"Budget {y}", f"Prognos {y}"])]
        lines += ["\t".join([name, *[tkr(v) for v in values]]) for name, values in rows]
        lines += ["\t".join([b("Summa"), *[b(tkr(v)) for v in total]]), ""]
    return lines


def _col_sums(rows: list[tuple[str, int, int, int]]) -> list[int]:
    return [sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)]


def t2_report(rng: random.Random, fb: Forbund, pb: PlanBudget, year: int, adopted: dt.date) -> list[str]:
    """Seed 004's report: budget, outcome so far and forecast per member and per activity, in tkr."""
    budget_col = 2
    lines = [f"Tertialrapport maj – augusti {year}", "", f"Beslutad av styrelsen {adopted.isoformat()}",
             "", f"Verksamhetsberättelse tertial 2 {year}", "",
             f"Styrelsen antog en verksamhetsplan för {year} års verksamhet, i enlighet med 8 § i förbundsordningen.",
             "", "Resultatrapport", "", "Resultatrapport", "",
             f"\tBudget {year}\tUtfall t.o.m. T2\tPrognos {year}", "Intäkter\t\t\t"]
    income = [(name, round(values[budget_col] / 1000)) for name, values in pb.income]
    rows = [(name, b, round(b * 2 / 3), b) for name, b in income]
    lines += [f"- {name}\t{kr(b)}\t{kr(u)}\t{kr(p)}" for name, b, u, p in rows]
    income_sum = _col_sums(rows)
    lines.append("Summa intäkter\t" + "\t".join(kr(v) for v in income_sum))
    office = [(name, round((values[budget_col] or 0) / 1000)) for name, values in pb.adm]
    office_rows = [(name, b, round(b * rng.uniform(0.5, 0.75)), round(b * rng.uniform(0.9, 1.05))) for name, b in office]
    lines += ["", "Kansli och styrelse", ""]
    lines += [f"- {name}\t{kr(b)}\t{kr(u)}\t{kr(p)}" for name, b, u, p in office_rows]
    office_sum = _col_sums(office_rows)
    lines.append("Summa kansli och styrelse\t" + "\t".join(kr(v) for v in office_sum))
    acts = [(name, round((values[budget_col] or 0) / 1000)) for name, values in pb.ops]
    # Money not yet granted has no outcome; the forecast is what the board expects to grant.
    act_rows = [
        (name, b, 0 if name.startswith("Tillgängligt") else round(b * rng.uniform(0.3, 0.7)),
         round(b * rng.uniform(0.7, 1.0)))
        for name, b in acts
    ]
    lines += ["", f"Verksamheter\tBudget\tUtfall t.o.m. T2\tPrognos {year}"]
    lines += [f"- {name}\t{kr(b)}\t{kr(u)}\t{kr(p)}" for name, b, u, p in act_rows]
    act_sum = _col_sums(act_rows)
    lines.append("Summa verksamheter\t" + "\t".join(kr(v) for v in act_sum))
    lines.append("Kostnader totalt\t" + "\t".join(kr(a + o) for a, o in zip(act_sum, office_sum, strict=True)))
    cash = rng.randint(2_000, 12_000)
    claims = rng.randint(100, 900)
    equity = rng.randint(500, cash)
    lines += ["", "Balansrapport", "", "Tillgångar", "", f"Per {year % 100:02d}-08-31", "",
              "Omsättningstillgångar", "", f"Fordringar\t{kr(claims)}", f"Kassa och bank\t{kr(cash)}",
              f"Summa omsättningstillgångar\t{kr(cash + claims)}", "", f"Summa tillgångar **{kr(cash + claims)}**", "",
              "Eget kapital och skulder", "", f"Eget kapital\t{kr(-equity)}",
              f"Kortfristiga skulder\t{kr(-(cash + claims - equity))}",
              f"Summa eget kapital och skulder\t{kr(-(cash + claims))}"]
    return lines


# ---------------------------------------------------------------- noise


def with_furniture(rng: random.Random, lines: list[str], marker: Callable[[], list[str]],
                   every: tuple[int, int] = (25, 55)) -> list[str]:
    """Page breaks: furniture every so many lines, now and then in the middle of a sentence."""
    out: list[str] = []
    countdown = rng.randint(*every)
    for line in lines:
        countdown -= 1
        if countdown > 0:
            out.append(line)
            continue
        countdown = rng.randint(*every)
        if len(line) > 160 and "\t" not in line and rng.random() < 0.5:
            cut = line.rfind(" ", 0, rng.randint(60, len(line) - 40))
            if cut > 0:
                out += [line[:cut], "", *marker(), "", line[cut + 1:]]
                continue
        out += [line, "", *marker(), ""]
    return out


def initials(person: Person) -> str:
    return "".join(part[0] for part in person.name.split()).lower()


def e_sign_trailer(rng: random.Random) -> list[str]:
    pages = rng.randint(4, 16)
    return ["", *[line.format(pages=pages) for line in E_SIGN_TRAILER[: rng.randint(2, len(E_SIGN_TRAILER))]]]


def _decision_texts(item: Item) -> list[str]:
    return [d.full for d in item.decisions]


def _grant_title(item: Item, family: str) -> str:
    if family == "A":
        return f"Beslut om finansiering av insats, Dnr: {item.dnr} {item.grant_name}"
    if family == "B":
        return f"Ansökan om medel – {item.grant_name} ({item.dnr})"
    if family == "E":
        return f"Ansökan om finansiering – {item.grant_name}, Dnr {item.dnr}"
    return f"Ansökan – {item.grant_name}"


def _title(item: Item, family: str) -> str:
    return _grant_title(item, family) if item.kind == "grant" else item.title


def _next_text(m: Meeting, family: str) -> str:
    day, town, _, _ = m.plan[0]
    if family == "D":
        return f"{day.day} {MONTHS[day.month - 1]} i {town}."
    return f"Nästa sammanträde äger rum {WEEKDAYS[day.weekday()]} den {long_date(day)} i {town}."


# ---------------------------------------------------------------- family A: seed 000


def render_a(rng: random.Random, m: Meeting) -> list[str]:
    fb = m.fb
    electronic = rng.random() < 0.5
    lines = [
        "", f"Protokoll – styrelsen för {fb.name}", "",
        f"Plats\t{m.place}",
        f"Tid\t{long_date(m.date)}, kl. {m.start}-{m.end}",
        f"Paragrafer\t§§ {m.first_number}-{m.last_number}",
        "Beslutande\tEnligt förteckning",
        f"Övriga deltagare\t{fb.chief.name}, förbundschef {fb.developer.name}, verksamhetsutvecklare",
        f"Utses att justera\t{m.justerare.name}",
        f"Justering\tSenast {m.deadline.isoformat()}"
        + (" (justeringsdatum framgår av elektronisk justering)" if electronic else ""),
        f"Underskrifter\t{fb.chief.name} Sekreterare {fb.chair.name} Ordförande {m.justerare.name} Justerande", "",
        f"Justering av detta protokoll tillkännages genom anslag på förbundets, kommunernas och {fb.region}s "
        "anslagstavlor under tre veckor från justeringsdagen.", "",
        f"Förvaringsplats: {fb.name}.", "",
        "Justerandes signatur:\tUtdragsbestyrkande:", "", "",
        "Ledamöter:\tUtsedd av:\tBeslutande\tNärvaro",
    ]
    for i, seat in enumerate(fb.seats):
        here = i not in m.absent
        lines.append(f"{seat.ledamot.with_party()}\t{seat.body}\t{'X' if here else ''}\t{'X' if here else ''}")
    lines.append("Ersättare:\tUtsedd av:\tBeslutande\tNärvaro")
    for i, seat in enumerate(fb.seats):
        voting = "X" if i in m.absent else ""
        present = "X" if i in m.absent or rng.random() < 0.2 else ""
        lines.append(f"{seat.ersattare.with_party()}\t{seat.body}\t{voting}\t{present}")
    lines += ["", "Justerandes signatur:\tUtdragsbestyrkande:", ""]
    body: list[str] = []
    for number, item in enumerate(m.items, start=m.first_number):
        gap = "" if rng.random() < 0.05 else " "  # "§13" happens in the seeds
        body += [f"§{gap}{number} {_title(item, 'A')}", ""]
        for text in item.body:
            body += [text, ""]
        if item.kind == "plan":
            body += [*plan_lines(m.plan, "A"), ""]
        if item.kind == "next":
            body += [_next_text(m, "A"), ""]
        if item.motion:
            body += ["Yrkande", "", item.motion, ""]
        texts = _decision_texts(item)
        if texts and item.proposal:
            body += ["Förslag till beslut", ""] + [x for t in texts for x in (t, "")]
        if texts:
            body += ["Beslut", ""] + [x for t in texts for x in (t, "")]
        if item.basis:
            body += ["Underlag för beslut", ""] + [x for t in item.basis for x in (t, "")]
    lines += with_furniture(rng, body, lambda: ["Justerandes signatur:\tUtdragsbestyrkande:"])
    if rng.random() < 0.4:
        t = make_tertial(rng, fb, m.date.year, 4 if m.date.month < 9 else 8)
        report = [
            "", "", f"{fb.name.upper().replace('SAMORDNINGSFÖRBUNDET ', 'SAMORDNINGSFÖRBUNDET' + chr(10))}", "",
            f"Tertialuppföljning {t.as_of.isoformat()}", "",
            *tertial_text(rng, fb, t, markdown=False),
        ]
        lines += with_furniture(rng, report, lambda: ["Justerandes signatur:\tUtdragsbestyrkande:"])
    if rng.random() < 0.5:
        lines += e_sign_trailer(rng)
    return lines


# ---------------------------------------------------------------- family B: seed 001


def render_b(rng: random.Random, m: Meeting) -> list[str]:
    fb = m.fb
    with_plan = rng.random() < 0.5
    stamp = m.justering + dt.timedelta(days=1)
    voters = []
    for i, seat in enumerate(fb.seats):
        person = seat.ersattare if i in m.absent else seat.ledamot
        extra = ", ordförande" if i == fb.chair_index else ""
        if rng.random() < 0.1:
            extra += f", §§ {m.first_number}-{max(m.first_number, m.last_number - 2)}"
        voters.append(f"{person.name}, {seat.body}{extra}")
    lines = [
        "", f"{fb.kommuner[0].upper()}", "Ankom", f"{stamp.year} -{stamp.month:02d}- {stamp.day:02d}", "",
        "Till", _join(fb.kommuner), fb.region, "Arbetsförmedlingen och Försäkringskassan", "", " ",
        "Protokoll" + (f" och Verksamhetsplan {m.date.year + 1}" if with_plan else ""), "",
        "Härmed översänds det senaste justerade styrelseprotokollet från förbundet.",
        "Enligt antagen förbundsordning § 10 ska styrelseprotokolls justering anslås på berörda kommuners och "
        "regionens anslagstavla.", "",
        f"{fb.towns[0]} {m.justering.isoformat()}", "", "", "", fb.chief.name, "", "Förbundschef", "",
        f"www.{fb.domain}", "",
        f"Plats och tid\tStyrelsemöte {WEEKDAYS[m.date.weekday()]}en den {long_date(m.date)}, "
        f"kl {m.start}-{m.end} Mötet hölls {'i Teams' if m.place == 'Teams' else 'på ' + m.place}",
        "Beslutande\t" + " ".join(voters),
        f"Övriga närvarande\t{fb.chief.name}, förbundschef {fb.developer.name}, verksamhetsutvecklare", "",
        f"Utses att justera {m.justerare.name} Paragrafer", "",
        f"Justeringens plats och tid {m.justering.isoformat()} "
        + rng.choice(["digitalt", "på förbundets kansli"]), "",
        "Under-", "skrifter", "",
        "Sekreterare\t_____", f"\t{fb.chief.name}", "Ordförande\t_____", f"\t{fb.chair.name}",
        "Justerande\t_____", f"\t{m.justerare.name}", "",
        "ANSLAG/BEVIS", "", "Protokollet är justerat. Justeringen har tillkännagivits genom anslag", "",
        f"Organ {fb.name}", "", f"Datum för sammanträdet {m.date.isoformat()}", "",
        f"Datum för anslags uppsättande\t{m.posted.isoformat()}\tDatum för anslags nedtagande\t{m.removed.isoformat()}",
        "-------------------------------\t------------\t------------------------------\t------------", "",
        f"Förvaringsplats för protokollet Samordningsförbundets kansli, {fb.office}", "",
        "Underskrift _____", f"{fb.chief.name}, förbundschef", "", "Justerandes sign", "", "Utdragsbestyrkande", "",
    ]
    for number, item in enumerate(m.items, start=m.first_number):
        lines += [f"§ {number}. **{_title(item, 'B')}**", ""]
        for text in item.body:
            lines += [text, ""]
        if item.kind == "plan":
            lines += [f"Årshjul {m.plan[0][0].year}:", "", *plan_lines(m.plan, "B"), ""]
        if item.kind == "next":
            lines += [_next_text(m, "B"), ""]
        atts = [d.att for d in item.decisions]
        if len(atts) == 1:
            lines += [f"Styrelsen beslutade att {atts[0]}.", ""]
        elif atts:
            lines += ["Styrelsen beslutade", ""] + [x for a in atts for x in (f"att {a}", "")]
    for person, role in [(fb.chief, "Förbundschef"), (fb.chair, "ordförande"), (m.justerare, "Justerare")]:
        clock = f"{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        lines += ["", f"{fb.name.upper()} 222000-{rng.randint(1000, 9999)} Sverige", "",
                  f"Signerat med {rng.choice(['E-signering', 'SMS', 'BankID'])}", "",
                  f"{m.justering.isoformat()} {clock} UTC", "", person.name, role, "", "Datum", "",
                  "Leveranskanal: E-post"]
    if with_plan:
        lines += ["", *plan_document(rng, fb, m.date.year + 1, m.date, m.first_number + len(m.items) - 2)]
    return lines


def plan_document(rng: random.Random, fb: Forbund, year: int, adopted: dt.date, paragraph: int) -> list[str]:
    pb = make_plan_budget(rng, fb, year)
    totals = pb.totals()
    return [
        f"VERKSAMHETSPLAN {year} **med budget {year} och plan {year + 1}-{year + 2}**", "",
        f"för {fb.name}", "", f"(dnr {dnr(rng, fb, year - 1)})", "", "",
        "1. Inledning", "",
        f"{fb.name} arbetar enligt lag (2003:1210) om finansiell samordning inom rehabiliteringsområdet (Finsam).",
        "",
        f"Förbundet är en fristående juridisk person som består av {len(fb.members)} medlemmar: "
        f"{_join(fb.members)}.", "",
        "2. Organisation", "",
        f"Samordningsförbundet leds av en styrelse med en ledamot och en ersättare från respektive medlem. "
        f"Ordförande är {fb.chair.name} och vice ordförande {fb.vice.name}. Förbundschef är {fb.chief.name}.", "",
        f"3. Budget {year} och plan {year + 1}-{year + 2}", "",
        "Lagstiftningen innebär en fast fördelning av bidragen till förbundet: 50% ska betalas av staten genom "
        "Försäkringskassan, 25% av regionen och 25% av berörda kommuner.", "",
        f"Budgeten för {year} visar ett resultat om {kr(totals['result'][2])} kr. "
        f"Beräknat kapital vid årets slut uppgår till {kr(totals['end'][2])} kr.", "",
        *plan_table(rng, fb, pb), "",
        "Fotnoter", "",
        "- a) Fördelningen mellan kommunerna grundar sig på invånarantalet 1 november året innan respektive "
        "budgetår", "",
        f"Verksamhetsplanen fastställdes av styrelsen {adopted.isoformat()}, § {paragraph}.",
    ]


# ---------------------------------------------------------------- family C: seed 002


def render_c(rng: random.Random, fb: Forbund, year: int) -> list[str]:
    t = make_tertial(rng, fb, year, rng.choice([4, 8]))
    header = fb.name.upper().replace("SAMORDNINGSFÖRBUNDET ", "SAMORDNINGSFÖRBUNDET  \n")
    lines = ["", "", "", "", header, "", f"TERTIALUPPFÖLJNING  \n{t.as_of.isoformat()}", "", "", ""]
    if rng.random() < 0.4:
        lines += [f"*Handwritten initials in blue ink, possibly '{initials(fb.chief).upper()}'.*", ""]
    return lines + tertial_text(rng, fb, t, markdown=True)


# ---------------------------------------------------------------- family D: seed 003


def render_d(rng: random.Random, m: Meeting) -> list[str]:
    fb = m.fb
    present = [i for i in range(len(fb.seats)) if i not in m.absent]
    leaver = rng.choice(present) if rng.random() < 0.3 and len(m.items) > 6 else None
    lines = ["", "", "", f"Protokoll från styrelsemöte för {fb.name}", "", f"Datum: {m.date.isoformat()}", "",
             f"Plats: {m.place}", ""]
    first = True
    for i in present:
        seat = fb.seats[i]
        text = f"{seat.ledamot.name}, {seat.body}"
        if rng.random() < 0.15:
            text += ", digital närvaro."
        lines.append(("Närvarande ordinarie ledamöter: " if first else "") + text)
        first = False
        if i == leaver:
            lines.append(f"Avvek kl. 11.{rng.randint(10, 50)} och deltog ej vid "
                         f"§{m.last_number - 3}-{m.last_number}.")
    lines += ["", f"Övriga: {fb.chief.name}, förbundschef", f"{fb.developer.name}, verksamhetsutvecklare", "",
              f"Utses att justera: {m.justerare.name}", "", "Underskrifter:", "",
              fb.chair.name, "Ordförande", "", m.justerare.name, "Justerare", "", fb.chief.name, "Förbundschef", "",
              "BEVIS OM ANSLAG", "",
              "Justering av Samordningsförbundets protokoll har tillkännagivits genom anslag på huvudmännens "
              "anslagstavla", "", "Sammanträdesdatum", m.date.isoformat(), ""]
    if rng.random() < 0.4:
        lines += ["Justeringsdatum", m.justering.isoformat(), ""]
    lines += ["Anslaget uppsatt den", m.posted.isoformat(), "", "Anslag nedtas den", m.removed.isoformat(), "",
              f"Förvaringsplats för protokollet är {fb.kommuner[0]}", "",
              f"Protokollet omfattar §{m.first_number}-{m.last_number}", "", fb.chief.name, "Förbundschef", "", "", ""]
    body: list[str] = []
    for number, item in enumerate(m.items, start=m.first_number):
        style = rng.random()
        title = _title(item, "D")
        if style < 0.7:
            body += [f"§ {number}" if rng.random() < 0.85 else f"§{number}", "", title, ""]
        elif style < 0.9:
            body.append(f"§ {number} {title}")
        else:
            body.append(f"- § {number} **{title}**")
        tight = style >= 0.7
        for text in item.body:
            body += [text] if tight else [text, ""]
        if item.kind == "plan":
            body += plan_lines(m.plan, "D") + ([] if tight else [""])
        if item.kind == "next":
            body += [_next_text(m, "D")] + ([] if tight else [""])
        if item.decisions:
            body += ["Samordningsförbundet beslutar:"] + ([] if tight else [""])
            for d in item.decisions:
                body += [f"Att {d.att}."] + ([] if tight else [""])
        if tight:
            body.append("")
    ini = f"{initials(fb.chair)}"
    marks = [ini, f"{ini} *{initials(m.justerare).upper()}*", f"{ini} *{rng.randint(2, 20)}.*"]
    lines += with_furniture(rng, body, lambda: [rng.choice(marks), "", "", ""], every=(30, 50))
    return lines


# ---------------------------------------------------------------- family E: seed 004


def render_e(rng: random.Random, m: Meeting) -> list[str]:
    fb = m.fb
    later = m.plan[0][0] if m.plan else next_working_day(m.date + dt.timedelta(weeks=rng.randint(4, 10)))
    agenda = ["Mötets öppnande", "Godkännande av dagordning", "Val av justerare", "Föregående protokoll (Bilaga 1)",
              "Ekonomirapport",
              f"Rapport tertial 2 {later.year if later.month >= 9 else later.year - 1} – beslut (bilaga 2)",
              "Övriga frågor",
              "Mötets avslutande"]
    lines = ["", "KALLELSE FÖREDRAGNINGSLISTA", "",
             f"Styrelsens sammanträde {later.isoformat()} klockan ca 13.00 – 15.00",
             f"Lokal: {rng.choice(fb.towns)}s kommunhus", ""]
    for i, point in enumerate(agenda, start=1):
        lines += [f"{i}. {point}", ""]
    voters = [(fb.seats[i].ersattare if i in m.absent else fb.seats[i].ledamot, fb.seats[i].body)
              for i in range(len(fb.seats))]
    lines += [
        "PROTOKOLL", "", "Sammanträdesdatum", "", fb.name, "", m.date.isoformat(), "", " ",
        f"Plats och tid\t{m.place}, klockan {m.start}-{m.end}\t",
        "Beslutande\t" + " ".join(p.name for p, _ in voters) + "\t"
        + " ".join(body + (", ordförande" if p == fb.chair else "") for p, body in voters),
        f"Övriga deltagare\t{fb.chief.name}\tFörbundschef", "",
        "Sekreterare", "", "", "", " ", fb.chief.name, "", "Ordförande", "", "", "", fb.chair.name, "",
        "Justerare", "", "", "", m.justerare.name, "", "BEVIS", "",
        f"Justeringen har tillkännagivits genom anslag hos {fb.region} samt {_join(fb.kommuner)}.", "", " ",
        fb.name, "",
        f"Sammanträdesdatum: {m.date.isoformat()} Justeringsdatum: {m.justering.isoformat()}", "",
        f"Datum för anslags uppsättande: {m.posted.isoformat()} Datum för anslags nedtagande: {m.removed.isoformat()}",
        "", "Protokollet förvaras på Samordningsförbundets kansli.", "", "Underskrift", "", "", "", fb.chief.name, "",
    ]
    for number, item in enumerate(m.items, start=m.first_number):
        lines += [f"§ {number} {_title(item, 'E')}", ""]
        if len(item.body) > 1 and rng.random() < 0.5:
            lines += ["Bakgrund", ""]
        for text in item.body:
            lines += [text, ""]
        if item.kind == "plan":
            lines += [*plan_lines(m.plan, "E"), ""]
        if item.kind == "next":
            lines += [_next_text(m, "E"), ""]
        if item.decisions:
            lines += ["Beslut", ""] + [x for d in item.decisions for x in (d.full, "")]
    if rng.random() < 0.6:  # the report the kallelse puts on the agenda, for the last T2 before it
        year = later.year if later.month >= 9 else later.year - 1
        lines += ["", "", *t2_report(rng, fb, make_plan_budget(rng, fb, year), year, later)]
    return lines


# ---------------------------------------------------------------- family F: a plan alone


def render_f(rng: random.Random, fb: Forbund, year: int) -> list[str]:
    adopted = next_working_day(dt.date(year - 1, rng.choice([10, 11, 12]), rng.randint(1, 20)))
    return ["", "", *plan_document(rng, fb, year, adopted, rng.randint(40, 140))]


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class GeneratedDocument:
    path: Path
    organisation: str
    family: str
    kind: str


FAMILIES = [("A", 22), ("B", 15), ("C", 12), ("D", 25), ("E", 12), ("F", 14)]
KINDS = {"A": "protokoll", "B": "protokoll", "C": "tertialuppfoljning", "D": "protokoll", "E": "protokoll",
         "F": "verksamhetsplan"}


def make_document(seed: int, index: int, pool: list[Forbund]) -> tuple[Forbund, str, str]:
    """One document: (förbund, family, text). Depends on the seed and the index only."""
    rng = random.Random(f"{seed}:{index}")
    fb = rng.choice(pool)
    family = rng.choices([f for f, _ in FAMILIES], weights=[w for _, w in FAMILIES])[0]
    year = rng.randint(2019, 2026)
    if family == "C":
        lines = render_c(rng, fb, year)
    elif family == "F":
        lines = render_f(rng, fb, year)
    else:
        meeting = build_meeting(rng, fb, year)
        lines = {"A": render_a, "B": render_b, "D": render_d, "E": render_e}[family](rng, meeting)
    prose = [i for i, line in enumerate(lines) if len(line) > 60 and "\t" not in line]
    if prose and rng.random() < 0.05:  # extraction sometimes repeats a sentence (never a table row)
        at = rng.choice(prose)
        lines.insert(at, lines[at])
    return fb, family, "\n".join(lines) + "\n"


def generate(n: int, out_dir: Path | str, seed: int = 1) -> list[GeneratedDocument]:
    """Writes n documents to out_dir (created if missing) and says what each one is."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pool = forbund_pool(seed)
    written = []
    for index in range(n):
        fb, family, text = make_document(seed, index, pool)
        slug = re.sub(r"[^a-z0-9]+", "_", fb.short.lower().translate(str.maketrans("åäö", "aao"))).strip("_")
        path = out / f"{index:05d}_{KINDS[family]}_{slug}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(GeneratedDocument(path, fb.name, family, KINDS[family]))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write fictional board documents shaped like the seeds.")
    parser.add_argument("--count", type=int, default=1000, help="how many documents (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write them to")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--families", action="store_true",
                        help="write --count protocols per layout family instead (scripts/layout_families.py), "
                             "each with its ground truth <name>.yaml")
    parser.add_argument("--formats", default="txt", help="with --families: txt,pdf,docx,scan (comma-separated)")
    parser.add_argument("--held-out-split", type=int, default=None,
                        help="with --families: which held-out documents (default: the current, unseen split; "
                             "1 is the first, spent split)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more")
    if args.families:
        return _families(args.count, args.out, args.seed, args.formats.split(","), args.held_out_split)
    docs = generate(args.count, args.out, args.seed)
    size = sum(d.path.stat().st_size for d in docs)
    families = {f: sum(1 for d in docs if d.family == f) for f, _ in FAMILIES}
    print(f"wrote {len(docs)} documents ({size / 1e6:.1f} MB) to {args.out}; "
          + ", ".join(f"{f}={c}" for f, c in families.items()))
    return 0


def _families(count: int, out: Path, seed: int, formats: list[str], held_out_split: int | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from layout_families import FORMATS, HELD_OUT_SPLIT, generate_families, render_case

    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        print(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})", file=sys.stderr)
        return 2
    split = HELD_OUT_SPLIT if held_out_split is None else held_out_split
    cases = generate_families(count, out, seed, formats, render=render_case, held_out_split=split)
    held = sum(c.held_out for c in cases)
    print(f"wrote {len(cases)} cases × {len(formats)} formats to {out} ({held} cases held out, split {split})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
