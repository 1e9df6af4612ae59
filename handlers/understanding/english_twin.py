"""An English question read as its Swedish twin: the same question in the words the Swedish cue
tables, kinds and guard already read ("how much was granted" is "hur mycket beviljades", "who
chaired" is "vem var ordförande", "what did the board decide about" is "vad beslutade styrelsen om").

English cue phrases are written into each kind's table one by one, and a stranger's English finds
the phrase that was not written ("the following meeting", "the job of recruiting", "approved" of
minutes): the Swedish tables hold far more ways of asking, weighed against many more questions. A
question the English reading leaves unanswered is read once more as its twin
(handlers/answers/__init__.py); the reply stays in English, since the asker's language is the
context's, not the text's.

Language knowledge as data: English phrases and words with their Swedish, longest first. A word the
table does not hold stays as written, so names, numbers and English words of no frame keep their
own reading (and the guard still asks each of them to be explained). A phrase is translated only
with a meaning it has in a board member's question; a word that says what is left out or compared
("besides", "except", "than") is translated to the word that keeps that constraint, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from handlers.understanding import spelling
from handlers.understanding.vocabulary import expand_contractions
from storage.swedish.cleaning import fold

# "english phrase = svensk fras" per line; an empty right side drops the words (helper verbs and
# articles only: they carry no constraint of their own in Swedish word order).
TABLE = """
how much money = hur mycket pengar
how much = hur mycket
how many = hur många
how long = hur länge
how big = hur stor
how large = hur stor
how high = hur hög
how = hur
who = vem
whom = vem
whose = vems
what time = vilken tid
at what time = vilken tid
which time = vilken tid
on what date = vilket datum
on which date = vilket datum
what date = vilket datum
which date = vilket datum
what day = vilken dag
which day = vilken dag
what year = vilket år
which year = vilket år
which years = vilka år
what = vad
# English has one past for "var" and "blev": a figure asked in it asks what the year came to.
what was = vad blev
what were = vad blev
what was decided = vad beslutades
what was granted = vad beviljades
last year = förra året
last years = förra årets
actually = faktiskt
which = vilken
when = när
where = var
why = varför
for what reason = varför
what for = varför
is there = finns det
are there = finns det
was there = fanns det
were there = fanns det
is = är
are = är
was = var
were = var
be = vara
been = varit
will = ska
would = skulle
shall = ska
should = ska
can = kan
could = kunde
must = måste
did =
does =
do =
has = har
have = har
had = hade
not = inte
the =
a =
an =
of = av
in = i
on = på
at = på
for = för
to = till
from = från
with = med
without = utan
about = om
regarding = om
concerning = om
by = av
after = efter
before = före
until = till
during = under
between = mellan
and = och
or = eller
than = än
besides = förutom
apart from = förutom
except = utom
excluding = exklusive
including = inklusive
each = varje
every = varje
per = per
all = alla
total = totalt
in total = totalt
altogether = totalt
together = tillsammans
combined = sammanlagt
this year = i år
next year = nästa år
this = denna
these = dessa
those = de
its = dess
they = de
them = dem
their = deras
we = vi
us = oss
our = vårt
me = mig
my = min
please =
exactly = exakt
again = igen
also = också
still = fortfarande
only = bara
yet = ännu
already = redan
last = senaste
latest = senaste
most recent = senaste
previous = förra
next = nästa
following = nästa
upcoming = kommande
coming = kommande
new = nya
more = mer
less = mindre
most = mest
largest = största
biggest = största
smallest = minsta
highest = högsta
lowest = lägsta
same = samma
other = andra
another = ett annat

board meeting = styrelsemötet
board meetings = styrelsemötena
the board = styrelsen
board = styrelsen
meeting = mötet
meetings = möten
minutes = protokollet
protocol = protokollet
agenda = dagordningen
notice = anslaget
the notice = anslaget
noticeboard = anslagstavlan
paragraph = paragraf
section = paragraf
item = punkt
items = punkter
decision = beslutet
decisions = beslut
chair = ordförande
chairman = ordförande
chairwoman = ordförande
chairperson = ordförande
vice chair = vice ordförande
secretary = sekreterare
director = förbundschef
the director = förbundschefen
manager = förbundschef
member = ledamot
members = ledamöter
board member = ledamot
board members = ledamöter
deputy = ersättare
deputies = ersättare
substitute = ersättare
substitutes = ersättare
alternate = ersättare
person = person
people = personer
attendance = närvaro
was present = var närvarande
were present = var närvarande
absent = frånvarande
place = plats
venue = plats
location = plats
time = tid
date = datum
day = dag
year = år
years = år
month = månad
grants = insatser
project = projektet
projects = projekt
initiative = insatsen
funding = finansiering
financing = finansiering
money = pengar
amount = belopp
sum = summa
budget = budget
budgeted = budgeterat
forecast = prognos
outcome = utfall
result = resultat
income = intäkter
revenue = intäkter
revenues = intäkter
costs = kostnader
cost = kostnad
expenses = kostnader
expenditure = kostnader
equity = eget kapital
capital = kapital
surplus = överskott
deficit = underskott
contribution = bidrag
contributions = bidrag
member contribution = medlemsbidrag
member contributions = medlemsbidragen
municipality = kommun
municipalities = kommunerna
the state = staten
state = statliga
region = regionen
office = kansli
administration = administration
application = ansökan
applications = ansökningar
applicant = sökande
applicants = sökande
condition = villkor
conditions = villkor
requirement = krav
requirements = krav
period = period
case number = diarienummer
reference number = diarienummer
file number = diarienummer
final report = slutrapport
report = rapporten
goal = mål
goals = målen
participant = deltagare
participants = deltagare
individuals = individer
strategy = strategin
plan = planen
operational plan = verksamhetsplan
business plan = verksamhetsplan
website = hemsidan
study = studien
agreement = avtalet
contract = avtal
digital signing = digital signering
tertial report = tertialrapport
follow-up = uppföljning
consultation response = remissyttrande
ministry = departement
recommendation = rekommendation
task = uppdrag
job = uppdrag
was given the job of = fick i uppdrag att
was given the task of = fick i uppdrag att
was tasked with = fick i uppdrag att
were tasked with = fick i uppdrag att
tasked with = i uppdrag att
was asked to = fick i uppdrag att
the job of = uppdraget att
the task of = uppdraget att
owners' consultation = ägarsamråd
owners consultation = ägarsamråd
representative = representant
process leader = processledare
employer = arbetsgivare
funded = finansierad
funded by = finansierad av
funded under = finansierad inom
paid for by = finansierad av
according to = enligt
extension = förlängning

chaired = var ordförande för
presided over = var ordförande för
led = ledde
took the minutes = var sekreterare
kept the minutes = var sekreterare
checked = justerade
verified = justerade
adjusted = justerade
co-signed = justerade
signed off = justerade
signed = undertecknade
were approved = justerades
was approved = godkändes
approved = godkände
approve = godkänna
decided = beslutade
decide = besluta
resolved = beslutade
was granted = beviljades
were granted = beviljades
granted = beviljade
awarded = beviljade
was awarded = beviljades
given = fått
got = fick
get = få
receive = få
received = fick
pay = betala
paid = betalade
applied = ansökte
apply = ansöka
appointed = utsåg
appoint = utse
elected = valde
chosen = valdes
attended = deltog
attend = delta
took part = deltog
take part = delta
left = lämnade
is left = är kvar
are left = är kvar
was left = var kvar
left over = kvar
remaining = kvar
is remaining = är kvar
remains = återstår
remain = återstår
leave = lämna
held = hölls
meet = träffas
met = träffades
discussed = diskuterade
presented = presenterade
reported = rapporterade
sent = skickades
employs = anställer
employ = anställa
recruiting = rekrytera
recruit = rekrytera
go up = öka
rise = öka
reached = nådde
reach = nå
met its goals = nådde målen
ends = slutar
end = slutet
at the end of = i slutet av
by the end of = i slutet av
start = början
begin = börja
starts = börjar
taken down = nedtaget
put up = uppsatt
posted = uppsatt
removed = nedtaget

it = det
that = det
is it true = stämmer det att
true = sant
if = om
because = eftersom
because of = på grund av
due to = på grund av
over = över
above = över
below = under
under = under
just = bara
roughly = ungefär
about how much = ungefär hur mycket
approximately = ungefär
someone = någon
anyone = någon
both = båda
give me = ge mig
give = ge
need = behöver
i need = jag behöver
i would like = jag vill
like to know = vill veta
btw =
by the way =
vs = jämfört med
versus = jämfört med
compared to = jämfört med
compared with = jämfört med
women = kvinnor
men = män
working = arbetar
studying = studerar
afterwards = efteråt
individual = individuella
enrolled = inskrivna
local = lokala
remote = distans
remotely = på distans
remote participation = deltagande på distans
distance participation = deltagande på distans
participation = deltagande
distance = distans
digitally = digitalt
tool = verktyg
statement = yttrande
discussion = diskussion
prep = förbereda
prepare = förbereda
represents = representerar
represent = representera
representing = representerar
ask = fråga
asks = frågar
asked = frågade
question = frågan
answer = svara
answering = svara
answered = svarade
colleague = kollega
recorded = protokollfört
proposed = föreslog
propose = föreslå
proposal = förslaget
unused = outnyttjat
go unused = inte utnyttjas
pays = betalar
pay for = betalar för
part = del
part of = del av
split = fördelad
shared = delad
post = tjänst
position = tjänst
buys = köper
buy = köpa
rest = resten
the rest = resten
draw = ta ut
booked = bokfört
offer = erbjuda
offered = erbjöd
max = maxbelopp
the max = maxbeloppet
maximum = högsta
level = nivå
recommends = rekommenderar
recommended = rekommenderade
covered = täckas
taken = tas
underbalanced = underbalanserad
full-time = heltid
part-time = deltid
numbers = siffror
figures = siffror
figure = siffra
present = presentera
discharge from liability = ansvarsfrihet
discharge = ansvarsfrihet
grant the = bevilja
grant =
the grant = insatsen
which grant = vilken insats
what grant = vilken insats
a grant = en insats
this grant = denna insats
that grant = den insatsen
taking part = deltar
end up = till slut
ended up = till slut
in the end = till slut
randomised = randomiserade
randomized = randomiserade
sent to = skickades till
go = gå
gone up = satts upp
stay up = sitta uppe
vision = vision
wording = formulering
"""

def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in TABLE.strip().splitlines():
        if "=" not in line:
            continue
        english, _, swedish = line.partition("=")
        out[" ".join(english.split()).lower()] = " ".join(swedish.split())
    return out


PHRASES = _table()
# Longest first, so "how much" wins over "how" and "board meeting" over "board".
_PATTERN = re.compile(
    r"(?<![\w'’-])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                                for p in sorted(PHRASES, key=lambda p: (-len(p.split()), -len(p)))) + r")(?![\w'’-])",
    re.IGNORECASE)
# "What is X for?": a "for" left at the end asks a purpose, which Swedish says "till för" ("vad är
# X för?" would read as "what is X", the amount).
_STRANDED_FOR = re.compile(r"\bfor\s*(?=[?.!]*\s*$)", re.IGNORECASE)
# A genitive "'s" (or a plural's lone apostrophe) on a name: Swedish writes the "s" on the word itself.
_GENITIVE = re.compile(r"(\w)['’]s\b|(\w)s['’](?!\w)")
# Where a sentence starts: a capital there is no sign of a name.
_SENTENCE_START = re.compile(r"(?:^|[.?!:;–—\-(\"”“]\s*|\s-\s)$")


@dataclass(frozen=True)
class Twin:
    text: str
    # The words the table left as written (not names written with a capital, not numbers): the
    # twin is a Swedish question only if each of them is Swedish too (a word of the documents).
    untranslated: tuple[str, ...]


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S*\d\S*")


@lru_cache(maxsize=2048)
def swedish_twin(text: str) -> Twin | None:
    """The question with its English frame words in Swedish, or None when nothing was translated.
    A word written with a capital inside a sentence is kept as written: it names something
    ("Enter", "Teams")."""
    text = expand_contractions(text)
    text = _GENITIVE.sub(lambda m: (m.group(1) or m.group(2)) + "s", text)
    stranded = _STRANDED_FOR.sub("till för", text)
    changed = stranded != text
    text = stranded
    pieces: list[str] = []
    untranslated: list[str] = []
    at = 0

    def kept(span: str, start: int) -> None:
        for w in _WORD.finditer(span):
            word = w.group(0)
            if any(ch.isdigit() for ch in word):
                continue
            named = word[:1].isupper() and not _SENTENCE_START.search(text[:start + w.start()])
            if not named:
                untranslated.append(word.lower())

    for m in _PATTERN.finditer(text):
        written = m.group(1)
        if any(ch.isupper() for ch in written) and not _SENTENCE_START.search(text[:m.start()]) \
                and written.lower() != "i":
            continue  # a name ("Enter"), kept as written
        kept(text[at:m.start()], at)
        pieces += [text[at:m.start()], PHRASES[" ".join(written.lower().split())]]
        at = m.end()
        changed = True
    kept(text[at:], at)
    pieces.append(text[at:])
    twin = re.sub(r"\s{2,}", " ", "".join(pieces)).strip()
    return Twin(twin, tuple(untranslated)) if changed and twin else None


# The table's own Swedish words (folded): a Swedish word typed in an English question is Swedish.
SWEDISH_WORDS = frozenset(fold(w) for sv in PHRASES.values() for w in re.findall(r"[^\W\d_]+", sv))


def swedish(word: str, document_words: Mapping[str, str], names: frozenset[str]) -> bool:
    """Whether a word left as written is Swedish: a word of the documents (by its spelling key), of
    a name the store holds, of the table's Swedish, or written with å/ä/ö. (An English cue word left
    is not enough: its phrase, "come in at", no longer stands once the words around it are Swedish.)"""
    folded = fold(word)
    return (spelling.key(word) in document_words or folded in names or folded in SWEDISH_WORDS
            or any(ch in word for ch in "åäöÅÄÖ"))
