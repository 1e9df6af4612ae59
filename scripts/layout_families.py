"""The same board facts written in many layouts, with their ground truth, to score the reader.

Each case is one protocol (in korthet, a news item) of an invented board: its organisation,
meeting date, time and place, chair, secretary and justerare, its §§ with titles, its
attendance, and in the money family a table of figures. A case varies one thing the way real
boards do (a layout family):

- paragrafer: "§ 12", "§12", "12 §", an organisation's prefix ("Sfb 41"), "Paragraf 45", a bare
  number and title, a § line ending in the case number with the title on the next line;
- sidhuvud: page furniture repeated on every page, also inside a § (the body's name,
  "Protokoll nr 7", "Sammanträdesdatum …", "3 (21)", "Justerandes sign");
- rubrikfalt: header fields inline ("Plats: …"), in two columns, or label above value;
- justering: justering as its own § in a sentence, the chair named only in running text;
- narvaro: attendance as "Namn (Parti)" under Ledamöter / Tjänstgörande ersättare / Övriga
  ersättare;
- narvarolista: who was present at which §§: an appendix table (Namn / Parti or Organisation /
  Ledamot–Ersättare / Närvarande §§ / a note "Lämnade sammanträdet efter § 12", "Kom kl 14.10
  under § 5"), the header's tables under Ledamöter and Ersättare with the same columns, or
  running text in the § ("Anna Berg (S) lämnar sammanträdet kl 15.00 under § 14", "… deltar
  inte i handläggningen av § 8 på grund av jäv");
- tvanummer: fullmäktige's protocol, each matter also under the kommunstyrelse's § ("KF § 88
  KS § 41" on the § line, "(KS § 41)" after the title, "Kommunstyrelsen 2019-04-02, § 41" first
  in the body): both citations kept, one matter;
- korthet: decisions published as a news item ("Beslut i korthet från styrelsemötet …"): a date,
  a heading per decision (or a bullet), no §, and a publishing date that is not the meeting's;
- forbundsnamn: the name forms of förbund and municipal bodies, a neighbour named in a §;
- datum: "2018-03-14", "14 mars 2018", "14/3 2018", "180314", "onsdagen den 14 mars 2018";
- belopp: a table in kr, tkr or mnkr with subtotals, and negatives as "-", "−" or "( )".

Formats: txt, pdf (placed columns, no tabs; furniture as running heads), docx (Word tables) and
scan (the PDF as page images, read by OCR). One case in three (by index) is held out: its
results are reported only as totals, so the reader is not tuned to it. Once a held-out split
has been looked at it is spent: HELD_OUT_SPLIT (or --held-out-split) names the current one, and
an earlier one can still be written to compare against.

    python scripts/generate_documents.py --families --count 6 --formats txt,pdf,docx --out DIR
    python scripts/score_layouts.py DIR
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storage.swedish import MONTH_NAMES, WEEKDAY_NAMES

FAMILIES = ["paragrafer", "sidhuvud", "rubrikfalt", "justering", "narvaro", "narvarolista", "tvanummer",
            "korthet", "forbundsnamn", "datum", "belopp"]
FORMATS = ["txt", "pdf", "docx", "scan"]
HELD_OUT_EVERY = 3  # case index % 3 == 2 is held out
# Which documents the held-out cases are. A split is spent once its misses have been looked at
# (split 1 was, for a scanned förbund name form): the next one draws new held-out documents
# from their own random stream, while the dev cases stay the same documents.
HELD_OUT_SPLIT = 2

# Written with the names the readers read (storage.swedish, from babel).
MONTHS = MONTH_NAMES
WEEKDAYS = [f"{w}en" for w in WEEKDAY_NAMES]  # "onsdagen den 14 mars"
STEMS = ["Tjärn", "Myr", "Lom", "Hjort", "Orr", "Kvarn", "Sälg", "Rönn", "Hassel", "Ljung", "Näver", "Tall",
         "Lind", "Ask", "Björk", "Gran", "Sjö", "Älv", "Strand", "Hed"]
SUFFIXES = ["vik", "backa", "åsen", "dal", "holm", "by", "fors", "näs", "sund", "torp", "berga", "mark"]
FIRST = ["Agnes", "Anders", "Annika", "Arvid", "Berit", "Carl", "Elin", "Erik", "Frida", "Gunnar", "Hanna",
         "Ida", "Ingrid", "Jonas", "Karin", "Leif", "Lina", "Magnus", "Maria", "Nils", "Olof", "Petra", "Sara",
         "Sten", "Tove", "Ulla", "Viktor", "Åsa", "Oskar", "Vera"]
LAST = ["Ström", "Berg", "Lund", "Gren", "Qvist", "Mark", "Dahl", "Holm", "Fors", "Bäck", "Sjö", "Stedt"]
PARTIES = ["S", "C", "M", "KD", "V", "L", "MP", "SD"]
TITLES = ["Mötets öppnande", "Val av justerare", "Godkännande av dagordning", "Ekonomisk uppföljning",
          "Information från förbundschefen", "Remiss om lokal samverkan", "Internkontrollplan",
          "Delegationsbeslut", "Mötets avslutande"]
# One matter under two §§ (kommunstyrelsen's, then fullmäktige's): (§ line, first line of the body).
TWO_NUMBER_FORMS = {
    "rad": ("KF § {n}\tKS § {m}\tDnr {dnr}\n{t}", ""),
    "parentes": ("§ {n} {t} (KS § {m})", ""),
    "brodtext": ("§ {n} {t}", "Kommunstyrelsen {day}, § {m}"),
    "forkortning": ("§ {n} {t}", "KS § {m}"),
}
# Justering as its own § in a sentence, and the chair named only in running text.
JUSTERING_TITLES = ["Val av justerare", "Justering", "Justering av protokollet", "Val av justerare och tid för justering"]
JUSTERING_FORMS = ["Protokollet justeras den {date} av {a} och {b}.",
                   "Att jämte ordföranden justera protokollet utses {a} och {b}. Justering sker den {date}.",
                   "Protokollet ska justeras den {date}. Till justerare utses {a} och {b}.",
                   "{a} och {b} utses att justera protokollet den {date}."]
CHAIR_FORMS = ["Ordföranden {chair} hälsade alla välkomna och förklarade mötet öppnat.",
               "Mötet öppnades av ordföranden {chair}, som hälsade alla välkomna.",
               "Styrelsens ordförande {chair} förklarade sammanträdet öppnat."]
BODIES = ["{t} kommun", "Region {r}", "Försäkringskassan", "Arbetsförmedlingen"]


@dataclass
class Person:
    name: str
    party: str

    def with_party(self) -> str:
        return f"{self.name} ({self.party})"


@dataclass
class Case:
    family: str
    index: int
    stem: str
    text: str
    truth: dict[str, Any]
    running_head: str = ""
    held_out: bool = False
    variant: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _town(rng: random.Random) -> str:
    return rng.choice(STEMS) + rng.choice(SUFFIXES)


def _people(rng: random.Random, n: int) -> list[Person]:
    used: set[str] = set()
    people: list[Person] = []
    while len(people) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.choice(['', 'er', 'ing', 'son'])}"
        if name not in used:
            used.add(name)
            people.append(Person(name, rng.choice(PARTIES)))
    return people


def _long(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _date_forms(day: dt.date) -> dict[str, str]:
    return {"iso": day.isoformat(), "long": _long(day), "slash": f"{day.day}/{day.month} {day.year}",
            "yymmdd": day.strftime("%y%m%d"), "weekday": f"{WEEKDAYS[day.weekday()]} den {_long(day)}"}


def _org_forms(town: str, other: str) -> list[tuple[str, str]]:
    """(written name, the name the truth expects); the reader keys both the same way."""
    return [(f"Samordningsförbundet {town}", f"Samordningsförbundet {town}"),
            (f"{town} samordningsförbund", f"Samordningsförbundet {town}"),
            (f"{town if town.endswith('s') else town + 's'} samordningsförbund", f"Samordningsförbundet {town}"),
            (f"Finsam {town}", f"Samordningsförbundet {town}"),
            (f"FINSAM i {town}", f"Samordningsförbundet {town}"),
            (f"Samordningsförbundet {town}–{other}", f"Samordningsförbundet {town}–{other}"),
            (f"{town} kommun\nKommunstyrelsen", f"{town} kommun, kommunstyrelsen"),
            (f"Socialnämnden i {town} kommun", f"{town} kommun, socialnämnden")]


def make_case(family: str, index: int, seed: int, held_out_split: int = HELD_OUT_SPLIT) -> Case:
    held_out = index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
    stream = f"{seed}:{family}:{index}"
    rng = random.Random(stream if not held_out or held_out_split <= 1 else f"{stream}:held-out-{held_out_split}")
    town, other, neighbour = _town(rng), _town(rng), _town(rng)
    while other == town or neighbour in (town, other):
        other, neighbour = _town(rng), _town(rng)
    day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 7 * 365))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    if family == "korthet":
        return _notice_case(rng, family, index, town, day)
    start_h = rng.choice([9, 10, 13, 14])
    end_h = start_h + rng.choice([1, 2, 3])
    start, end = dt.time(start_h, rng.choice([0, 30])), dt.time(end_h, rng.choice([0, 15, 30]))
    place = f"{rng.choice(['Kommunhuset', 'Förbundskansliet', 'Stadshuset'])}, {town}"
    members = _people(rng, 9)
    chair, secretary_p, justerare_p = members[0], members[7], members[1]
    ledamoter, ersattare = members[:5], members[5:7]
    bodies = [f"{town} kommun", f"{other} kommun", f"Region {town}land", "Försäkringskassan", "Arbetsförmedlingen"]
    first_number = rng.randrange(1, 180)
    titles = rng.sample(TITLES[2:-1], rng.randrange(2, 5))
    if family == "belopp" and "Ekonomisk uppföljning" not in titles:
        titles[0] = "Ekonomisk uppföljning"
    titles = [TITLES[0], TITLES[1], *titles, TITLES[-1]]
    numbers = list(range(first_number, first_number + len(titles)))
    org_written, org_truth = f"Samordningsförbundet {town}", f"Samordningsförbundet {town}"
    variant = ""
    if family == "tvanummer":
        # Fullmäktige's protocol of matters the kommunstyrelse prepared: each under both §§.
        org_written, org_truth = f"{town} kommun\nKommunfullmäktige", f"{town} kommun, kommunfullmäktige"
    if family == "forbundsnamn":
        org_written, org_truth = rng.choice(_org_forms(town, other))
        variant = org_written.replace(town, "X").replace(other, "Y").replace("\n", "/")
    dates = _date_forms(day)
    date_text = dates["long"]
    if family == "datum":
        variant = rng.choice(list(dates))
        date_text = dates[variant]
    hhmm = f"{start.strftime('%H.%M')}–{end.strftime('%H.%M')}"

    # --- header
    header: list[tuple[str, str]] = [("Sammanträdesdatum", date_text), ("Plats", place), ("Tid", f"kl. {hhmm}"),
                                      ("Ordförande", chair.name), ("Sekreterare", secretary_p.name),
                                      ("Justerare", justerare_p.name)]
    justering_sentence = family == "justering"
    if justering_sentence:
        header = [h for h in header if h[0] not in ("Ordförande", "Justerare")]
    style = "tab"
    if family == "rubrikfalt":
        style = rng.choice(["inline", "tab", "above"])
        variant = style
    board = "kommunfullmäktiges" if family == "tvanummer" else "styrelsens"
    lines = [org_written, "", f"Protokoll från {board} sammanträde {date_text}", ""]
    for label, value in header:
        if style == "inline":
            lines += [f"{label}: {value}"]
        elif style == "above":
            lines += [label, value, ""]
        else:
            lines += [f"{label}\t{value}"]
    lines.append("")

    # --- attendance
    attendance_truth: list[dict[str, Any]] = []
    presence = _presence(rng, members[:7], numbers, start, end) if family == "narvarolista" else {}
    if family == "narvarolista":
        variant = _variant_for(index, ["löptext", "bilaga", "rubriktabell"])
    if variant == "bilaga":
        lines += ["Närvaro\tSe bilaga 1, närvarolista", ""]
    elif variant == "rubriktabell":
        table, attendance_truth = _attendance_header_table(rng, members[:7], presence)
        lines += table
    elif family == "narvaro":
        variant = "rubriker"
        lines += ["Ledamöter"]
        for p in ledamoter:
            lines.append(p.with_party() + (", ordförande" if p is chair else ""))
            attendance_truth.append({"name": p.name, "role": "ledamot", "party": p.party})
        lines += ["", "Tjänstgörande ersättare", ersattare[0].with_party(), "", "Övriga ersättare",
                  ersattare[1].with_party(), ""]
        attendance_truth += [{"name": ersattare[0].name, "role": "ersättare", "party": ersattare[0].party},
                             {"name": ersattare[1].name, "role": "ersättare", "party": ersattare[1].party}]
    else:
        lines.append("Ledamöter:\tUtsedd av:\tBeslutande")
        for p, body in zip(ledamoter, bodies, strict=False):
            lines.append(f"{p.with_party()}\t{body}\tX")
            attendance_truth.append({"name": p.name, "role": "ledamot", "party": p.party, "member_body": body})
        lines.append("Ersättare:\tUtsedd av:\tBeslutande")
        for p, body in zip(ersattare, bodies, strict=False):
            lines.append(f"{p.with_party()}\t{body}\t")
            attendance_truth.append({"name": p.name, "role": "ersättare", "party": p.party, "member_body": body})
        lines.append("")

    # --- paragraphs
    para_style = "§ {n} {t}"
    if family == "paragrafer":
        para_style = rng.choice(["§ {n} {t}", "§{n} {t}", "{n} § {t}", "Sfb {n} {t}", "Paragraf {n}. {t}",
                                 "{n} {t}", "§ {n} Dnr {dnr}\n{t}"])
        variant = para_style.replace("\n", "/")
    # One matter under two §§: the kommunstyrelse's § beside fullmäktige's, as the § line, the
    # title or the first line of the body writes it.
    earlier: dict[int, int] = {}
    ks_day = day - dt.timedelta(days=rng.randrange(14, 40))
    if family == "tvanummer":
        # Every form in the dev split of six cases, and again in the held-out split.
        variant = _variant_for(index, list(TWO_NUMBER_FORMS))
        para_style = TWO_NUMBER_FORMS[variant][0]
        ks_first = rng.randrange(20, 300)
        earlier = {n: ks_first + k for k, n in enumerate(numbers[2:-1])}
    justerare_truth = [justerare_p.name]
    justering_date: dt.date | None = None
    # The justering § and the chair in running text, as boards word them (title, sentence, opener).
    justering_title, justering_form, chair_form = TITLES[1], JUSTERING_FORMS[0], CHAIR_FORMS[0]
    if justering_sentence:
        justering_title = rng.choice(JUSTERING_TITLES)
        justering_form = rng.choice(JUSTERING_FORMS)
        chair_form = rng.choice(CHAIR_FORMS)
        titles[1] = justering_title
        variant = f"{JUSTERING_TITLES.index(justering_title)}/{JUSTERING_FORMS.index(justering_form)}/" \
                  f"{CHAIR_FORMS.index(chair_form)}"
    budget_truth: list[dict[str, Any]] = []
    body_rng = random.Random(f"{seed}:{family}:{index}:body")
    dnrs: dict[int, str] = {}
    for number, title in zip(numbers, titles, strict=False):
        dnr = dnrs[number] = f"{day.year}/{body_rng.randrange(10, 400)}"
        if number in earlier:
            style, first_line = TWO_NUMBER_FORMS[variant]
            lines.append(style.format(n=number, t=title, dnr=dnr, m=earlier[number]))
            lines.append("")
            if first_line:
                lines += [first_line.format(m=earlier[number], day=ks_day.isoformat()), ""]
        else:
            lines.append(("KF § {n} {t}" if variant == "rad" else "§ {n} {t}").format(n=number, t=title) if earlier
                         else para_style.format(n=number, t=title, dnr=dnr))
            lines.append("")
        if title == "Mötets öppnande":
            opener = chair_form.format(chair=chair.with_party()) if justering_sentence else \
                "Ordföranden hälsade alla välkomna och förklarade mötet öppnat."
            lines.append(opener)
        elif title in (TITLES[1], justering_title):
            if justering_sentence:
                second = members[2]
                justerare_truth = [justerare_p.name, second.name]
                jday = day + dt.timedelta(days=body_rng.randrange(3, 10))
                justering_date = jday
                lines.append(justering_form.format(date=_long(jday), a=justerare_p.with_party(),
                                                   b=second.with_party()))
            else:
                lines.append(f"Styrelsen utser {justerare_p.name} att jämte ordföranden justera dagens protokoll.")
        elif title == "Ekonomisk uppföljning" and family == "belopp":
            table, budget_truth, money_variant = _money_table(body_rng, day.year)
            variant = money_variant
            lines.append("Förbundschefen redovisar utfallet hittills och budgeten för året.")
            lines.append("")
            lines += table
        else:
            lines.append(f"Förbundschefen redogör för ärendet. Styrelsen beslutar att lägga informationen om "
                         f"{title.lower()} till handlingarna.")
            if family == "forbundsnamn" and title == titles[2]:
                lines.append(f"Ärendet har beretts tillsammans med Samordningsförbundet {neighbour}.")
        if variant == "löptext":
            lines += [f"{who.with_party()} {event.sentence}" for who, event in presence.values()
                      if event.number == number]
        lines.append("")
    lines += [f"Vid protokollet\t{secretary_p.name}", ""]
    if variant == "bilaga":
        table, attendance_truth = _attendance_appendix(body_rng, members[:7], chair, presence, numbers, bodies)
        lines += table
    for entry in attendance_truth:
        if entry["name"] in presence:
            entry["paragraphs"] = presence[entry["name"]][1].spans
    furniture = ""
    clean = "\n".join(lines) + "\n"
    if family == "sidhuvud":
        variant = "sidhuvud"
        furniture = f"{org_written}\nProtokoll nr {body_rng.randrange(2, 15)}\nSammanträdesdatum {day.isoformat()}"
        lines = _with_furniture(lines, furniture, body_rng)
    text = "\n".join(lines) + "\n"

    truth: dict[str, Any] = {
        "layout_family": family, "layout_variant": variant, "organisation": org_truth, "kind": "protokoll",
        "protocol": {
            "meeting_date": day, "start_time": start.strftime("%H:%M"), "end_time": end.strftime("%H:%M"),
            "place": place, "chair": chair.name, "secretary": secretary_p.name, "justerare": justerare_truth,
            **({"justering_date": justering_date} if justering_date else {}),
            "paragraphs": [[n, t, *([dnrs[n]] if "{dnr}" in para_style and (not earlier or n in earlier) else [])]
                           for n, t in zip(numbers, titles, strict=False)],
            **({"paragraph_also": [[n, f"KS § {m}"] for n, m in earlier.items()]} if earlier else {}),
            "attendance": attendance_truth,
            "attendance_fields": ["role", "party"] + ([] if family == "narvaro" else ["member_body"])
            + (["paragraphs"] if family == "narvarolista" else []),
        },
        "budget": budget_truth,
    }
    # A word processor puts the furniture in the page head; the text version has it inline.
    return Case(family, index, f"{family}_{index:03d}", text, truth, running_head=furniture,
                held_out=held_out, variant=variant,
                extra={"page_text": clean})


# "Beslut i korthet": a news item on the förbund's website: a date, a heading, the decisions, no §.
NOTICE_HEADINGS = ["Beslut i korthet från styrelsemötet {date}", "Styrelsens beslut {date}",
                   "Nytt från styrelsemötet {date}", "Kort om styrelsens sammanträde {date}", "Beslut i korthet"]
NOTICE_DECISIONS = [
    ("Verksamhetsplan {next}", "Styrelsen fastställde verksamhetsplan och budget för {next}."),
    ("Ny insats: {insats}", "Styrelsen beslutade att bevilja {amount} kronor till insatsen {insats} under {next}."),
    ("Internkontrollplan", "Styrelsen godkände internkontrollplanen för {year}."),
    ("Årsredovisning {last}", "Styrelsen godkände årsredovisningen för {last} och överlämnar den till medlemmarna."),
    ("Ny förbundschef", "Styrelsen utsåg {name} till ny förbundschef från och med den 1 {month}."),
    ("Sammanträdesplan {next}", "Styrelsen antog sammanträdesplanen för {next}."),
]
INSATSER = ["Stegvis", "Vägen vidare", "Steget före", "Unga i arbete", "Hälsolyftet", "Nya spår"]


def _notice_case(rng: random.Random, family: str, index: int, town: str, day: dt.date) -> Case:
    """Decisions published as a news item: the meeting's date in the heading (or, under a heading
    without one, in the first sentence), a publishing date that is not the meeting's, and each
    decision under a heading of its own or as a bullet."""
    dates = _date_forms(day)
    date_text = dates[rng.choice(["long", "iso", "weekday"])]
    heading = rng.choice(NOTICE_HEADINGS)
    style = ["rubriker", "punkter"][index % 2]
    published = day + dt.timedelta(days=rng.randrange(1, 6))
    org = rng.choice([f"Samordningsförbundet {town}", f"{town} samordningsförbund"])
    lines = [org, "", "Nyheter", "", heading.format(date=date_text), f"Publicerad {published.isoformat()}", ""]
    place = f"{rng.choice(['Kommunhuset', 'Förbundskansliet'])}, {town}"
    opener = f"Styrelsen sammanträdde den {_long(day)} i {place}." if "{date}" not in heading else \
        "Här är ett urval av besluten från mötet."
    lines += [opener, ""]
    values = {"next": day.year + 1, "year": day.year, "last": day.year - 1, "insats": rng.choice(INSATSER),
              "amount": f"{rng.randrange(10, 60) * 10_000:,}".replace(",", " "),
              "name": " ".join(p.name for p in _people(rng, 1)), "month": MONTHS[rng.randrange(12)]}
    decisions = [(h.format(**values), t.format(**values)) for h, t in rng.sample(NOTICE_DECISIONS, rng.randrange(2, 5))]
    for title, text in decisions:
        lines += [f"• {title}: {text}"] if style == "punkter" else [title, text, ""]
    lines += ["", "Protokollet från mötet publiceras här när det har justerats.", ""]
    truth: dict[str, Any] = {
        "layout_family": family, "layout_variant": f"{style} {NOTICE_HEADINGS.index(heading)}",
        "organisation": f"Samordningsförbundet {town}", "kind": "beslut i korthet", "protocol": None,
        "notice": {"meeting_date": day, "decisions": [list(d) for d in decisions]},
    }
    return Case(family, index, f"{family}_{index:03d}", "\n".join(lines) + "\n", truth,
                held_out=index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1, variant=truth["layout_variant"])


@dataclass
class Presence:
    """When one person came or went, or stood aside for jäv, and the §§ that leaves them."""

    number: int  # the § the event is told at
    sentence: str  # the running text after "Namn (Parti) "
    note: str  # the appendix table's note cell
    spans: str  # the §§ present at, as the truth writes them: "12-14,16"


def _spans(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _presence(rng: random.Random, people: list[Person], numbers: list[int], start: dt.time,
              end: dt.time) -> dict[str, tuple[Person, Presence]]:
    """Two or three people who were present for only some §§: they left after or during a §,
    came during one, or stood aside from one for jäv (always during the matters, never at the
    opening or closing §)."""
    matters = numbers[2:-1]
    arrive = f"{start.hour}.{rng.choice(['10', '25', '40'])}"
    leave = f"{end.hour - 1 if end.minute < 30 else end.hour}.{rng.choice(['05', '20'])}"
    chosen = rng.sample(people[1:], rng.randrange(2, 4))
    out: dict[str, tuple[Person, Presence]] = {}
    for person in chosen:
        kind = rng.choice(["left_after", "left_during", "arrived", "jav"])
        n = rng.choice(matters)
        if kind == "left_after":
            present = [k for k in numbers if k <= n]
            event = Presence(n, rng.choice([f"lämnar sammanträdet efter § {n}.", f"lämnade mötet efter § {n}."]),
                             f"Lämnade sammanträdet efter § {n}", _spans(present))
        elif kind == "left_during":
            present = [k for k in numbers if k < n]
            event = Presence(n, rng.choice([f"lämnar sammanträdet kl {leave} under § {n}.",
                                            f"avviker från sammanträdet kl {leave} under § {n}."]),
                             f"Lämnade kl {leave} under § {n}", _spans(present))
        elif kind == "arrived":
            present = [k for k in numbers if k >= n]
            event = Presence(n, rng.choice([f"kommer kl {arrive} under § {n}.", f"anländer kl {arrive} under § {n}.",
                                            f"ansluter till sammanträdet kl {arrive} under § {n}."]),
                             f"Kom kl {arrive} under § {n}", _spans(present))
        else:
            present = [k for k in numbers if k != n]
            event = Presence(n, rng.choice([f"deltar inte i handläggningen av § {n} på grund av jäv.",
                                            f"anmäler jäv och deltar inte i beslutet under § {n}."]),
                             rng.choice([f"Jäv § {n}", f"Deltog inte i § {n} på grund av jäv"]), _spans(present))
        out[person.name] = (person, event)
    return out


def _variant_for(index: int, variants: list[str]) -> str:
    """The variants in turn within the dev split and again within the held-out split, so six
    cases show each of up to four in dev."""
    held_out = index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
    k = index // HELD_OUT_EVERY if held_out else index - index // HELD_OUT_EVERY
    return variants[k % len(variants)]


def _attendance_header_table(rng: random.Random, people: list[Person],
                             presence: dict[str, tuple[Person, Presence]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The header's attendance as tables under Ledamöter and Ersättare, with the §§ each was
    present at and a note: "Ledamöter / Parti / Närvarande §§ / Anteckning"."""
    heads = ["Parti", rng.choice(["Närvarande §§", "Närvaro §§", "Närvarande vid §§"]),
             rng.choice(["Anteckning", "Kommentar"])]
    lines: list[str] = []
    truth: list[dict[str, Any]] = []
    for label, group, role in (("Ledamöter", people[:5], "ledamot"), ("Ersättare", people[5:], "ersättare")):
        lines.append("\t".join([label, *heads]))
        for person in group:
            _, event = presence.get(person.name, (person, None))
            spans = event.spans.replace("-", "–").replace(",", ", ") if event else ""
            lines.append("\t".join([person.name, person.party, spans or "X", event.note if event else ""]))
            truth.append({"name": person.name, "role": role, "party": person.party})
    return [*lines, ""], truth


def _attendance_appendix(rng: random.Random, people: list[Person], chair: Person,
                         presence: dict[str, tuple[Person, Presence]], numbers: list[int],
                         bodies: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """A närvarolista as an appendix: one row per person, the §§ each was present at and a note
    of when they came or went. Column headings vary as boards write them."""
    by_body = rng.random() < 0.5
    heads = ["Namn", "Organisation" if by_body else "Parti", rng.choice(["Ledamot/Ersättare", "Ledamot–Ersättare",
                                                                         "Funktion"]),
             rng.choice(["Närvarande §§", "Närvaro §§", "Närvarande vid §§"]), rng.choice(["Anteckning", "Kommentar"])]
    whole = rng.choice([f"{numbers[0]}–{numbers[-1]}", f"§§ {numbers[0]}–{numbers[-1]}", "Samtliga"])
    rows = ["\t".join(heads)]
    truth: list[dict[str, Any]] = []
    for k, person in enumerate(people):
        role, written = ("ledamot", "Ledamot") if k < 5 else ("ersättare", "Tjänstgörande ersättare" if k == 5
                                                              else "Ersättare")
        if person is chair:
            written = "Ordförande"
        _, event = presence.get(person.name, (person, None))
        spans = event.spans.replace("-", "–").replace(",", ", ") if event else whole
        who = bodies[k % len(bodies)] if by_body else person.party
        rows.append("\t".join([person.name, who, written, spans, event.note if event else ""]))
        entry: dict[str, Any] = {"name": person.name, "role": role}
        entry["member_body" if by_body else "party"] = who
        truth.append(entry)
    return ["Bilaga 1", "", "Närvarolista", "", *rows, ""], truth


def _with_furniture(lines: list[str], furniture: str, rng: random.Random) -> list[str]:
    """The text version of a page head: furniture lines every 18-26 lines, also mid-§."""
    out: list[str] = []
    page = 1
    next_break = rng.randrange(18, 26)
    pages = len(lines) // 20 + 2
    for i, line in enumerate(lines):
        if i == next_break:
            page += 1
            out += ["", f"{page} ({pages})", "Justerandes sign", "", *furniture.split("\n"), ""]
            next_break += rng.randrange(18, 26)
        out.append(line)
    return [*furniture.split("\n"), "", *out]


def _money_table(rng: random.Random, year: int) -> tuple[list[str], list[dict[str, Any]], str]:
    unit = rng.choice(["kr", "tkr", "mnkr"])
    negative = rng.choice(["-", "−", "()"])
    factor = {"kr": 1, "tkr": 1000, "mnkr": 1_000_000}[unit]
    kinds = [("Budget", "budget"), ("Utfall", "utfall")]
    income = [("Medlemsbidrag staten", 0.5), ("Medlemsbidrag regionen", 0.25), ("Medlemsbidrag kommunerna", 0.25)]
    costs = ["Kansli och styrelse", "Insatser", "Kompetensutveckling"]

    def amount() -> float:
        if unit == "mnkr":
            return rng.randrange(2, 60) / 10
        return rng.randrange(200, 3000) * (1000 if unit == "kr" else 1)

    def fmt(value: float) -> str:
        text = f"{abs(value):,.1f}".replace(",", " ").replace(".", ",") if unit == "mnkr" else \
            f"{abs(round(value)):,}".replace(",", " ")
        if value < 0:
            return f"({text})" if negative == "()" else f"{negative}{text}"
        return text

    rows: list[tuple[str, list[float]]] = []
    totals_in = [0.0, 0.0]
    for name, _ in income:
        values = [amount(), amount()]
        rows.append((name, values))
        totals_in = [a + b for a, b in zip(totals_in, values, strict=False)]
    sum_in = ("Summa intäkter", totals_in)
    cost_rows: list[tuple[str, list[float]]] = []
    totals_out = [0.0, 0.0]
    for name in costs:
        values = [-amount(), -amount()]
        cost_rows.append((name, values))
        totals_out = [a + b for a, b in zip(totals_out, values, strict=False)]
    sum_out = ("Summa kostnader", totals_out)
    result = ("Resultat", [a + b for a, b in zip(totals_in, totals_out, strict=False)])
    heading = f"Belopp i {unit}"
    table = [heading, "", f"\t{kinds[0][0]} {year}\t{kinds[1][0]} {year - 1}", "Intäkter"]
    table += [f"{n}\t{fmt(v[0])}\t{fmt(v[1])}" for n, v in rows]
    table += [f"{sum_in[0]}\t{fmt(sum_in[1][0])}\t{fmt(sum_in[1][1])}", "Kostnader"]
    table += [f"{n}\t{fmt(v[0])}\t{fmt(v[1])}" for n, v in cost_rows]
    table += [f"{sum_out[0]}\t{fmt(sum_out[1][0])}\t{fmt(sum_out[1][1])}",
              f"{result[0]}\t{fmt(result[1][0])}\t{fmt(result[1][1])}", ""]
    truth: list[dict[str, Any]] = []
    for name, values in [*rows, sum_in, *cost_rows, sum_out, result]:
        for (_, kind), value, yr in zip(kinds, values, (year, year - 1), strict=False):
            shown = round(value, 1) if unit == "mnkr" else round(value)
            truth.append({"year": yr, "kind": kind, "line": name, "amount": round(shown * factor)})
    return table, truth, f"{unit} {negative}"


def generate_families(count: int, out_dir: Path | str, seed: int = 1, formats: list[str] | None = None,
                      families: list[str] | None = None,
                      render: Callable[[str, Case], tuple[str, bytes]] | None = None,
                      held_out_split: int = HELD_OUT_SPLIT) -> list[Case]:
    """Writes `count` cases per family, each in every format, with <stem>.yaml ground truth."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    for family in families or FAMILIES:
        for index in range(count):
            case = make_case(family, index, seed, held_out_split)
            cases.append(case)
            for fmt in formats or ["txt"]:
                stem = f"{case.stem}.{fmt}"
                if fmt == "txt":
                    (folder / f"{stem}.txt").write_text(case.text, encoding="utf-8")
                else:
                    assert render is not None
                    suffix, data = render(fmt, case)
                    (folder / f"{stem}{suffix}").write_bytes(data)
                truth = {**case.truth, "layout_format": fmt, "held_out": case.held_out}
                (folder / f"{stem}.yaml").write_text(
                    yaml.safe_dump(truth, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cases


def render_case(fmt: str, case: Case) -> tuple[str, bytes]:
    """(suffix, bytes) of a case in a format, by scripts/render_documents.py."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from render_documents import to_docx, to_pdf, to_scan

    text = case.extra.get("page_text", case.text) if case.running_head else case.text
    if fmt == "docx":
        return ".docx", to_docx(case.text)
    pdf = to_pdf(text, running_head=case.running_head)
    return ".pdf", to_scan(pdf) if fmt == "scan" else pdf
