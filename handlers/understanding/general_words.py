"""Words a question uses that never name what it is about: common verbs, adverbs, and nouns of
asking, in Swedish and English. They are matched by stem, so one form covers its inflections
("hålla" covers "hålls", "håller"). The guard (handlers/answers/guard.py) asks every other word
of a question to be accounted for by the answer; these need not be.

Language knowledge as data, one list per language, apart from the mechanism that reads it. A
word belongs here only if it cannot be the topic of a board member's question: "kosta" asks an
amount of something named elsewhere; "hyra", "lokal" or "lön" are topics and never belong here.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from storage.swedish.cleaning import fold

SWEDISH = """
finnas fanns finns funnits hålla hålls hölls hållas hållits ligga ligger låg legat hamna hamnar hamnade
bidra bidrar bidrog bidragit tillhöra tillhör tillhörde skriva skrev skrivit skrivs sitta sitter satt suttit
göra gör gjorde gjort görs göras ta tar tog tagit tas tagits få får fick fått ge ger gav gett givit ges komma
kommer kom kommit gå går gick gått stå står stod stått se ser såg sett säga säger sa sade sagt veta vet visste
tro tror trodde tänka tänker tänkte behöva behöver behövde kosta kostar kostade betala betalar betalade
använda använder använde använt visa visar visade visat lägga lägger lade lagt sätta sätter satte satt
fatta fattar fattade fattat väntas väntar beräknas beräknar bedöms bedömer uppskattas räknar räknas
heta heter hette kalla kallas kallades gälla gäller gällde handla handlar handlade
hänt hända hände händer ske sker skedde skett inträffa inträffade äga äger ägde
klart klar färdigt färdig behandla behandlar behandlade behandlades behandlats
prata pratar pratade diskutera diskuterade diskuteras nämna nämns nämndes tala talade
undra undrar fundera funderar hitta hittar kolla kollar kollade berätta berättar förklara förklarar
minnas minns glömt känna känner hjälpa hjälp vilja vill ville landa landar landade landat
bland person personen personer personerna rakt
måndag tisdag onsdag torsdag fredag lördag söndag måndags tisdags onsdags torsdags fredags lördags söndags
sluta slutar slutade börja börjar började starta startade pågå pågår pågick fortsätta fortsätter
jag mig vi oss förbereda förbereder förberedde någonstans nånstans nanstans lång långa långt länge egentligen ungefär typ liksom alltså ju väl nog bara exakt precis faktiskt kanske direkt totalt
både båda bägge
redan fortfarande igen ännu hittills senast sist först tidigare senare nyss snart alltid ofta aldrig
hellre gärna tack snälla hej hejsan tjena mvh påminna påminner påminn
koppla kopplas kopplades kopplad kopplat kopplade knyta knöts knuten knutna
inräknad inräknat inräknade medräknad medräknat medräknade inberäknad inberäknat inklusive inkl
sak saker grej grejen grejer del delen delar fall fallet sätt sättet nivå nivån nivåer läge läget
siffra siffran siffror summa summan belopp beloppet pengar kronor kr tkr mkr miljon miljoner miljonerna
uppgift uppgiften uppgifter info information svar svaret fråga frågan frågor
helår helåret hel helt heltal innevarande nuvarande aktuell aktuella aktuellt gällande
utgång utgången slut slutet tid tiden gång gången gånger dag dagen datum höst hösten vår våren sommar sommaren vinter vintern
klart klar färdigt färdig behandla behandlar behandlade behandlades behandlats respektive vecka veckan veckor månad månaden månader imorgon morgon igår förrgår övermorgon
vanlig vanligt ordinarie egen eget egna annan annat andra enskilt enskild enskilda
nyhet nyheten notis artikel lista listan snabbt snabb kort kortfattat sammanfattning sammanfatta någon nån något nåt undrar
aning aningen skjuta skjuter sköt skjutit tillskjuter tillsköt
någonstans nånstans gemensamt arkivera arkiveras
anta antar antog förstå förstår förstod höra hör hört hörde verka verkar verkade tydligen visst
kunna kunnat
"""

ENGLISH = """
including included inclusive counting counted
be is are was were been being have has had do does did done make makes made get gets got gotten
take takes took taken give gives gave given come comes came go goes went gone stand stood see saw seen
say says said know knew known think thought need needs needed cost costs costed pay pays paid use uses
using used show shows showed shown put puts set sets sit sits sat hold holds held lie lies lying lay
end ends ended land landed attach attached attaching call called named name go happen happened
happening handled dealt considered news item article want wants wanted like among person persons people's discuss discussed mention mentioned talk talked tell told explain explained find found
look looked check checked remember expect expected expects estimate estimated forecast projected
belong belongs belonged contribute contributes contributed write wrote written sign signed
shall should would could will may might must can
prepare preparing long again already still yet ever never often always usually exactly roughly approximately about around
actually really just only please thanks thank hey hello hi btw anyway also too remind reminding
thing things case level levels figure figures number numbers amount amounts money sum
info information answer question questions detail details
whole entire current present ongoing year's day date dates autumn fall spring summer winter
usual regular ordinary own other others another single
done finished ready dealt deal handled handle respectively week weeks month months tomorrow yesterday
sheet monday tuesday wednesday thursday friday saturday sunday
full complete list quick quickly summary summarise summarize short brief briefly pls plz kindly okay ok
someone somebody anyone anybody something anything wonder wondering curious overall basically precise precisely
jointly together recorded noted stated written somewhere anywhere
part parts side sides way ways approx fine time times maybe perhaps probably exist exists existed existing
occur occurs occurred concern concerns concerning regarding help recall forget forgot linked connected
here moment moments currently presently nowadays
one ones away
supposed meant piece stay stays stayed staying
gather guess reckon suppose assume believe understand understood hear heard seem seems seemed apparently
"""

_SV = snowballstemmer.stemmer("swedish")
_EN = snowballstemmer.stemmer("english")


def _stems(words: str, stemmer: snowballstemmer.stemmer) -> frozenset[str]:
    return frozenset(fold(stemmer.stemWord(w)) for w in words.split())


_SV_STEMS = _stems(SWEDISH, _SV)
_EN_STEMS = _stems(ENGLISH, _EN)
_WORDS = frozenset(fold(w) for w in (SWEDISH + ENGLISH).split())


@lru_cache(maxsize=16384)
def is_general(word: str) -> bool:
    """Whether a question word is one of these general words, in any of its forms."""
    w = word.lower()
    return fold(w) in _WORDS or fold(_SV.stemWord(w)) in _SV_STEMS or fold(_EN.stemWord(w)) in _EN_STEMS
