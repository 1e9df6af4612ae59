"""Who held a role at a meeting: justerare, ordförande, sekreterare (and vice ordförande,
which the protocols rarely name)."""

from __future__ import annotations

import dataclasses

from sqlmodel import col, select

from handlers.answers import protocols
from handlers.answers.core import Question, source_for
from handlers.answers.kinds import people
from handlers.answers.reading import merge
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register
from storage.models import Attendance, Person

# Leading a meeting is chairing it: each verb before each word for the meeting, in both languages.
_LEADING = tuple(f"{verb} {noun}" for verbs, nouns in (
    (("ledde", "leder", "leda", "höll i", "håller i"), ("mötet", "styrelsemötet", "sammanträdet", "styrelsesammanträdet")),
    (("led", "leads", "ran", "runs", "chaired", "chairs", "headed", "headed up", "heads up", "head up",
      "presided over", "presides over", "preside over"), ("the meeting", "the board meeting")))
    for verb in verbs for noun in nouns)

CUES = {
    "justerare": (1.0, ("justerare", "justerar", "justerade", "justera=", "justerande", "justeringsperson",
                        "verifier", "verified", "co-signed", "signed off", "check the minutes", "checked the minutes",
                        "check minutes", "approve the minutes", "adjusted the minutes",
                        "adjust the minutes", "to adjust", "attested", "attest the minutes", "verify the minutes", "verifies",
                        "checks the minutes", "verifying", "did the justering", "does the justering",
                        "do the justering", "gjorde justeringen", "gör justeringen", *people.JUSTERARE_EN)),
    "ordförande": (1.0, ("ordförande", "ordf", "chair", "presided", "mötesledare", "mötesordförande", *_LEADING)),
    # The chair opens and closes the meeting ("Ordföranden förklarade mötet öppnat").
    "opened": (0.9, ("opened=", "öppnade=", "declared open", "förklarade mötet", "closed the meeting",
                     "avslutade mötet")),
    "sekreterare": (1.0, ("sekreterare", "secretary", "protokollförare", "minute taker", "took the minutes",
                          "who kept the minutes", "who wrote the minutes", "who recorded the minutes", "wrote up the minutes")),
    "manager": (0.6, ("förbundschef", "director", "manager", "runs the", "day to day", "head of the office",
                      "chief executive", "ceo=", "leder kansliet", "chef för kansliet", "leder förbundet",
                      "chef för förbundet", "chef i förbundet", "förbundets chef", "heads the", "head of the association",
                      "head of the förbund")),
    "vice": (1.0, ("vice ordförande", "vice chair", "vice-ordförande", "vice ordf", "deputy chair", "vice=")),
    # Chosen to a role at the meeting ("Vem valdes att justera?"): the role's holder answers it.
    "chosen": (0.3, ("valdes", "valde=", "vald=", "utsågs", "utsåg", "utses", "utsedd", "elected", "chosen", "appoint",
                    "picked", "selected", "choose", "pick=", "select=")),
    "who": (0.4, ("vem", "vilka", "who", "whom", "namn", "name")),
    # Who signed the minutes: each of the roles that sign them.
    "signed": (1.0, ("skrivit under", "skrev under", "skriver under", "undertecknat", "undertecknade", "underskrift",
                     "underskrivet", "undertecknare", "signatories", "who signed", "signatures", "signerat",
                     "signerade",
                     # English signs the minutes as Swedish "skriver under protokollet": each signer.
                     "signed the minutes", "sign the minutes")),
}
# Asking for the seat of the role's holder too: who appointed them, whom they represent, their party.
SEAT_ASKED = (*(w for w in people.CUES["appointed"][1] + people.CUES["party"][1]
                if w not in CUES["chosen"][1] and w not in ("valde=", "valdes", "elected", "chose=", "nominated")),
              "vilken kommun", "which municipality", "which council", "utsåg honom", "utsåg henne", "appointed him",
              "appointed her")
CUES["seat"] = (0.2, SEAT_ASKED)
VICE = CUES["vice"][1]
# How much of a post someone holds ("is our förbundschef full time or part time?"): not who holds
# it, and not in the attendance lists; the documents' text may say it.
# What someone said is quoted from the § text, not answered by who held a role.
SAYING = ("vad sa", "vad sade", "vad sades", "sa om", "sade om", "what was said", "what did they say", "say about",
          "said about")
# What someone moved or backed ("vad yrkade ordföranden", "what did the chair propose"): the motion
# in the § text, not who held the role. (English asks it by the verb's base form after "did".)
MOVING = ("vad yrka", "vad föresl", "vad stödde", "vad ställde", "propose=", "suggest=", "recommend=", "back=",
          "endorse=", "support=")
EXTENT = ("full time", "part time", "full-time", "part-time", "heltid", "deltid", "halvtid", "tjänstgöringsgrad",
          "sysselsättningsgrad", "procent av", "percent of", "how much of", "hur stor del", "hur stor andel",
          "how big a part", "how large a part", "what part of", "how big a share", "how large a share", "what share of",
          "what proportion of", "what percentage of")


def answer(q: Question) -> Reply | None:
    if q.cues.any(VICE):
        found = protocols._one_protocol(q)
        if isinstance(found, Reply):
            return found
        protocol, _source = found
        org = q.organisation(protocol.organisation_id)
        return Reply(q.t(f"Handlingarna namnger ingen vice ordförande för {org.name}; {protocols._label(q, protocol)} "
                         f"anger bara ordförande, sekreterare och justerare.",
                         f"The documents name no vice chair of {org.name}; {protocols._label(q, protocol)} name only "
                         f"the chair, secretary and justerare."),
                     answered=False, sources=[source_for(q.session, org, protocol.document_id)], language=q.language)
    if "opened" in q.reading_facets:
        q.reading_facets = (*q.reading_facets, "ordförande")
    if "signed" in q.reading_facets and not set(q.reading_facets) & set(protocols.ROLE_WORDS):
        return _signatories(q)
    reply = protocols.answer_people(q)
    named = list(dict.fromkeys(m.entry.name for m in q.named("person") if m.score >= 0.9))
    if reply.answered and len(named) == 1 and people.opens_yes_no(q):
        # "Var X ordförande vid mötet?": yes or no first, then who held the role.
        yes = named[0] in reply.text
        head = q.t("Ja. ", "Yes. ") if yes else q.t(f"Nej, inte {named[0]}. ", f"No, not {named[0]}. ")
        return dataclasses.replace(reply, text=head + reply.text)
    if reply.answered and q.cues.any(("när", "when", "senast", "deadline")) and q.cues.any(_justering_words()):
        # "Who was the adjuster, and by when did they have to be verified?": the holder and the deadline.
        return merge(reply, protocols.answer_justering(q))
    if reply.answered and q.cues.any(SEAT_ASKED):
        # "Vem var justerare, och vilken medlem utsåg henne?": the role's holder, and their seat.
        return _with_seat(q, reply)
    return reply




def _justering_words() -> tuple[str, ...]:
    """The words of the act of justering, Swedish and English, as the justering kind reads them."""
    from handlers.answers.kinds.justering import CUES as JUSTERING_CUES

    return JUSTERING_CUES["justering"][1]


def _signatories(q: Question) -> Reply:
    """'Vilka har skrivit under protokollet?': each role that signs it, as the protocol names them."""
    asked = q.reading_facets
    said: list[Reply] = []
    for role in protocols.ROLE_WORDS:
        q.reading_facets = (*asked, role)
        reply = protocols.answer_people(q)
        if reply.answered:
            said.append(reply)
    q.reading_facets = asked
    if not said:
        return protocols.answer_people(q)
    return Reply("\n".join(r.text for r in said), sources=said[0].sources, language=q.language)


def _with_seat(q: Question, reply: Reply) -> Reply:
    found = protocols._one_protocol(q)
    if isinstance(found, Reply):
        return reply
    protocol, _source = found
    rows = q.session.exec(select(Person.name, Attendance).join(Attendance, col(Attendance.person_id) == Person.id)
                          .where(Attendance.protocol_id == protocol.id)).all()
    seats = [people._describe(q, name, a) for name, a in rows if name in reply.text and a.member_body]
    if not seats:
        return reply
    return dataclasses.replace(reply, text=reply.text + "\n" + "\n".join(f"• {s}" for s in seats))


# Documents the board writes and sends besides its minutes ("who signed the remissyttrande", "vem
# undertecknade yttrandet"): their own § says who, not the minutes' signers. (An agreement is left
# out: a § that only drafts it, "förbundschefen upprättar avtal", says nothing of who signs.)
OTHER_DOCUMENTS = ("yttrande", "remissvar", "skrivelse", "consultation response", "letter", "statement")
SENDING = ("skickad", "skickat", "skickas", "skickade", "sent=", "send=", "sent to", "go=", "go to", "went to", "went=",
           "översänd", "gick till")
SIGNING = ("underteckn", "skrev under", "skrivit under", "signer", "signed", "signs=", "sign=", "signing")


def _fit(q: Question) -> float:
    if q.cues.any(OTHER_DOCUMENTS) and not q.cues.any(("protokoll", "minutes")):
        return -1.0
    # "När ska protokollet vara justerat?" asks a date, not a person.
    role_only = q.cues.any(CUES["justerare"][1]) and not q.cues.any(CUES["ordförande"][1] + CUES["sekreterare"][1])
    if role_only and q.cues.any(("när", "when", "senast", "deadline", "datum", "date")) and not q.cues.any(
            CUES["who"][1]):
        return -1.0
    return 0.0


KIND = register(Kind(name="officers", label_sv="vem som hade en roll vid mötet", label_en="who held a role",
                     cues=CUES, answer=answer, fit=_fit, order=4, vetoes=(*REASON_CUES, *EXTENT, *SAYING, *MOVING)))
