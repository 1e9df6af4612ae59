"""What the documents say on a topic: the best paragraphs (with their §) or, in documents
without paragraphs (reports, plans), the best sentences; and how strongly they match."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from babel.dates import format_date
from rapidfuzz.distance import Levenshtein
from sqlmodel import col, select

from handlers.answers import dates
from handlers.answers.core import Question, passage_source, source_for
from handlers.answers.dates import TIME_WORDS, DateSpan, nearest_in_any_year
from handlers.answers.text import fold, tokens
from handlers.messages import Source
from handlers.understanding import english_forms, english_sv
from handlers.understanding.general_words import is_general
from storage.models import Document, Meeting, Paragraph, Protocol
from storage.search import STOPWORDS, search_paragraphs, stem
from storage.swedish import MONTHS_SV_EN

# English words of board business, in the Swedish the documents use (searched for as well).
ENGLISH_TOPICS: dict[str, tuple[str, ...]] = {
    "website": ("hemsida", "webbplats"), "web": ("hemsida", "webbplats"), "homepage": ("hemsida", "webbplats"), "owners": ("ägar",), "council": ("samråd",),
    "adopt": ("antog", "anta", "fastställ"), "adopted": ("antog", "anta", "fastställ"), "premises": ("lokaler",),
    "rent": ("hyra",), "join": ("anslöt", "anslut"), "joined": ("anslöt", "anslut"), "office": ("kansli",),
    "signing": ("signering",), "digital": ("digital",), "agenda": ("dagordning", "föredragningslist", "kallelse"), "minutes": ("protokoll",),
    "annual": ("års",), "report": ("rapport", "redovisning", "uppföljning"), "audit": ("revision",), "auditors": ("revisorer",),
    "strategy": ("strategi",), "development": ("utveckling",), "extending": ("förläng",), "extend": ("förläng",), "aside": ("avsat", "tillgänglig", "budget", "plan"), "maximum": ("max", "högst"), "risk": ("risk",), "analysis": ("analys",), "internal": ("intern",),
    "control": ("kontroll",), "funding": ("finansiering",), "state": ("statlig",), "consultation": ("remiss",),
    "remote": ("distans",), "distance": ("distans",), "participation": ("deltagande",), "budget": ("budget",),
    "plan": ("plan",), "recruitment": ("rekrytering",), "study": ("studie",), "evaluation": ("utvärdering",),
    "discharge": ("ansvarsfrihet",), "liability": ("ansvarsfrihet",), "delegation": ("delegation",),
    "meeting": ("möte", "träff"), "dates": ("datum", "mötestid", "tider"), "employment": ("anställning",),
    "employ": ("arbetsgivare", "anställ"), "employer": ("arbetsgivare",), "leader": ("ledare",),
    "process": ("process",), "extension": ("förlängning",), "extended": ("förlängning",),
    "participants": ("deltagare",), "enrolled": ("inskrivna",), "operational": ("verksamhet",),
    "vision": ("vision",), "goal": ("mål",), "goals": ("mål",), "members": ("medlemmar",), "kept": ("förvaras",),
    "presentation": ("dragning", "presentation"), "oral": ("muntlig",), "application": ("ansökan",),
    "applications": ("ansökan",), "presented": ("dragning", "presenter"), "salary": ("lön",),
    "policy": ("policy",), "environment": ("miljö",),
    # Board business in English, by the Swedish words the documents use.
    "change": ("ändr", "bytt", "förändr"), "changed": ("ändr", "bytt", "förändr"), "changes": ("ändr", "förändr"),
    "increase": ("ökning", "öka", "höj"), "increased": ("ökning", "ökat", "höj"), "raise": ("höj", "ökning"),
    "general": ("generell", "allmän"), "decrease": ("minsk", "sänk"), "reduced": ("minsk", "sänk"), "lower": ("lägre", "mindre"),
    "higher": ("högre", "större"),
    "member": ("medlem",), "contribution": ("bidrag",), "contributions": ("bidrag",), "fee": ("avgift", "arvode"),
    "fees": ("avgift", "arvode"), "developer": ("utvecklare",), "position": ("tjänst",), "post": ("tjänst",),
    "job": ("tjänst", "arbets"), "description": ("beskrivning",), "conference": ("konferens",),
    "conferences": ("konferens",), "seminar": ("seminari",), "training": ("utbildning",), "education": ("utbildning",),
    "course": ("utbildning", "kurs"), "purpose": ("syfte",), "target": ("målgrupp", "mål"), "group": ("grupp",),
    "final": ("slut",), "closing": ("slut",), "result": ("resultat",),
    "results": ("resultat",), "outcome": ("resultat", "utfall"), "costs": ("kostnad",), "cost": ("kostnad",),
    "travel": ("resor",), "pandemic": ("pandemi", "covid"), "covid": ("covid", "pandemi"), "health": ("hälsa",),
    "employees": ("anställd", "medarbetar"), "staff": ("personal", "medarbetar"), "personnel": ("personal",),
    "chair": ("ordförande",), "director": ("förbundschef",), "manager": ("förbundschef", "chef"),
    "response": ("yttrande", "svar"), "statement": ("yttrande",), "ministry": ("departement",),
    "government": ("regering", "departement"), "cooperation": ("samverkan", "samarbete"),
    "collaboration": ("samverkan", "samarbete"), "unemployment": ("arbetslös",), "work": ("arbete", "arbets"),
    "jobs": ("arbete", "anställning"), "sick": ("sjuk",), "illness": ("sjuk",), "disease": ("sjuk",),
    "postponed": ("skjut", "förskjut"), "delayed": ("förskjut", "försening", "dragit ut"), "technical": ("teknisk",),
    "problems": ("problem", "strul"), "trouble": ("problem", "strul"), "schedule": ("mötesplan", "tider"),
    "calendar": ("mötesplan", "årshjul"), "survey": ("enkät",), "indicators": ("indikator",),
    "objectives": ("mål",), "reports": ("rapport",), "information": ("information",),
    "late": ("sent", "försening"), "start": ("igång", "start", "börja"), "started": ("igång", "start", "började"),
    "auditor": ("revisor",), "reported": ("rapport", "redogjorde", "informer"), "balance": ("balanser", "kapital"),
    "larger": ("större",), "bigger": ("större",), "smaller": ("mindre",), "finished": ("klart", "klar", "avslut"),
    "grant": ("bevilj", "finansiering"), "granted": ("bevilj", "finansiering"), "money": ("medel", "finansiering"),
    "funds": ("medel",), "financing": ("finansiering",), "financed": ("finansiering",), "psychologist": ("psykolog",),
    "financial": ("ekonomi",), "finances": ("ekonomi",), "economic": ("ekonomi",), "economy": ("ekonomi",),
    "young": ("ungdom", "unga"), "youth": ("ungdom", "unga"), "sickness": ("sjuk",), "insurance": ("försäkring",),
    "employment service": ("arbetsförmedling",), "municipality": ("kommun",), "municipalities": ("kommun",),
    "signature": ("signering", "underskrift"), "signatures": ("underskrift",), "recruit": ("rekryter",),
    # Looked up by the English stem too ("remotely" as "remote", "refused" as "refuse").
    "withdraw": ("avstå", "avbryt", "dra sig ur"), "pull": ("avstå", "avbryt", "dra sig ur"),
    "refuse": ("avslå", "avslag"), "reject": ("avslå", "avslag"), "deny": ("avslå", "avslag"),
    "follow": ("uppfölj",), "followup": ("uppfölj",), "monitoring": ("uppfölj",), "contract": ("avtal",),
    "agreement": ("avtal", "överenskommelse"), "accounts": ("årsredovisning", "räkenskap"),
    "indicator": ("indikator",), "psychiatry": ("psykiatri",),
    "equity": ("kapital",), "capital": ("kapital",), "saved": ("sparade",), "priority": ("priorit",),
    "prioritise": ("priorit",), "prioritize": ("priorit",), "vacancy": ("vakans",), "ethics": ("etik",),
    "ethical": ("etik",), "researchers": ("forskar",), "entrepreneurship": ("entreprenörskap",),
    "cooperative": ("kooperativ",), "gender": ("jämställd", "genus"), "equality": ("jämställd", "jämlik"),
    "allocation": ("tilldelning",), "misunderstanding": ("missförstånd",), "discussion": ("diskussion", "dialog"),
    "discuss": ("diskuter", "dialog"), "reform": ("reform",), "reorganisation": ("organisationsförändring",),
    "signed": ("underteckn", "signer"), "above": ("över", "högre"), "below": ("under", "lägre"),
    "exceed": ("överstig", "över"), "site": ("hemsida", "webbplats"),
    "consultant": ("konsult",), "external": ("extern",), "hire": ("anställ", "rekryter", "anlita"),
    "participate": ("delta", "deltag"), "part": ("delta", "deltag"), "advertise": ("annonser",),
    "advertised": ("annonser",), "remuneration": ("arvode",),
    "cheaper": ("lägre", "mindre"), "answer": ("svar",), "same": ("samma",), "way": ("sätt",),
    "earlier": ("tidigare",), "dialogue": ("dialog", "samtal"), "dialog": ("dialog", "samtal"),
    "meeting plan": ("mötesplan", "sammanträdesplan"),
    # Put off, as English says it and the documents write it ("processen blev förskjuten").
    "pushed back": ("förskjut", "skjut", "försening"), "push back": ("förskjut", "skjut", "försening"),
    "put off": ("förskjut", "skjut", "försening"), "held up": ("försening", "förskjut", "dragit ut"),
    "sub goals": ("delmål",), "sub goal": ("delmål",), "subgoals": ("delmål",), "milestones": ("delmål",),
    # The municipalities around the central one ("kranskommunerna"), and their offices.
    "surrounding municipalities": ("kranskommun",), "surrounding municipality": ("kranskommun",),
    "neighbouring municipalities": ("kranskommun",), "neighboring municipalities": ("kranskommun",),
    "local offices": ("kranskontor", "lokalkontor"),
    # More of the field's words, from the seeds' own vocabulary.
    "memorandum": ("promemoria",), "handbook": ("handbok",), "pay": ("lön",), "nomination": ("valberedning",),
    "planning": ("planering",), "owner": ("ägar",), "preparatory": ("bered",), "committee": ("utskott", "grupp",),
    "surplus": ("överskott",), "deficit": ("underskott", "underbalanser"), "shortfall": ("underskott", "underbalanser"),
    "recommendation": ("rekommend",),
    "recommended": ("rekommend",), "catalogue": ("katalog",), "catalog": ("katalog",), "steering": ("styrgrupp",),
    "volume": ("volym",), "violence": ("våld",), "honour": ("heder",), "honor": ("heder",),
    "skills": ("kompetens",), "competence": ("kompetens",), "assistance": ("försörjningsstöd", "bistånd",),
    "welfare": ("försörjningsstöd", "välfärd",), "subsidy": ("lönestöd", "stöd",), "visually": ("synskad",),
    "blind": ("blind", "synskad",), "company": ("företag",), "companies": ("företag",),
    "achieved": ("uppnå", "uppfyll",), "reached": ("uppnå",), "approve": ("godkän", "fastställ", "bevilj"),
    "invited": ("inbjud",), "guest": ("inbjud",), "informed": ("informer",), "psychiatric": ("psykiatri",),
    "patients": ("patient",), "sick leave": ("sjukskriv",), "unemployed": ("arbetslös", "arbetssökande",),
    "jobseekers": ("arbetssökande",), "refugees": ("nyanlända",), "newcomers": ("nyanlända",),
    "target group": ("målgrupp",), "allocated": ("tilldela", "tillelning",),
    "meeting schedule": ("mötesplan", "sammanträdesplan", "mötestider"), "annual report": ("årsredovisning",),
    "final report": ("slutrapport",),
    # Everyday English of questions about meetings and decisions, in the documents' Swedish.
    "round": ("runda",), "introduction": ("presentation", "presenter"), "introductions": ("presentation", "presenter"),
    "introduce": ("presentation", "presenter"), "grow": ("ök", "växa", "växt"), "grows": ("ök", "växa", "växt"),
    "large": ("stor",), "small": ("lit", "mindre", "små"), "session": ("tillfälle",), "sessions": ("tillfälle",),
    "relationship": ("relation",), "relationships": ("relation",), "close": ("nära",),
    # Forms whose base is another word ("close" is near, "meet" a goal): as their stem's.
    "closed": ("slut",), "closes": ("slut",), "meets": ("möte", "träff"),
    "cancel": ("inställ", "avbok", "stryk"), "cancelled": ("inställ", "avbok", "stryk"),
    "canceled": ("inställ", "avbok", "stryk"), "carried out": ("genomför",), "reorganization": ("organisationsförändring",),
    "merge": ("sammanslag", "slagit"), "merged": ("sammanslag", "slagit"), "merger": ("sammanslag",),
    "gain": ("vinst",), "gains": ("vinst",), "efficiency": ("effektiv",), "effect": ("effekt", "påverk"),
    "effects": ("effekt", "påverk"), "impact": ("effekt", "påverk"), "benefit": ("nytta", "vinst"),
    "benefits": ("nytta", "vinst"), "condition": ("villkor", "förutsättning"), "conditions": ("villkor", "förutsättning"),
    "requirement": ("krav", "villkor"), "requirements": ("krav", "villkor"), "require": ("krav", "villkor"),
    "demand": ("krav",), "unsigned": ("underteckn",), "chairman": ("ordförande",), "chairperson": ("ordförande",),
    "deputy": ("vice", "ersättare"), "vice": ("vice",), "item": ("punkt",), "items": ("punkt",),
    "issue": ("fråga", "problem"), "issues": ("fråga", "problem"), "partner": ("part",), "partners": ("part",),
    "parties": ("part",), "county": ("län", "region"), "agency": ("myndighet",), "social services": ("socialtjänst",),
    "adult": ("vuxn", "vuxen"), "adults": ("vuxn", "vuxen"), "women": ("kvinnor",), "men": ("män",),
    "fulfilled": ("uppfyll", "uppnå"), "review": ("granskning", "översyn", "prövning"), "withdrew": ("avstå", "avbryt"),
    "leave": ("avvek", "lämna"), "electronic": ("elektronisk", "digital"), "online": ("digital", "distans", "nätet"),
    "video": ("bildöverföring", "distans"), "physical": ("fysisk",), "forecast": ("prognos",),
    "reserves": ("kapital", "reserv"), "accept": ("godkän", "anta"), "accepted": ("godkän", "anta"),
    "motion": ("yrkande", "yrkar"), "support": ("stöd",), "supported": ("stöd",), "oppose": ("invänd", "emot"),
    "objection": ("invänd",), "objections": ("invänd",), "national": ("nationell",), "level": ("nivå",),
    "highest": ("högst", "max"), "minimum": ("lägst", "minst"), "lowest": ("lägst", "minst"),
    "expensive": ("dyr", "högre"), "cheap": ("billig", "lägre"), "workshop": ("workshop",), "network": ("nätverk",),
    "place": ("plats", "lokal"), "location": ("plats", "lokal"), "venue": ("plats", "lokal"),
    "update": ("uppdater", "information"), "status": ("läge",), "situation": ("läge", "situation"),
    "used": ("utnyttj", "ta ut", "använd", "förbruk"), "use": ("utnyttj", "ta ut", "använd", "förbruk"),
    "full": ("hela", "full"), "deliberately": ("medvetet", "avsiktlig"), "cut": ("avdrag", "minsk", "sänk"),
    "cuts": ("avdrag", "minsk", "sänk"), "estimated": ("beräkn", "uppskatt"), "estimate": ("beräkn", "uppskatt"),
    "each": ("respektive", "varje"), "met": ("nås", "uppnå", "uppfyll"), "meet": ("nå", "uppnå", "uppfyll"), "possible": ("eventuell", "möjlig"), "possibly": ("eventuell", "möjlig"), "former": ("tidigare",), "prepare": ("förbered", "ta fram"), "prepared": ("förbered",), "draft": ("förslag",),
    "proposal": ("förslag",), "suggestion": ("förslag",),
    "introduced": ("inför", "presenter"), "misunderstood": ("missförstånd",), "psychologists": ("psykolog",),
    "reasons": ("motiv", "skäl", "anledning"), "motive": ("motiv",), "form": ("form",), "format": ("form",),
    "forms": ("form",), "representatives": ("representant",), "representative": ("representant",),
    "visually impaired": ("synskad",), "impaired": ("synskad",), "sight": ("synskad",), "lectures": ("föreläsning",),
    "lecture": ("föreläsning",), "attendees": ("deltagare",), "visitors": ("besök",), "transfer": ("överflytt", "flytt"),
    "moved": ("flytt",), "move": ("flytt",), "catalogue of": ("insatskatalog",), "working": ("arbets", "arbetar"),
    "environment handbook": ("arbetsmiljöhandbok",), "handbooks": ("handbok",), "merged into": ("sammanslag",),
    "coordinator": ("koordinator", "koordiner", "samordnare"), "completed": ("avslut", "genomför"),
    "studying": ("studer",), "signed up": ("anmält", "anmäl"), "registered": ("registrer", "inskriv"),
    "unsubsidised": ("osubventioner",), "unsubsidized": ("osubventioner",), "afterwards": ("efter",),
    "half time": ("halvtid",), "full time": ("heltid",), "full-time": ("heltid",), "fulltime": ("heltid",),
    "part time": ("deltid", "halvtid"), "part-time": ("deltid", "halvtid"), "halftime": ("halvtid",), "development officer": ("verksamhetsutveckl",),
    "meeting format": ("mötesform",), "meeting form": ("mötesform",), "meeting formats": ("mötesform",),
    "meeting arrangements": ("mötesform",),
    "business developer": ("verksamhetsutveckl",), "operations developer": ("verksamhetsutveckl",),
    "member contributions": ("medlemsbidrag",), "offer": ("erbjud", "erbjöd"), "offered": ("erbjud", "erbjöd"),
    "invoicing": ("fakturer",), "invoice": ("faktur",), "state funding": ("statlig", "medelstill"), "talk": ("dialog", "samtal", "diskuter"), "talked": ("dialog", "samtal", "diskuter"),
}
# Swedish words the documents may use for the question's word, as data: only pairs the board
# documents themselves use for the same thing ("höja bidragen" / "bidragen ökar").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "höj": ("ök",), "ök": ("höj",), "sänk": ("minsk",), "minsk": ("sänk",), "billig": ("lägre", "mindre"),
    "dyr": ("högre", "större"), "arvod": ("arvodeskostnad",), "prat": ("dialog", "samtal", "diskuter"),
    "pengar": ("medel", "medlet", "finansiering", "bidrag"),
    "lägr": ("mindre", "minsk"), "mindr": ("lägre",), "högr": ("större",), "störr": ("högre",),
    "budgeter": ("budget",), "skjut": ("ännu inte", "framflytt", "senare"), "skick": ("översänd", "sänd"), "översänd": ("skick",),
    "underskriv": ("underteckn", "signer"), "underteckn": ("underskriv", "signer"), "signer": ("underteckn",), "hopp": ("avstå", "avbryt", "dra sig ur"),
    # Words a member writes for what the documents call otherwise ("webbsidan" / "hemsidan").
    "webbsid": ("hemsid", "webbplats"), "webbplats": ("hemsid",), "hemsid": ("webbplats",), "sajt": ("hemsid",),
    "hemsajt": ("hemsid",), "skaff": ("teckn", "anskaff", "köp", "upphandl"), "redovisning": ("rapport",),
    "rapport": ("redovisning",), "digital": ("distans",),
    "distans": ("digital",), "projekt": ("insats",), "insats": ("projekt",), "personal": ("medarbetar", "anställd"),
    "medarbetar": ("personal",), "anställd": ("personal", "medarbetar"),
    "fortbildning": ("utbildning", "kompetensutveckling"), "inställ": ("avbok",), "avbok": ("inställ",),
    "arbetsgivar": ("företag",), "företag": ("arbetsgivar",), "arbetslös": ("arbetssökand",),
    "arbetssökand": ("arbetslös",), "strul": ("problem",), "problem": ("strul",), "granskning": ("revision",),
    "revision": ("granskning",), "utgift": ("kostnad",), "anställ": ("rekryter",), "rekryter": ("anställ",),
    "dagordning": ("föredragningslist",), "föredragningslist": ("dagordning",), "agenda": ("dagordning", "föredragningslist", "kallelse"),
    "avgift": ("bidrag",), "syfte": ("avsikt",), "avsikt": ("syfte",), "förklaring": ("anledning", "skäl"),
    "underlag": ("beslutsunderlag",), "regler": ("bestämmels", "förbundsordning"), "försening": ("försen",),
    "sjukskrivning": ("sjukskriv", "sjuk"), "mötesdag": ("mötestid", "datum"),
    "hemsidor": ("hemsid",), "ungdomar": ("unga", "ungdom"),
    # A member's "ansökningar" are the documents' "ansökan" / "ansökningen" (a plural with another stem).
    "ansökning": ("ansök",),
    # Taking part from afar, as members say it ("på skärm", "via länk") and as the documents do.
    "skärm": ("distans", "digital"), "länk": ("distans", "digital"),
    # A condition and a payment as decisions write them ("under förutsättning att …", "betala ut").
    "villkor": ("förutsättning", "förutsatt"), "utbetal": ("betala ut", "betalas ut", "betalat ut"),
    # A budget's shortfall as plans write it ("budgeten underbalanseras med 2 350 tkr").
    "underskott": ("underbalanser",), "underbalanser": ("underskott",),
    # Granted money as decisions and reports name it ("hela beviljade medlet", "det beviljade beloppet").
    "belopp": ("medel", "medlet"),
    # What is expected of a figure, as reports write it ("väntas bli 105" is "prognostiseras bli").
    "vänt": ("prognos", "beräkn", "bedöm"), "förvänt": ("prognos", "beräkn", "bedöm"),
    # A thing ended, as members ask it ("är det nedlagt?") and as texts say it ("behövt avslutas i förtid").
    # The year's surplus as plans account for it ("Balanserade resultatet beräknas … bli betydligt större").
    "överskott": ("balanserade resultat", "positivt resultat"),
    "nedlag": ("lagts ned", "lades ned", "läggs ned", "lagts ner", "avslut", "avveckl", "upphör", "stäng"),
}
# Strong and irregular Swedish verb forms, by a form whose stem the documents' other forms
# share: "deltog" meets "delta", "beslöt" meets "besluta".
VERB_FORMS: dict[str, tuple[str, ...]] = {
    # Only stems of four letters or more: a stem such as "ta" or "gå" starts too many other words.
    "beslöt": ("besluta", "beslut"), "valde": ("välja",), "valdes": ("välja",), "skrev": ("skriva",), "skrevs": ("skriva",), "bjöds": ("bjuda",), "bjöd": ("bjuda",),
    "höll": ("hålla",), "drog": ("drag", "dra sig ur", "avstå"), "hoppade": ("avstå", "dra sig ur", "avbryt"), "hölls": ("genomför",), "slogs": ("slagit", "sammanslag"), "slog": ("slagit",),
    "gjordes": ("genomför",), "ställdes": ("ställ",), "deltog": ("delta", "deltag"), "kom": ("komma",),
    # Put off: "sköts upp" is the documents' "förskjuten", "skjuts upp".
    "sköts": ("skjut", "förskjut"), "sköt": ("skjut", "förskjut"),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# A line break between a word or comma and a word in lower case: the sentence goes on.
_WRAPPED = re.compile(r"(?<=[a-zåäöé,])[ \t]*\n[ \t]*(?=[a-zåäöé])")
# Words of a question that carry no topic, beyond the search's stopwords (folded).
FILLER = frozenset(fold(w) for w in (
    "whose vems extra our ours your yours direkt genast omedelbart directly immediately straight "
    "troligen troligtvis förmodligen antagligen sannolikt egentligen nog "
    "blev bli blir gett givit ihop samman too ska skulle kan kunde får fick hade haft varit vara inte ej också även nu då sedan efter före "
    "vid hos mellan utan alla allt någon något några mycket många hur vilken vilket vilka vem vad varför när "
    "förbundets förbundet förbund styrelsens samordningsförbundets ordningen januari februari mars april maj juni "
    "juli augusti september oktober november december would could should will been being have has had not also "
    "there their they them this that these those from into about after before january february march april may "
    "june july august september october november december why what when where which who whom how did does do "
    "senaste förra föregående mötet möte mötets styrelsemötet styrelsemöte sammanträdet sammanträde latest "
    "hen han hon honom henne dem deras he she they it him her them its their previous last next year years gav ger gjorde gör tog tar kom gick går stod står sa sade "
    "hela whole entire ingen inget inga nobody none en två tre fyra fem sex sju åtta sitt sin sina dess innan prior "
    "happen happened happens hände händer than then made make makes "
    "nio tio one two three four five six seven eight nine ten år året aret ar års ars stort stor stora store slut slutet årets arets vi oss vår våra get got meeting board run until organisation organization association would much many "
    "hasn haven isn aren wasn weren didn doesn don won yet still out being done why "
    "samordningsförbund län lans regionen expected expect expects originally yes taking take takes "
    "vill man just ser probably likely end framöver framåt fortsättningsvis future onwards "
    # Where to look, not what: the kind of document a figure is read from ("enligt tertialuppföljningen").
    "enligt enl according tertialuppföljning tertialuppföljningen tertialrapport tertialrapporten resultatrapport "
    "resultatrapporten delårsrapport delårsrapporten protokoll protokollet protokollen protocol protocols minutes "
    # Months as typed short ("24 nov 2023"): a date, not a topic.
    "jan feb mar apr jun jul aug sep sept okt oct nov dec tertial tertialet tertialen första andra tredje "
    # English light verbs of phrasal verbs ("came in under budget", "ended up", "turned out", "what did we
    # land on"): the verb says how, the rest of the phrase what.
    "came come comes coming went goes going gone turn turned turns turning ended ending wound land landed lands "
    "up showed show shows away "
    # Words that say "a line of the budget", not which.
    "post posten poster posterna budgetpost budgetposten rad raden line item "
    # How or when it was done against another way, not what ("i efterhand istället för direkt", "instead").
    "istället istallet iställlet instead efterhand away "
    # "i stället för", "rather than", "vs": how two figures are set against each other, not what they are of.
    "stället stallet rather versus vs only bara endast "
    # Units of a figure the question names ("105 tkr i stället för 5"): the figure's, not the topic's.
    "tkr kr kronor mkr sek procent percent"
).split())


_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
# Month names and their short forms ("24 nov 2023") date the question; they are no topic.
_MONTH_WORDS = frozenset(fold(m) for m in MONTHS_SV_EN) | TIME_WORDS
# Definite and plural endings the Swedish stemmer leaves on ("hyran", "kansliet", "lokalerna").
_ENDINGS = ("erna", "arna", "orna", "na", "an", "en", "et")


@lru_cache(maxsize=65536)
def root(word: str) -> str:
    """A word's stem without the Swedish definite ending, so "hyran" meets "hyra" and "hyresavtal"."""
    s = stem(word)
    for ending in _ENDINGS:
        if s.endswith(ending) and len(s) - len(ending) >= 3:
            return s[: -len(ending)]
    return s


_english_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=16384)
def english_stem(word: str) -> str:
    return str(_english_stemmer.stemWord(word.lower()))


@lru_cache(maxsize=1)
def _english_by_stem() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for word, swedish in ENGLISH_TOPICS.items():
        out.setdefault(english_stem(word), swedish)
    return out


def _synonyms(word: str) -> tuple[str, ...]:
    """The table's synonyms of a word, by the longest entry its root (or the word) starts with;
    else of a compound's last part, put after its first ("slutredovisning" as "slutrapport")."""
    r, w = root(word), word.lower()
    keys = [k for k in SYNONYMS if r.startswith(k) or w.startswith(k)]
    if keys:
        return SYNONYMS[max(keys, key=len)]
    tails = [(r.find(k, 3), k) for k in SYNONYMS if len(k) >= 5 and r.find(k, 3) >= 3]
    if not tails:
        return ()
    at, key = max(tails, key=lambda t: len(t[1]))
    return tuple(r[:at] + v for v in SYNONYMS[key] if " " not in v)


def _english_position(pair: str) -> tuple[str, ...] | None:
    """A position named by two English words ("process leader", "project manager") is one Swedish
    compound ("processledare"): its parts apart do not start the word the documents use."""
    from handlers.answers.kinds.people import POSITIONS_EN

    swedish = POSITIONS_EN.get(fold(pair))
    return (swedish,) if swedish and " " not in swedish else None


def english_counterparts(word: str) -> tuple[str, ...]:
    """The Swedish words the documents use for an English word, found by the word itself or by
    its English stem ("remotely" as "remote", "refused" as "refuse")."""
    # A verb's form by its base first ("employs" as "employ"): a noun of the same stem ("employment")
    # is another thing.
    return ENGLISH_TOPICS.get(word) or ENGLISH_TOPICS.get(english_forms.base(word)) \
        or _english_by_stem().get(english_stem(word), ()) or english_sv.counterparts(word)


# Swedish derivations that share a base the documents' other forms start with: a participle or
# a verbal noun ("uppföljd", "uppföljningen" -> "uppfölj"; "fastställd" -> "fastställ").
_DERIVED = ("ningarna", "ningar", "ningen", "ning", "ddes", "ttes", "ades", "ade", "ad", "at", "ats", "tts", "ts",
            "dd", "tt", "da", "de", "d", "t")


def _derived_base(word: str) -> tuple[str, ...]:
    """The base of a long Swedish derived form, at least six letters long (shorter bases start
    too many other words)."""
    w = word.lower()
    if not w.isalpha() or len(w) < 7:
        return ()
    for ending in _DERIVED:
        # A double consonant ends a short stem ("uppnå|ddes" meets "uppnå|tts").
        if w.endswith(ending) and len(w) - len(ending) >= (5 if ending[:2] in ("dd", "tt") else 6):
            return (w[: -len(ending)],)
    return ()


def _compound_parts(word: str) -> tuple[str, ...]:
    """A long Swedish compound as its two parts ("verksamhetsutvecklar+tjänst"): the documents may
    write it apart ("Tjänsten som verksamhetsutvecklare"). Matched only when the text starts a word
    with each part (see `_covered`)."""
    r = root(word.lower())
    if not r.isalpha() or len(r) < 12:
        return ()
    return tuple(f"{r[:i]}+{r[i:]}" for i in range(6, len(r) - 4))


# Swedish particle verbs written apart ("dragit av 10 %"): one thing, as the documents name it
# ("avdrag"); the particle alone is a stopword and the verb alone says something else.
SWEDISH_PHRASES: dict[str, tuple[str, ...]] = {
    **{f"{verb} av": ("avdrag", "dras av", "dra av") for verb in ("dra", "drar", "drog", "dragit", "dras", "drogs")},
    **{f"{verb} ner": ("minsk", "sänk", "neddrag") for verb in ("dra", "drar", "drog", "dragit", "dras", "drogs")},
    **{f"{verb} in": ("indrag", "dras in", "återkall") for verb in ("dra", "drar", "drog", "dragit", "dras", "drogs")},
    # Taking part: "fick sitta med på skärm" is "deltagande på distans".
    **{f"{verb} med": ("delta", "deltag", "närvar") for verb in ("sitta", "sitter", "satt", "suttit")},
}


def topic_terms(q: Question, cue_words: set[str] | None = None) -> list[tuple[str, ...]]:
    """The question's topic words as groups of stems (a word and its Swedish counterparts): not
    question words, not the answering kind's cue words, not dates."""
    return topic_terms_of(asked_words(q), q, cue_words if cue_words is not None else set())


_SENTENCE_END = re.compile(r"(?<=[?!.])\s+(?=[A-ZÅÄÖa-zåäö])")


# Words a question opens with (after "och", "o", "and"), folded: a sentence so begun asks even
# without its question mark ("… baseras på vad? o hur mkt e det").
QUESTION_OPENERS = frozenset(fold(w) for w in (
    "vad vem vilka vilken vilket varför hur när var vart finns har är kan ska blev fick what who which why how when "
    "where is are was were did does do can could has have").split())


def _opens_a_question(sentence: str) -> bool:
    words = [fold(w) for w in tokens(sentence)]
    while words and words[0] in ("och", "o", "and", "men", "but", "samt"):
        words = words[1:]
    return bool(words) and words[0] in QUESTION_OPENERS


def asked_words(q: Question) -> list[str]:
    """The words of the sentences that ask (end in "?"), when the message also holds sentences that
    only tell why it is asked ("… ? Jag behöver kunna förklara det för kommunstyrelsen.")."""
    parts = [p for p in _SENTENCE_END.split(q.text.strip()) if p.strip()]
    asking = [p for p in parts if p.rstrip().endswith("?") or _opens_a_question(p)]
    if len(parts) < 2 or not asking or len(asking) == len(parts):
        return q.words
    kept = {w for p in asking for w in tokens(p)}
    return [w for w in q.words if w in kept]


def topic_terms_of(words: list[str], q: Question, cue: set[str]) -> list[tuple[str, ...]]:
    return [group for group, _word in _topic_pairs(words, q, cue)]


def _topic_pairs(words: list[str], q: Question, cue: set[str]) -> list[tuple[tuple[str, ...], str]]:
    """The topic's word groups, each with the question word (or two-word English term) behind it."""
    names = _org_only_words(q)
    out: list[tuple[tuple[str, ...], str]] = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        english = q.language == "en" and w.isascii()
        # A two-word English term names one thing ("meeting plan" is a mötesplan, not a plan).
        pair = f"{w} {words[i + 1]}" if i + 1 < len(words) else ""
        phrases = ENGLISH_TOPICS if english else SWEDISH_PHRASES
        swedish = phrases.get(pair) or (_english_position(pair) if english else None)
        if swedish:
            group = tuple(dict.fromkeys(root(v) for v in swedish))
            skip = True
            if group not in [g for g, _ in out]:
                out.append((group, pair))
            continue
        folded = fold(w)
        if folded in _FOLDED_STOPWORDS or folded in FILLER or folded in _MONTH_WORDS or folded in names or len(w) < 3 \
                or any(ch.isdigit() for ch in w):
            continue
        # A cue word's inflection ("handlade" of "handla") asks; a compound that only begins with one
        # ("handläggarforum") names a thing.
        if folded in cue or any(folded.startswith(c) and len(c) >= 5 and len(folded) - len(c) <= CUE_ENDING for c in cue):
            continue
        item = _agenda_item(w)
        if item is not None and not english:
            # "ekonomipunkten": the § whose title is "Ekonomi", named as a point of the agenda.
            group = tuple(dict.fromkeys([root(item), *_synonyms(item)]))
            if group not in [g for g, _ in out]:
                out.append((group, w))
            continue
        variants = (w, *english_counterparts(w), *VERB_FORMS.get(folded, ()), *VERB_FORMS.get(w, ()),
                    *(() if english else _synonyms(w)))
        group = tuple(dict.fromkeys([*(root(v) for v in variants),
                                     *((english_stem(w),) if english else (*_derived_base(w), *_compound_parts(w)))]))
        if group not in [g for g, _ in out]:
            out.append((group, w))
    named = [(g, w) for g, w in out if fold(w.lower()) not in DATING_WORDS]
    return named or out


# The most letters an inflection adds to a cue word ("handla" -> "handlades", "budget" -> "budgetens").
CUE_ENDING = 5


# Words that date a figure ("per 31 augusti 2020"): when, not what, wherever other words name the
# topic (alone, "vad beslutades om tertialuppföljningen per 30 april", it is all there is to look for).
DATING_WORDS = frozenset({"per"})


# Last parts of a compound that name a point of a meeting's agenda by its subject ("ekonomipunkten",
# "hemsideärendet", "psykologfrågan"): the subject is what the § is titled (folded).
AGENDA_ITEM_ENDINGS = tuple(fold(w) for w in ("punkten", "punkt", "ärendet", "ärende", "paragrafen", "frågan",
                                              "frågorna"))


def _agenda_item(word: str) -> str | None:
    """The subject of a word naming an agenda point by it ("ekonomipunkten" -> "ekonomi"), or None."""
    folded = fold(word.lower())
    for ending in AGENDA_ITEM_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            return word.lower()[: len(word) - len(ending)]
    return None


def core_terms(pairs: list[tuple[tuple[str, ...], str]]) -> list[tuple[str, ...]]:
    """The topic's groups less those of words that never name what a question is about
    ("egentligen", "direkt", "måste", "pengarna", as the guard reads them): a passage need not
    hold those to be on the topic, though one that does is preferred. All groups if none is left."""
    core = [group for group, word in pairs if not is_general(word)]
    return core or [group for group, _word in pairs]


def _org_only_words(q: Question) -> set[str]:
    """Words of the förbund's name that name nothing else ("Umeåregionen", not "Timrå", which is
    also a member): where to look, not what to look for."""
    out: set[str] = set()
    # The question's own word for a förbund ("… 2020 i jamtland", short of "Jämtlands") says where to look.
    out |= {fold(w.lower()) for w in q.words if len(w) >= 4 and q.lexicon.organisations_named([w])
            and not q.lexicon.find([w], kinds=("member_body", "place"), threshold=0.75)}
    for org in q.organisations if q.scoped else []:
        for w in re.findall(r"\w+", org.name.lower()):
            if len(w) >= 4 and not q.lexicon.find([w], kinds=("member_body", "place"), threshold=0.75):
                out.add(fold(w))
    return out


def kind_cue_words(*kind_names: str) -> set[str]:
    """The folded single cue words of the named kinds."""
    from handlers.understanding.kinds import KINDS

    out: set[str] = set()
    for name in kind_names:
        kind = KINDS.get(name)
        if kind is None:
            continue
        for _weight, words in kind.cues.values():
            for w in words:
                out.update(fold(w).rstrip("=").split())
    return out


def unexplained(q: Question, answer_text: str = "") -> list[str]:
    """Topic words of the question that neither a cue, a named thing nor the answer itself
    accounts for, and that the förbund's documents do use: "hyran" in "Vad kostar hyran för
    kansliet?" when the reading found only the line Kansli."""
    from handlers.answers.text import word_match
    from handlers.understanding.kinds import all_cue_words

    cue = all_cue_words()
    long_cues = [c for c in cue if len(c) >= 5]
    named = [w for m in q.mentions for w in re.findall(r"\w+", m.entry.name.lower())]
    names = [fold(w) for o in q.organisations for w in re.findall(r"\w+", o.name) if len(w) >= 4]
    out = []
    for group, word in zip(topic_terms(q, cue), _topic_words(q, cue), strict=True):
        folded = fold(word)
        if is_general(word):
            continue  # a word of asking ("landar", "helår"), shared with the guard's final check
        if any(folded.startswith(n[:5]) and n.startswith(folded[:5]) for n in names):
            continue  # the förbund's own name, inflected ("jamtland" for "Jämtlands län")
        if any(c in folded[3:] for c in long_cues):
            continue  # a compound ending in a cue word: "helårsprognos", "medlemsbidrag"
        if " " in folded and all(part in cue for part in folded.split()):
            continue  # a phrase of cue words, as single words are ("satt med": taking part)
        if any(word_match(word, n) >= 0.9 for n in named) or mentions_name(answer_text, word) \
                or folded in q.named_words:
            continue  # a word of a named thing's name, as written or translated ("saved": "eget kapital")
        if any(mentions_name(answer_text, v) or (len(v) >= 6 and fold(v) in fold(answer_text.lower()))
               for v in english_counterparts(word)):
            # An English word whose Swedish counterpart the answer or its source uses ("control":
            # "kontroll", "follow-up": the Tertialuppföljning cited).
            continue
        org_id = q.organisation_ids[0] if len(q.organisation_ids) == 1 else None
        named_here = word in q.capitalised and _capitalised_in(q.text, word)
        if not named_here and not any(search_paragraphs(q.session, term, org_id, limit=1) for term in group):
            continue  # a word the documents never use is how the question is put, not what it is about
        if any(len(v) >= 4 and any(fold(v) in fold(n) for n in named) for v in group):
            continue  # a part of a compound name ("medel" in "medelstilldelning")
        out.append(word)
    return out


def _capitalised_in(text: str, word: str) -> bool:
    """Whether `word` is written with a capital after the first word: a name the question gives."""
    raw = re.findall(r"\w+", text)
    return any(w.lower() == word and w[:1].isupper() for w in raw[1:])


def _topic_words(q: Question, cue: set[str]) -> list[str]:
    """The question words behind `topic_terms`' groups, in the same order."""
    return [word for _group, word in _topic_pairs(asked_words(q), q, cue)]


AMOUNT_CUES = ("hur mycket", "how much", "belopp", "amount", "kosta", "cost", "hur stort", "how large", "how big",
               # A sum or what a figure came to ("budg 2024 totalt, va landade den på?").
               "totalt", "total=", "totala", "sammanlagt", "in total", "landade på", "landar på", "landa på",
               "came to", "comes to", "amounted to", "amounts to")
_AMOUNT = re.compile(r"\d[\d\s\u00a0]*(?:,\d+)?\s*(?:kr\b|kronor|tkr|sek\b|:-|milj)", re.IGNORECASE)


# Asking how large a part or share ("how big a part of his post", "hur stor andel"): a percentage answers it.
SHARE_CUES = ("how big a part", "how large a part", "how big a share", "how large a share", "what share",
              "what part of", "what proportion", "what percentage", "hur stor del", "hur stor andel", "hur stora delar")
_SHARE = re.compile(r"\d\s*(?:%|procent|percent)", re.IGNORECASE)


def answers_amount(q: Question, text: str) -> bool:
    """A passage answers a question of how much only if it states an amount (a share: a percentage)."""
    if not q.cues.any(AMOUNT_CUES):
        return True
    return bool(_AMOUNT.search(text)) or (q.cues.any(SHARE_CUES) and bool(_SHARE.search(text)))


def mentions_name(text: str, name: str) -> bool:
    """Whether a passage speaks of a named thing: one of its distinctive words, inflected."""
    long = [w for w in re.findall(r"\w+", name.lower()) if len(w) >= 4]
    if not long:  # a short name ("FIA", "AU") is matched as a whole word
        return bool(re.search(rf"\b{re.escape(name.lower())}\b", text.lower()))
    stems = _text_stems(text)
    # A long name's start as long as it is distinctive: "Samordningskoordinator" is not met by
    # "Samordningsförbundet", though both start "samor".
    return any(f" {stem(w)[:max(5, len(stem(w)) - 4)]}" in stems for w in long)


@lru_cache(maxsize=2048)
def _text_stems(text: str) -> str:
    """A text's word stems, space-separated and space-led, for finding a name's start among them."""
    return " " + " ".join(stem(w) for w in re.findall(r"\w+", text.lower()) if len(w) >= 3)


@dataclass
class Passage:
    text: str
    source: Source
    coverage: float
    paragraph: Paragraph | None = None
    document_id: int | None = None
    # The topic stands in the text only as short items of a list (a document's Meddelanden).
    listed: bool = False


def _coverage(terms: list[tuple[str, ...]], text: str) -> float:
    """The share of the topic's word groups the text holds (a word's start, or inside a compound)."""
    if not terms:
        return 0.0
    return _covered(terms, _haystack(text))


def _covered(terms: list[tuple[str, ...]], folded: str) -> float:
    """`_coverage` over a text's haystack already built."""
    if not terms:
        return 0.0
    hits = 0
    for group in terms:
        if any(_holds(folded, t) for t in group) or _misspelt_in(group, folded):
            hits += 1
    return hits / len(terms)


def _holds(folded: str, term: str) -> bool:
    """A term as a word's start or inside a compound; a compound's two parts ("a+b") each as the
    start of a word."""
    t = fold(term)
    if "+" in t:
        return all(f" {part}" in folded for part in t.split("+"))
    if " " in t:
        return _phrase(t).search(folded) is not None
    return f" {t}" in folded or (len(t) >= 4 and t in folded)


@lru_cache(maxsize=1024)
def _phrase(term: str) -> re.Pattern[str]:
    """A counterpart of several words ("ta fram", "dra sig ur") as word starts in their order, each
    within the forms (word, stem, root) of the next few words of a haystack."""
    words = [re.escape(w) for w in term.split()]
    return re.compile(" " + r"\S*(?: \S+){0,5}? ".join(words))


@lru_cache(maxsize=4096)
def _haystack(text: str) -> str:
    """A text's words as `_coverage` compares them: each as written, its stem and its root ("hyran"
    meets "hyr…", "verksamhetsplan" keeps "plan"), folded."""
    return " " + " ".join(_word_forms(w) for w in re.findall(r"\w+", text.lower())) + " "


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> str:
    return fold(f"{word} {stem(word)} {root(word)}")


def _misspelt_in(group: tuple[str, ...], folded: str) -> bool:
    """A long word the text writes with one letter dropped, added or changed ("medelstillelning"
    for "medelstilldelning"): compared over the word's length; short words must match exactly."""
    long = [fold(t) for t in group if len(t) >= 10 and t.isalpha()]
    if not long:
        return False
    words = {w for w in folded.split() if len(w) >= 9}
    # (Over the word's length give or take a letter: "handlägggarforum" holds "handläggarforum".)
    return any(Levenshtein.distance(t, w[:n]) <= 1 for t in long for w in words for n in (len(t), len(t) + 1))


# An attribute of a matter a question asks for (its purpose, its target group), Swedish and
# English cue words (folded starts), and the words a sentence that states it holds.
STATED_ATTRIBUTES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("syfte", "syftet", "syftar", "purpose", "aim", "avsikt", "meant to", "intended"),
     ("syfte", "syftar", "avsikt", "ändamål", "i syfte")),
    (("målgrupp", "target group", "vilka riktar", "who is it for", "aimed at"),
     ("målgrupp", "riktar sig", "vänder sig")),
    # Whether goals were met, as a report says it ("Av projektets 5 mål har 3 uppnåtts"): a § on the
    # project that states no outcome of its goals holds no answer.
    (("nådde de", "nådde ni", "nådde insatsen", "nådde projektet", "nått sina mål", "nådde sina mål", "nådde målen",
      "nått målen", "uppnådde", "uppnåddes målen", "uppnått målen", "måluppfyllelse", "mot målen", "mot sina mål",
      "against its goals", "against their goals", "against the goals", "meet its goals", "met its goals",
      "meet their goals", "met their goals", "reach its goals", "reached its goals", "reach their goals",
      "reached their goals", "achieve its goals", "achieved its goals", "achieve their goals", "achieved their goals"),
     ("uppnått", "uppnåtts", "uppnåddes", "uppfyllts", "uppfyllt", "uppfylld", "nåtts", "nåddes", "måluppfyllelse",
      "achieved", "met")),
    # A condition ("vilka villkor satte de?", "on what conditions?"): a text on the matter that sets none
    # does not answer it.
    (("villkor", "condition", "förutsättning", "förbehåll", "on what terms", "provided that", "requirement"),
     ("villkor", "under förutsättning", "förutsatt att", "förbehåll", "krav på", "condition", "provided that",
      "subject to")),
    # A stance ("var vi för eller emot?"): a text that only says a statement was made holds none.
    (("för eller emot", "for or against", "positiva eller negativa", "positiv eller negativ",
      "positive or negative", "tillstyrkte", "avstyrkte", "in favour", "in favor"),
     ("tillstyrk", "avstyrk", "positiv", "negativ", "emot", "sig bakom", "stöder", "stödjer", "instämm",
      "välkomnar", "avråder", "motsätter", "in favour", "against")),
)


# Where a thing stands, asked by a word of its state ("vad hände med X, är det nedlagt?", "was it shut
# down?"), and the words by which a text states one ("behövt avslutas i förtid", "kranskontoren lagts
# ned", "ännu inte genomfört"). Folded prefixes; matched in a sentence that names the thing.
STATUS_ASKED = ("nedlagt", "nedlagd", "nedlagda", "lagts ned", "lagt ned", "lades ned", "läggs ned", "lagts ner",
                "lagt ner", "lades ner", "läggs ner", "avvecklat", "avvecklad", "avvecklats", "avslutat", "avslutad",
                "avslutades", "avslutats", "stängt", "stängd", "är den klar", "är det klart", "är de klara", "blev den klar",
                "blev det klart", "pågår det", "pågår den", "pågår fortfarande", "lever det", "still running", "still going",
                "still on", "shut down", "closed down", "wound up", "discontinued", "was it closed", "is it closed",
                "was it ended", "has it ended", "is it finished", "is it done", "was it finished", "was it completed",
                "is it over", "cancelled", "canceled", "scrapped")
STATUS_STATED = ("avslut", "lagts ned", "lagts ner", "lades ned", "lades ner", "läggs ned", "läggs ner", "nedlag",
                 "upphör", "upphört", "i förtid", "avveckl", "pågår", "pågående", "fortsätt", "förläng", "slutrapport",
                 "klart", "klar", "färdig", "genomfört", "genomförts", "genomfördes", "ännu inte", "inte genomfört", "igång",
                 "startat", "startade", "avbryt", "avbröt", "avbrut", "stäng", "inställ", "ställts in", "skjut", "uppskjut",
                 "shut", "closed", "ended", "ongoing", "continu", "completed", "cancel")


def asks_status(q: Question) -> bool:
    """Whether the question asks where a thing stands by a word of its state."""
    text = " " + " ".join(fold(w) for w in re.findall(r"\w+", q.text.lower())) + " "
    return any(f" {fold(c)}" in text for c in STATUS_ASKED)


def status_word(word: str) -> bool:
    """Whether a question word asks a state ("nedlagt"), not names the thing whose state is asked."""
    return any(fold(word.lower()) == fold(c) for c in STATUS_ASKED if " " not in c)


def states_status(terms: list[tuple[str, ...]], text: str, enough: float) -> bool:
    """Whether a sentence of the text that holds the most of the thing asked about (at least
    `enough` of its words) states its state."""
    sentences = _sentences(text) or [text]
    scores = [_coverage(terms, s) for s in sentences]
    top = max(scores, default=0.0)
    if top < enough or top == 0.0:
        return False
    return any(score == top and states(tuple(fold(m) for m in STATUS_STATED), sentence)
               for sentence, score in zip(sentences, scores, strict=True))


# Whether goals were met, asked in any word order ("Were the project goals of X fulfilled?", "har
# målet om Y uppnåtts?"): a word naming a goal and a verb of reaching one, anywhere in the question.
GOAL_NOUNS = re.compile(r"^(?:\w*mål(?:en|et)?|mal(?:en|et)?|goals?|targets?|objectives?)$")
GOAL_REACHED = ("nådde", "nått", "nåddes", "nåtts", "uppnå", "uppfyll", "klarade", "klarat", "fulfil", "achiev",
                "reach", "met=", "meet=", "accomplish",
                # How it went with the goals ("hur gick det med målen", "how did the goals turn out").
                "gick=", "went=", "turned out", "blev=")
GOAL_MARKERS = STATED_ATTRIBUTES[2][1]


def asks_goal_met(text: str) -> bool:
    """Whether a question asks if goals were reached (a goal noun and a verb of reaching one)."""
    words = re.findall(r"\w+", text.lower())
    folded = [fold(w) for w in words]
    padded = " " + " ".join(folded) + " "
    reached = any(f" {fold(v[:-1])} " in padded if v.endswith("=") else f" {fold(v)}" in padded for v in GOAL_REACHED)
    return reached and any(GOAL_NOUNS.match(w) for w in words)


def asked_attribute(q: Question) -> tuple[str, ...]:
    """The words that state the attribute the question asks for (none when it asks none)."""
    if asks_goal_met(q.text) and "why" not in q.reading_facets:
        # (Why a goal is not met asks the reason, not the outcome.)
        return tuple(fold(m) for m in GOAL_MARKERS)
    text = fold(q.text.lower())
    for cues, markers in STATED_ATTRIBUTES:
        if any(re.search(rf"\b{re.escape(fold(c))}", text) for c in cues):
            return tuple(fold(m) for m in markers)
    return ()


def states(markers: tuple[str, ...], text: str) -> bool:
    folded = fold(text.lower())
    return any(re.search(rf"\b{re.escape(m)}", folded) for m in markers)


def _quote(q: Question, terms: list[tuple[str, ...]], p: Paragraph) -> str:
    """A § as chat can show it: what the board had before it (whole when short, else its best
    sentences) and its decision once, not the proposal that repeats it."""
    account = account_of(p.body)
    decided = p.decision is not None and p.decision[:60] not in account
    markers = asked_attribute(q)
    # The sentence that states what is asked ("Syftet med insatsen har varit …") is the answer
    # even without the topic's words: the § is already the one on the topic.
    prefer: Callable[[str], bool] | None = (lambda s: states(markers, s)) if markers else (
        gives_reason if "why" in q.reading_facets else None)
    if not decided:
        body = p.body if p.decision is None or p.decision[:60] in p.body else f"{p.body}\n{p.decision}"
        # A short paragraph is quoted whole: its list or its reasoning is the answer.
        return _short(body, 900) if len(body) <= 900 else _best_sentences(
            terms, p.body, prefer=prefer, stated=bool(markers))
    assert p.decision is not None
    decision = _decision_quote(terms, p.decision)
    shown = _short(account, 600) if len(account) <= 600 else _best_sentences(
        terms, account, prefer=prefer, stated=bool(markers))
    return (shown + " … " if shown else "") + q.t("Beslut: ", "Decision: ") + decision


def _decision_quote(terms: list[tuple[str, ...]], decision: str) -> str:
    """A decision whole when short; a long one by its first sentence (what was decided) and the
    sentences on the topic (the conditions asked about), in their order."""
    limit = _decision_limit(decision)
    if len(decision) <= limit:
        return _short(decision, limit)
    sentences = [s.strip() for s in _SENTENCE.split(decision) if len(s.strip()) > 3]
    scored = sorted(((_coverage(terms, s), i) for i, s in enumerate(sentences)), key=lambda x: (-x[0], x[1]))
    keep = {0} | {i for c, i in scored[:2] if c > 0}
    return _short(" ".join(sentences[i] for i in sorted(keep)), limit + 200)


# Where a §'s decision section starts: a line that opens it ("Samordningsförbundet beslutar:",
# "Beslut", "Förslag till beslut", "Styrelsen beslutade").
_DECISION_OPENS = re.compile(r"\n\s*[-–•*]?\s*(?:[\w ]{0,40}(?:beslutar|beslutade|beslut)\s*:?|Förslag till beslut)\s*\n",
                             re.IGNORECASE)


def account_of(body: str) -> str:
    """A § body before its proposal and decision: what the board had before it."""
    return _DECISION_OPENS.split("\n" + body, maxsplit=1)[0].strip()


def near_coverage(terms: list[tuple[str, ...]], passage: Passage) -> float:
    """The best share of the topic that two neighbouring sentences of a passage hold (with the §'s
    title): a topic whose words stand far apart in a long § is not what it is about."""
    title = passage.paragraph.title if passage.paragraph is not None else ""
    sentences = _sentences(passage.text) or [passage.text]
    return max(_coverage(terms, f"{title} " + " ".join(sentences[i:i + 2])) for i in range(len(sentences)))


# Words by which a text gives a reason, a cause, a purpose or a condition (folded, matched at a
# word's start; several words as a phrase). A passage that holds the topic but none of these near
# it states the thing, not why.
REASON_MARKERS = (
    "eftersom", "på grund av", "pga", "p g a", "med anledning", "anledning", "orsak", "skäl", "motiv", "därför",
    "därav", "beror på", "till följd", "som följd", "följd av", "bakgrund", "för att", "i syfte", "syfte",
    "så att", "innebär", "inneburit", "innebar", "medför", "medfört", "lett till", "leder till", "ledde till",
    "bygger på", "utifrån", "i och med", "då det", "då de", "då man", "då möjlighet", "mot bakgrund", "behovet",
    "behov av", "behov hos",
    "olycklig", "bedöms", "bedömning", "bedömer", "konstater", "förutsättning", "krav", "villkor", "vilket gör",
    "gör att", "gjorde att", "genom att", "förväntar", "förväntas", "ambition", "nödvändig",
    "kunde inte", "inte kunde", "målet kommer", "saknas", "inte inkommit", "ännu inte", "sjukdom", "tidsbrist",
    "osäker", "risk", "för att kunna", "påverk", "pandemi", "covid", "restriktion", "brist", "eftersatt", "svårt", "svårare",
    # How a shortfall is met ("dessa medel tas från det egna kapitalet"): the account a "hur täcks" asks.
    "tas från", "tas ur", "täcks av", "täcks med", "täcks genom", "finansieras med", "finansieras genom",
    "because", "due to", "since", "as a result", "therefore", "in order to", "so that", "reason")


def gives_reason(text: str) -> bool:
    """Whether a text holds one of REASON_MARKERS."""
    words = " " + " ".join(re.findall(r"\w+", fold(text.lower()))) + " "
    return any(f" {fold(m)}" in words for m in REASON_MARKERS)


# A sentence that opens with a personal pronoun names its person in the sentence before.
_PERSONAL_PRONOUN = re.compile(r"(?:Han|Hon|Hen|De|Dom|He|She|They)\b")


def _best_sentences(terms: list[tuple[str, ...]], text: str, limit: int = 3,
                    prefer: Callable[[str], bool] | None = None, stated: bool = False) -> str:
    """The sentences that match the topic best, each with the one after it (which often holds
    the outcome or the reason), in document order; with `prefer`, a sentence on the topic that
    it holds true for (one that gives a reason, when a reason is asked) before others; with
    `stated`, a sentence it holds for first even without the topic's words (the attribute asked)."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 3]
    def score(s: str) -> float:
        c = _coverage(terms, s)
        if stated and prefer is not None and prefer(s):
            return c + 1.0
        return c + (0.3 if c > 0 and prefer is not None and prefer(s) else 0.0)
    scored = sorted(((score(s), i) for i, s in enumerate(sentences)), key=lambda x: (-x[0], x[1]))
    keep: set[int] = set()
    # Best first, while the quotation has room: the sentence that holds what is asked is never the
    # one cut off at the end of a long §'s quotation.
    for c, i in scored[:limit]:
        if c <= 0:
            continue
        group = {i, i + 1}
        if i > 0 and _PERSONAL_PRONOUN.match(sentences[i]):
            group.add(i - 1)  # "Han presenterade ett förslag": who "han" is stands just before
        # A sentence announcing a proposal ("Han presenterade ett förslag till strategi.") is followed
        # by what was proposed: that sentence is the content asked about.
        group |= {j + 1 for j in list(group) if j < len(sentences) and _ANNOUNCES.search(sentences[j])}
        group = {j for j in group if j < len(sentences)}
        if keep and sum(len(sentences[j]) + 1 for j in keep | group) > QUOTE_LIMIT:
            continue
        keep |= group
    chosen = [sentences[i] for i in sorted(keep)]
    return _short(" ".join(chosen), QUOTE_LIMIT)


# How long a quotation of a § may be in chat.
QUOTE_LIMIT = 900


_ANNOUNCES = re.compile(r"\b(?:ett förslag|förslag till|följande|a proposal|the following)\b[^.]{0,40}[.:]\s*$",
                        re.IGNORECASE)


# A question asking what a thing means, Swedish and English (cue phrases, as the kinds' tables).
DEFINITION_CUES = ("vad innebär", "vad betyder", "vad menas", "vad avses", "vad står", "innebörd", "what does",
                   "meaning of", "what is meant", "stand for", "vad är", "what is", "what are")
# Of those, the ones that ask nothing but the meaning: a text that only names the thing does not answer them.
MEANING_ONLY = ("vad innebär", "vad betyder", "vad menas", "vad avses", "innebörd", "meaning of", "what is meant",
                "stand for")
# Words that follow a term where a text says what it is ("X innebär att …", "”X”, ett verktyg …").
DEFINING = frozenset(fold(w) for w in ("innebär", "betyder", "avser", "är", "menas", "kallas", "står", "har",
                                       "kännetecknas", "means", "is", "has",
                                       "are", "refers", "stands", "ett", "en", "a", "an"))


def asks_definition(q: Question, meaning_only: bool = False) -> bool:
    return q.cues.any(MEANING_ONLY if meaning_only else DEFINITION_CUES)


def defines(terms: list[tuple[str, ...]], text: str) -> bool:
    """Whether the text says what the topic's last-named thing is: a defining word right after it."""
    if not terms:
        return False
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    last = [fold(t) for t in terms[-1]]
    return any(any(w.startswith(t) for t in last) and any(n in DEFINING for n in words[i + 1:i + 3])
               for i, w in enumerate(words))


# Asking for what a thing says or is called, in its own words ("just the wording", "vad lyder").
WORDING_CUES = ("wording", "exact words", "word for word", "verbatim", "lydelse", "lyder", "formulering",
                "ordagrant", "exakt formulering", "what does it say", "vad står det")


def asks_wording(q: Question) -> bool:
    """(Not "what is" alone: "What are the prioritised target groups?" is answered by a passage that
    lists them without a defining word.)"""
    return q.cues.any(WORDING_CUES)


def states_any(terms: list[tuple[str, ...]], text: str) -> bool:
    """Whether the text gives what one of the topic's things is: a defining word, a colon or a
    quotation right after it ("Visionen: ”…”", "Målet är att …")."""
    if any(defines([t], text) for t in terms):
        return True
    folded = fold(text.lower())
    return any(re.search(rf"\b{re.escape(fold(t))}\w*\s*(?:[:–]|\n|\s[”\"])", folded) for group in terms for t in group)


def _short(text: str, limit: int = 320) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


RELATIVE_MEETING = ("förra", "senaste", "föregående", "previous", "latest", "last=")


# Words for a meeting (not for its minutes): "förra mötet" counts meetings held, minuted or not.
MEETING_NOUNS = ("möte", "styrelsemöt", "sammanträd", "meeting")


# A meeting this recent whose minutes are missing is the one "förra mötet" means. Asked long after
# the documents end (an archive of older years), "senaste mötet" is the latest one they hold.
RECENT_MEETING_DAYS = 92


def days_of_meetings(q: Question) -> list[dt.date]:
    """The meetings with a kallelse of their own on the days the question names ("mötet 20 sept":
    the one on that day nearest the asking day, in any year): the day names that document. (A day
    a § only mentions is still what the text must say.)"""
    if not any(d.exact for d in q.dates):
        return []
    known: list[dt.date] = sorted({m.date for m in q.session.exec(select(Meeting).where(
        col(Meeting.organisation_id).in_(q.organisation_ids), Meeting.basis == "kallelse")).all()})
    out: list[dt.date] = []
    for span in q.dates:
        if not span.exact:
            continue
        if span.year_given:
            out += [d for d in known if d == span.start]
            continue
        same = [d for d in known if (d.month, d.day) == (span.start.month, span.start.day)]
        out += sorted(same, key=lambda d: abs((d - q.ctx.today).days))[:1]
    return out


def _is_meeting_day(span: DateSpan, meeting_days: list[dt.date]) -> bool:
    return any(d == span.start or (not span.year_given and (d.month, d.day) == (span.start.month, span.start.day))
               for d in meeting_days)


def unrecorded_meeting(q: Question) -> Meeting | None:
    """"Förra mötet" asked after a meeting whose protocol the store does not hold (a kallelse or a
    plan says it was held): that meeting, so the answer says its minutes are missing rather than
    answering from an older meeting's."""
    if q.scoped and dates.names_meeting_by_month(q.text):
        return _unrecorded_of_month(q)
    if q.dates or not q.scoped or not q.cues.any(RELATIVE_MEETING) or not q.cues.any(MEETING_NOUNS):
        return None
    minuted = q.session.exec(select(col(Protocol.meeting_date)).where(
        col(Protocol.organisation_id).in_(q.organisation_ids), Protocol.meeting_date <= q.ctx.today)
        .order_by(col(Protocol.meeting_date).desc())).first()
    later = select(Meeting).where(col(Meeting.organisation_id).in_(q.organisation_ids), Meeting.status != "cancelled",
                                  Meeting.date < q.ctx.today,
                                  Meeting.date >= q.ctx.today - dt.timedelta(days=RECENT_MEETING_DAYS))
    if minuted is not None:
        later = later.where(Meeting.date > minuted)
    return q.session.exec(later.order_by(col(Meeting.date).desc())).first()


def _unrecorded_of_month(q: Question) -> Meeting | None:
    """"The meeting in February" that a plan or a kallelse holds but no protocol does."""
    spans = [d for d in q.dates if not d.exact and (d.end - d.start).days < 40]
    if not spans:
        return None
    held = list(q.session.exec(select(Meeting).where(col(Meeting.organisation_id).in_(q.organisation_ids),
                                                     Meeting.status != "cancelled", Meeting.date < q.ctx.today)
                               .order_by(col(Meeting.date))).all())
    minuted = list(q.session.exec(select(col(Protocol.meeting_date)).where(
        col(Protocol.organisation_id).in_(q.organisation_ids))).all())
    for span in spans:
        if [d for d in minuted if span.contains(d)] if span.year_given else \
                nearest_in_any_year(q.ctx.today, span, minuted, lambda d: d):
            continue  # a protocol of that month is the meeting asked
        of_month = [m for m in held if span.contains(m.date)] if span.year_given else \
            nearest_in_any_year(q.ctx.today, span, held, lambda m: m.date)
        # Known only from a plan in another meeting's protocol: no kallelse or protocol of its own speaks of it.
        planned_only = [m for m in of_month if m.paragraph_id is not None and m.part_id is None]
        if planned_only and len(planned_only) == len(of_month):
            return planned_only[-1]
    return None


def protocols_in_question(q: Question) -> list[Protocol] | None:
    """The protocols the question restricts itself to ("förra mötet", a day or a month), or None.
    A year alone ("årsredovisningen för 2022") is part of the topic, not a meeting."""
    if q.cues.any(RELATIVE_MEETING) and q.cues.any(("möte", "styrelsemöt", "sammanträd", "meeting", "protokoll", "minutes")):
        if unrecorded_meeting(q) is not None:
            return []  # the meeting asked about has no protocol in the store
        rows = q.session.exec(select(Protocol).where(col(Protocol.organisation_id).in_(q.organisation_ids),
                                                     Protocol.meeting_date <= q.ctx.today)
                              .order_by(col(Protocol.meeting_date).desc())).all()
        if q.scoped:
            return list(rows[:1])
        # Several förbund, none linked or named: each one's latest, for the caller to ask which.
        latest: dict[int, Protocol] = {}
        for p in rows:
            latest.setdefault(p.organisation_id, p)
        return list(latest.values())
    spans = [d for d in q.dates if d.exact or (d.end - d.start).days < 40]
    if not spans:
        return None
    rows = q.session.exec(select(Protocol).where(col(Protocol.organisation_id).in_(q.organisation_ids))).all()
    hits = []
    for span in spans:
        if not span.year_given:
            # "den 16 april", "på mötet i november": the meeting of that day or month nearest the asking day.
            # Each förbund's own when none is linked or named, for the caller to ask which.
            for org_id in sorted({p.organisation_id for p in rows}):
                hits += nearest_in_any_year(q.ctx.today, span, [p for p in rows if p.organisation_id == org_id],
                                            lambda p: p.meeting_date)
            continue
        hits += [p for p in rows if span.contains(p.meeting_date)]
    if not hits and q.scoped and dates.names_meeting_by_month(q.text) and _unrecorded_of_month(q) is not None:
        return []  # "the meeting in February": a meeting of which no protocol is in the store
    # A day that is no meeting of the förbund ("den 19 oktober") is part of the topic.
    return hits or None


def find(q: Question, terms: list[tuple[str, ...]] | None = None, limit: int = 3,
         decisions: bool = False) -> list[Passage]:
    """The best passages on the question's topic, best first; with `decisions`, each
    paragraph's decision is quoted whole."""
    terms = topic_terms(q) if terms is None else terms
    within = protocols_in_question(q)
    meeting_days = days_of_meetings(q)
    if within is None:
        # A day that is no meeting ("den 19 oktober") is part of what the text must say; a meeting's
        # day (its kallelse: "mötet 20 september") names the document, favoured below.
        terms = terms + [_day_terms(d.start, d.year_given) for d in q.dates
                         if d.exact and not _is_meeting_day(d, meeting_days)]
    if not terms:
        return []
    allowed = set(q.organisation_ids)
    org_id = q.organisation_ids[0] if len(q.organisation_ids) == 1 else None
    passages: list[Passage] = []
    hits = search_paragraphs(q.session, " ".join(t for group in terms for t in group), org_id, limit=limit * 6)
    # Each word group alone too: common words ("finansiering") in many §§ must not crowd out the one
    # § that holds the rare word of the topic ("Helhetslyftet").
    seen = {h.paragraph_id for h in hits}
    for group in terms[:4]:
        for hit in search_paragraphs(q.session, " ".join(group), org_id, limit=limit):
            if hit.paragraph_id not in seen:
                seen.add(hit.paragraph_id)
                hits.append(hit)
    loaded = {p.id: p for p in q.session.exec(select(Paragraph).where(
        col(Paragraph.id).in_([h.paragraph_id for h in hits]))).all()} if hits else {}
    candidates: list[tuple[float, float, Paragraph]] = []
    for hit in hits:
        p = loaded.get(hit.paragraph_id)
        if p is None or p.organisation_id not in allowed:
            continue
        if within is not None and p.protocol_id not in {w.id for w in within}:
            continue
        candidates.append((_coverage(terms, f"{p.title}\n{p.body}\n{p.decision or ''}"), _coverage(terms, p.title), p))
    # Only the best are quoted and cited (a citation costs look-ups); a day asked may still lift a
    # weaker one, so then every one is.
    if not any(d.exact for d in q.dates):
        candidates = sorted(candidates, key=lambda c: -(c[0] + 0.2 * c[1]))[:limit * 2]
    for coverage, _title, p in candidates:
        passages.append(Passage(text=f"§ {p.number} {p.title}: {_quote(q, terms, p)}",
                                source=source_for(q.session, q.organisation(p.organisation_id), p.document_id, p.id),
                                coverage=coverage, paragraph=p))
    exact_days = any(d.exact for d in q.dates)
    # Reports are read too unless a § of the year asked (if one is) already holds the whole topic.
    # (A § that only lists the topic among other items says nothing of it: reports are read too.)
    if not any(p.coverage >= 0.99 and of_year(q, p) is not False and not only_listed(terms, _full(p))
               for p in passages) or exact_days or "why" in q.reading_facets:
        # (A reason asked is read in reports too: a § that names the thing may not say why.)
        passages += _in_documents(q, terms, within)
    # A day the question names that is in a document's text (an agenda's date) favours that document.
    days = [d.start.isoformat() for d in q.dates if d.exact and d.year_given] + [d.isoformat() for d in meeting_days]
    dated = {p.source.document for p in passages if days and p.source.document and any(
        day in (p.source.document or "") for day in days)}
    # A paragraph whose title names the topic is the one about it ("§ 72 Angående den statliga
    # finansieringen"), before one that mentions it in passing (an agenda's addition).
    meaning = asks_definition(q)
    # A grant or a person the question names is what the passage must be about.
    names = [m.entry.name for m in q.mentions if m.score >= 0.9 and m.entry.kind in ("grant", "person")][:2]
    # A percentage the question names ("the 10% deduction") marks the passage that states it.
    figures = percents_named(q)
    passages.sort(key=lambda p: (-(p.coverage + (0.4 if figures and holds_percents(figures, _full(p)) else 0) + (0.5 if p.source.document in dated or _dated(q, p, days) else 0)
                                   + (0.2 * _coverage(terms, p.paragraph.title) if p.paragraph is not None else 0)
                                   + (0.3 if of_year(q, p) else 0)
                                   + (0.3 if names and all(mentions_name(_full(p), n) for n in names) else 0)
                                   + (0.3 if meaning and defines(terms, p.text) else 0)),
                                 p.paragraph is None))
    return passages[:limit]


# A decision that announces a list of reasons or points ("med följande motivering;") is quoted
# with its list: cut before it, the quote would leave out why.
_ANNOUNCES_LIST = re.compile(r"(följande|nedanstående|nedan|as follows|the following)[^.]{0,60}[:;]", re.IGNORECASE)


# An item of a list as protocols write one ("- f) Slutrapport projekt Efterstöd", "• Rapport X").
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*]\s*)?(?:[a-zåäö]|\d{1,2})\)\s|^\s*[-–•*]\s")
# A list item of at most this many words names a thing; it says nothing about it.
LIST_ITEM_WORDS = 8


def only_listed(terms: list[tuple[str, ...]], text: str) -> bool:
    """Whether every line of the text that holds the most of the topic is a short list item
    ("- f) Slutrapport projekt Efterstöd" among Meddelanden): the text names the thing, says nothing of it.
    A short item that heads the prose under it ("- Budgetuppföljning", then what the follow-up said)
    is a heading of what is said of it, not an item of a list."""
    lines = [line for line in text.splitlines() if line.strip()]
    scores = [_coverage(terms, line) for line in lines]
    top = max(scores, default=0.0)
    if top == 0.0:
        return False
    holding = [i for i, score in enumerate(scores) if score == top]
    return all(_short_item(lines[i]) and not _heads_prose(lines, i) for i in holding)


def _short_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line)) and len(line.split()) <= LIST_ITEM_WORDS + 2


# An item lettered or numbered ("a)", "3)"): an entry of a list, never a heading.
_ENUMERATED_ITEM = re.compile(r"^\s*(?:[-–•*]\s*)?(?:[a-zåäö]|\d{1,2})\)\s")


def _heads_prose(lines: list[str], i: int) -> bool:
    """Whether the item on line `i` is a heading: not lettered, not after another item, and
    followed by a line of prose."""
    if _ENUMERATED_ITEM.match(lines[i]) or (i > 0 and _LIST_ITEM.match(lines[i - 1])):
        return False
    return i + 1 < len(lines) and not _LIST_ITEM.match(lines[i + 1])


def _decision_limit(decision: str) -> int:
    return 1400 if _ANNOUNCES_LIST.search(decision[:400]) else 400


def absent_terms(q: Question, terms: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The topic groups that no document in scope uses at all (as a word's start, or inside a
    compound): a thing the question names that the documents do not hold, or, for an English
    word with no Swedish counterpart, only how the question is put."""
    docs = q.session.exec(select(Document.text).where(col(Document.organisation_id).in_(q.organisation_ids),
                                                      col(Document.superseded_at).is_(None))).all()
    folded = " " + fold(" ".join(f"{w} {stem(w)} {root(w)}" for w in re.findall(r"\w+", " ".join(docs).lower()))) + " "
    org_id = q.organisation_ids[0] if len(q.organisation_ids) == 1 else None
    # A word a paragraph holds is not absent, whatever the document's stored text (a § stored alone).
    return [group for group in terms
            if not any(f" {fold(t)}" in folded or (len(t) >= 4 and fold(t) in folded) for t in group)
            and not any(search_paragraphs(q.session, t, org_id, limit=1) for t in group[1:])]


def _day_terms(day: dt.date, year_given: bool) -> tuple[str, ...]:
    """A day as the documents write it, in the form `_coverage` compares: "19 oktob", "2020 10 19"."""
    month = root(format_date(day, "MMMM", locale="sv_SE"))
    forms = [f"{day.day} {month}", f"{day.year} {day.month:02d} {day.day:02d}"]
    if not year_given:
        forms.append(f"{day.month:02d} {day.day:02d}")
    return tuple(forms)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _full(passage: Passage) -> str:
    p = passage.paragraph
    return f"{p.title}\n{p.body}\n{p.decision or ''}" if p is not None else passage.text


_PERCENT_ASKED = re.compile(r"(?<![\d,.])(\d+(?:[,.]\d+)?)\s*(?:%|procent\b|percent\b|per cent\b)", re.IGNORECASE)


def percents_named(q: Question) -> list[str]:
    """The percentages a question names ("the 10% deduction"): figures, not topic words, so the
    topic's terms leave them out; a passage that does not hold them speaks of something else."""
    return list(dict.fromkeys(m.group(1).replace(".", ",") for m in _PERCENT_ASKED.finditer(q.text)))


def figure_statement(q: Question, terms: list[tuple[str, ...]], numbers: list[str], passage: Passage) -> str | None:
    """The line of the passage's document that states the figures a question names beside a word
    of its topic ("Finansiella kostnader … -5 -105" for "varför 105 i stället för 5?", "en
    förbundschef på 65%"): a reason stands in prose, often apart from the table row or the sentence
    that gives the figures it explains. Of several, the one holding most of the topic, then the one
    nearest the passage; None when the document states the figures beside no word of the topic."""
    from handlers.answers.guard import _numbers

    document_id = passage.paragraph.document_id if passage.paragraph is not None else passage.document_id
    document = q.session.get(Document, document_id) if document_id is not None else None
    if document is None or not numbers:
        return None
    text = document.text
    anchor = text.find((passage.paragraph.body if passage.paragraph is not None else passage.text)[:40])
    best: tuple[float, int, str] | None = None
    at = 0
    for line in text.splitlines():
        start, at = text.find(line, at), text.find(line, at) + len(line)
        for segment in _sentences(line) or [line]:
            if not set(numbers) <= _numbers(segment):
                continue
            covered = _coverage(terms, segment)
            if covered <= 0:
                continue
            key = (covered, -abs(start - anchor) if anchor >= 0 else 0, " ".join(segment.split()))
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best is not None else None


def holds_percents(figures: list[str], text: str) -> bool:
    """Whether a text states each percentage ("10%", "10 %", "10 procent"; "2,5" as "2.5")."""
    for figure in figures:
        number = re.escape(figure).replace(",", "[,.]")
        if not re.search(rf"(?<![\d,.]){number}\s*(?:%|procent|percent)", text, re.IGNORECASE):
            return False
    return True


# Words that bind two topic words into one thing ("rekryteringen av förbundschef", "the
# purpose of the survey"), and the small words that may stand between ("av en ny").
# Only "av"/"of": "om", "för", "on" join a matter to a wider one ("målet om dialog", "the goal
# on equity"), which a text words apart.
BINDING = frozenset(fold(w) for w in ("av", "of"))
BINDING_FILL = frozenset(fold(w) for w in ("ny", "nya", "nytt", "new", "en", "ett", "a", "an", "the", "den", "det",
                                           "de", "vår", "våra", "our"))
# Words after which a word is a verb ("för att hoppa av", "to pull out of"), whose "av" is its particle.
VERB_BEFORE = frozenset(fold(w) for w in ("att", "to", "ska", "skulle", "will", "would"))
# How near (in words) the two must stand in a text that speaks of that one thing.
BOUND_WINDOW = 8


def bound_pairs(q: Question, pairs: list[tuple[tuple[str, ...], str]]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Topic word groups the question binds into one thing ("rekryteringen av ny förbundschef"):
    a text holding both words apart ("mandat till förbundschef … rekryteringen av
    verksamhetsutvecklare") speaks of something else."""
    by_word = {fold(w.lower()): g for g, w in pairs if " " not in w and not is_general(w)}
    words = [fold(w) for w in tokens(q.text)]
    out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for i, w in enumerate(words):
        if w not in by_word or i + 1 >= len(words) or words[i + 1] not in BINDING:
            continue
        if (i > 0 and words[i - 1] in VERB_BEFORE) or w.endswith(("ade", "ades")):
            continue  # a verb and its particle ("att hoppa av ISF-studien", "hoppade av"), no "X of Y"
        k = i + 2
        while k < len(words) and words[k] in BINDING_FILL:
            k += 1
        if k < len(words) and words[k] in by_word and by_word[words[k]] != by_word[w]:
            out.append((by_word[w], by_word[words[k]]))
    return out


def together(pair: tuple[tuple[str, ...], tuple[str, ...]], text: str) -> bool:
    """Whether a text holds both groups of a bound pair within a few words (or in one compound)."""
    words = [fold(w) for w in tokens(text)]

    def at(group: tuple[str, ...]) -> set[int]:
        return {i for i, w in enumerate(words) for t in group if "+" not in t and " " not in t
                and (w.startswith(fold(t)) or (len(t) >= 4 and fold(t) in w))}
    first, second = at(pair[0]), at(pair[1])
    return any(abs(i - j) <= BOUND_WINDOW for i in first for j in second)


def of_year(q: Question, passage: Passage) -> bool | None:
    """Whether a passage is of the year the question names ("under första tertialet 2021"): it
    says the year, or its document speaks of that year more than of any other (two follow-ups
    of different years say the same things in the same words)."""
    years = {str(d.start.year) for d in q.dates if d.year_given and not d.exact}
    if not years:
        return None  # no year asked
    if any(y in passage.text or y in passage.source.label() for y in years):
        return True
    if passage.document_id is None:
        return False
    doc = q.session.get(Document, passage.document_id)
    counts = Counter(_YEAR.findall(doc.text if doc is not None else ""))
    return bool(counts) and counts.most_common(1)[0][0] in years


def of_day(q: Question, passage: Passage) -> bool:
    """Whether a passage is of the day the question names as its period's end ("per 31 augusti
    2020"): it says the day, or its document is dated with it (a follow-up of 2021 says the same
    words of its own period)."""
    days = [d.start.isoformat() for d in q.dates if d.exact and d.year_given]
    if not days:
        return False
    if any(day in passage.text for day in days):
        return True
    doc_id = passage.document_id if passage.document_id is not None else (
        passage.paragraph.document_id if passage.paragraph is not None else None)
    doc = q.session.get(Document, doc_id) if doc_id is not None else None
    return doc is not None and any(day in doc.text[:2000] for day in days)


# A span of at most this many days names when something took place ("i februari 2021", "den 24
# september"); a whole year more often names what it is about ("beslutet om budget 2022").
EVENT_SPAN_DAYS = 31


def written_before(q: Question, passage: Passage) -> bool:
    """Whether the passage was written before the day or month the question names: it can speak of
    that time only as ahead (a meeting planned, a matter to be taken up), never record what came of it."""
    return source_written_before(q, passage.source)


def source_written_before(q: Question, source: Source) -> bool:
    """Whether the source is of a day before the day or month the question names (see written_before)."""
    spans = [d for d in q.dates if d.year_given and (d.end - d.start).days <= EVENT_SPAN_DAYS]
    written = source.meeting_date or source.attached_to
    return bool(spans) and written is not None and all(written < d.start for d in spans)


# What asks what was planned or is to come, which a text written before may well say.
PLAN_ASKED = ("planer=", "planerna", "planerad", "planeras", "planned", "plan=", "plans", "ska=", "skulle", "will=",
              "was to", "inför", "ahead of", "before the")


def asks_ahead(q: Question) -> bool:
    """Whether the question asks what was planned or is to come (PLAN_ASKED, FUTURE_ASKED), not what happened."""
    return q.cues.any(PLAN_ASKED) or q.cues.any(FUTURE_ASKED)


def _dated(q: Question, passage: Passage, days: list[str]) -> bool:
    if not days or passage.paragraph is not None or passage.document_id is None:
        return False
    doc = q.session.get(Document, passage.document_id)
    return doc is not None and any(day in doc.text for day in days)


@lru_cache(maxsize=512)
def _sentences(text: str) -> list[str]:
    """A document's sentences without its page furniture: a line repeated on every page
    ("Justerandes signatur: Utdragsbestyrkande:") would cut a sentence that runs over a page in two."""
    counts = Counter(line.strip() for line in text.splitlines() if line.strip())
    furniture = {line for line, n in counts.items() if n >= 3 and len(line) < 80}
    kept = "\n".join(line for line in text.splitlines() if line.strip() not in furniture)
    # A line wrapped inside a sentence (a PDF's or a narrow text's) is one sentence again.
    kept = _WRAPPED.sub(" ", kept)
    return [s.strip() for s in _SENTENCE.split(kept) if len(s.strip()) > 3]


# A question on what comes next, and the words by which a text speaks of it.
FUTURE_ASKED = ("vad ska hända", "vad händer nu", "framöver", "what will happen", "what happens next", "going forward",
                "i framtiden", "in future", "in the future")
_FUTURE = re.compile(r"\b(?:kommer att|kommer (?:att )?erbjudas|längre fram|framöver|planeras|will be|is planned)\b",
                     re.IGNORECASE)


def _documents_named(q: Question) -> list[str]:
    """The documents (or parts of one) the question names as where to look ("nåt nytt om X i
    tertialrapporten?"), as the folded start of their heading."""
    from handlers.understanding.documents_named import document_word, named_as_source

    return [stem for w in q.words if (stem := document_word(w)) is not None and named_as_source(q.text, w)]


def _listed(terms: list[tuple[str, ...]], sentences: list[str], hays: list[str], i: int) -> bool:
    """Whether the window of three sentences from `i` holds the topic only in short list items
    ("- f) Slutrapport projekt X"): it names the thing, one that speaks of it goes first."""
    covered = [(s, _covered(terms, hay)) for s, hay in zip(sentences[i:i + 3], hays[i:i + 3], strict=True)]
    top = max((c for _s, c in covered), default=0.0)
    held = [s for s, c in covered if c == top and c > 0]
    return bool(held) and all(_LIST_ITEM.match(s) and len(s.split()) <= LIST_ITEM_WORDS + 2 for s in held)


def _reason_near(terms: list[tuple[str, ...]], sentences: list[str], hays: list[str], i: int) -> bool:
    """Whether a sentence of the window from `i` on the topic gives a reason, or the one after it does."""
    return any(_covered(terms, hays[j]) > 0 and gives_reason(" ".join(sentences[j:j + 2]))
               for j in range(i, min(i + 3, len(sentences))))


def _in_documents(q: Question, terms: list[tuple[str, ...]], within: list[Protocol] | None) -> list[Passage]:
    """Sentences of documents without paragraphs (reports, plans): their text stays searchable."""
    query = select(Document).where(col(Document.organisation_id).in_(q.organisation_ids),
                                   col(Document.superseded_at).is_(None))
    if within is not None:
        query = query.where(col(Document.id).in_([w.document_id for w in within]))
    days = [d.start.isoformat() for d in q.dates if d.exact and d.year_given] + [d.isoformat() for d in days_of_meetings(q)]
    named_documents = _documents_named(q)
    out: list[Passage] = []
    for doc in q.session.exec(query.limit(200)).all():
        if len(doc.text) < 20:
            continue
        sentences = _sentences(doc.text)
        # A day the question names marks where in the document to look (an agenda within a file).
        dated_from = next((i for i, s in enumerate(sentences) if any(d in s for d in days)), None)
        # A document the question names as where to look ("i tertialrapporten") marks the part of
        # the file that begins with its heading.
        named_from = next((i for i, s in enumerate(sentences)
                           if any(fold(s[:60].lower()).startswith(n) for n in named_documents)), None) \
            if named_documents else None
        # Three sentences at a time: a report states its subject in one and the fact in the next.
        # Shown with the three sentences after it: "until when" is answered by what follows the subject,
        # and a short heading or a broken line must not push the amount out of view.
        # Each sentence's haystack once (and kept across questions); a window joins three.
        hays = [_haystack(s) for s in sentences]
        windows = [("".join(hays[i:i + 3]), " ".join(sentences[i:i + 6]), i) for i in range(len(sentences))]
        scored = [(_covered(terms, hay), shown, i) for hay, shown, i in windows]
        # A question on what a thing means is answered where the text says what it is (a footnote),
        # not where it is only named (a list).
        meaning = asks_definition(q)
        # What will happen is read where the text speaks of what comes ("kommer erbjudas längre fram").
        ahead = q.cues.any(FUTURE_ASKED)
        # A reason asked is read where the text gives one ("… har inneburit lägre kostnader").
        reason = "why" in q.reading_facets
        # (The share of the topic decides first: the finer keys are read only for the windows that tie on it.)
        top = max((x[0] for x in scored), default=0.0)
        best = max((x for x in scored if x[0] == top), default=(0.0, "", 0), key=lambda x: (
            x[0], x[0] > 0 and not _listed(terms, sentences, hays, x[2]),
            named_from is not None and x[2] >= named_from,
            reason and _reason_near(terms, sentences, hays, x[2]), meaning and defines(terms, sentences[x[2]]), dated_from is not None and x[2] >= dated_from,
            ahead and _FUTURE.search(x[1]) is not None, -abs(x[2] - (dated_from or 0))))
        if best[0] > 0:
            # Cited to the part of the file the passage stands in (an attached report is not
            # the protocol beside it), found by the words it begins with.
            offset = doc.text.find(sentences[best[2]][:40])
            out.append(Passage(text=_short(best[1].strip(), 800),
                               source=passage_source(q.session, q.organisation(doc.organisation_id), doc, offset),
                               coverage=best[0], document_id=doc.id,
                               listed=_listed(terms, sentences, hays, best[2])))
    # Of documents that fit alike, those of the year asked (a förbund writes the same words each year).
    return sorted(out, key=lambda p: (-p.coverage, not of_year(q, p)))[:2]
