"""The guided self-assessment over a Prompter: order, resume, back/skip, review and summary.

Every answer is saved (atomically, through ``Round.update_participant``, which re-reads
the file under the workspace lock) the moment it is chosen, so Ctrl-C, a closed
terminal, a killed process or a second writer loses nothing already answered.
Running again resumes at the first unanswered statement in bank order.
Nothing here imports questionary: tests drive it with ``ScriptedPrompter``.

A bank with a legal minimum (2.0 and later) asks it first, Ja / Nei / Vet ikke, each with
who knows the answer and the law it rests on. A statutory indicator offers no «Ikke relevant»;
an indicator with its own level descriptors shows them in its choices; a local one is marked.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable

from samordna.core import fmt
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank, Indicator, LegalItem
from samordna.core.codes import normalize_code
from samordna.core.errors import SamordnaError
from samordna.core.models import Answer, ParticipantFile, SectorList
from samordna.core.privacy import screen_text
from samordna.core.scoring import Response, score_round
from samordna.i18n import N_, SOURCE, _, n_, use_language
from samordna.io import pins
from samordna.io.workspace import Round
from samordna.ui.prompter import Choice, Prompter

HELP, SKIP, BACK, PAUSE, STOP, DONE = "@les-mer", "@hopp-over", "@forrige", "@pause", "@oversikt", "@ferdig"
ANSWERED = "@besvart"
LEGAL = "@juridisk"
LEGAL_HEADING = N_("Juridisk minimum: det loven krever")  # shown as _(LEGAL_HEADING)

Item = LegalItem | Indicator  # what a participant answers: the legal minimum first, then the indicators
SELECT_HINT = N_("(piltaster og Enter)")  # shown as _(SELECT_HINT)
NO_HINT = " "  # questionary shows an English hint when the instruction is empty


def hint(message: str) -> str:
    """The navigation hint, when it fits on the prompt's line."""
    text = _(SELECT_HINT)
    return text if len(message) + len(text) + 4 <= width() else NO_HINT


class Paused(Exception):
    """The person chose «Ta pause»: everything is saved; the command says how to continue."""


def width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100) - 2)


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    return textwrap.fill(" ".join(text.split()), width=width(), initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent)


# --- who is answering -------------------------------------------------------------


def _sentence(text: str | None) -> str | None:
    return text[0].upper() + text[1:] + "." if text else None


def resolve_sector(sectors: SectorList, text: str) -> str:
    sid = sectors.resolve(text)
    if sid is None:
        raise SamordnaError(_("Ukjent sektor «{text}». Bruk en av: {sectors}.").format(text=text,
                                                                                      sectors=", ".join(sectors.by_id)))
    return sid


def existing_participant(rnd: Round, code: str, sector: str | None) -> ParticipantFile | None:
    """The saved answers for ``code`` (None if none), refusing a different sector: a sign two people share a code."""
    if not rnd.participant_path(code).exists():
        return None
    pf = rnd.load_participant(code)
    check_sector(rnd, pf, sector)
    return pf


def check_sector(rnd: Round, pf: ParticipantFile, sector: str | None) -> None:
    """Refuse a sector other than the saved one: a sign two people share a code."""
    code = pf.participant
    if sector is not None and sector != pf.sector:
        names = rnd.workspace.sectors
        raise SamordnaError(
            _("Deltakerkoden {code} er allerede i bruk i runde {round} med sektoren «{saved}», ikke «{given}». "
              "Er det deg, så kjør uten --sector. Ellers: velg en annen kode. Ingenting er endret.").format(
                code=code, round=rnd.id, saved=names.name(pf.sector), given=names.name(sector)),
            path=rnd.participant_path(code),
        )


def citation(bank: Bank, source_id: str) -> str:
    """A law source as people cite it («barnevernsloven § 15-1 andre ledd»), else its short name."""
    src = bank.source_by_id.get(source_id)
    return source_id if src is None else (src.citation or src.short)


def statutory_note(bank: Bank, ind: Indicator) -> str:
    laws = "; ".join(citation(bank, s) for s in ind.statutory)
    return _("Lovpålagt ({laws}): kan ikke svares «{label}».").format(laws=laws, label=bank.scale.not_applicable.label)


def local_note(ind: Indicator) -> str:
    return (_("Lokal påstand, lagt til av {owner}.").format(owner=ind.local_owner) if ind.local_owner
            else _("Lokal påstand."))


def participant_code_problem(rnd: Round, code: str) -> str | None:
    """See ``io.pins.participant_code_problem`` (the one rule for a code entering a round)."""
    return pins.participant_code_problem(rnd, code)


def check_access(rnd: Round, code: str, pin: str | None, ask: Callable[[str], str] | None = None,
                 say: Callable[[str], None] | None = None, tries: int = 3) -> None:
    """Refuse (SamordnaError, before anything is shown) to open saved answers under a code with a PIN
    unless the PIN is given (``pin``) or typed (``ask``, up to ``tries`` times).

    A code without saved answers, or without a PIN (earlier rounds, the sample), is open as before.
    Wrong PINs are counted across runs: after ``pins.MAX_TRIES`` in a row the code is closed for a while."""
    if not rnd.participant_path(code).exists() or not pins.has_pin(rnd, code):
        return
    wrong = _("PIN-koden for {code} stemmer ikke. Svarene vises ikke, og ingenting er endret. PIN-koden står på lappen "
              "du fikk sammen med deltakerkoden; har du mistet den, spør fasilitator.").format(code=code)

    def closed(verdict: pins.Verdict) -> SamordnaError:
        until = verdict.closed_until.strftime("%H:%M") if verdict.closed_until else ""
        return SamordnaError(_("Koden {code} er stengt til kl. {until} etter {n} feil PIN-koder på rad. Svarene "
                               "vises ikke, og ingenting er endret. Prøv igjen da, med PIN-koden på lappen din.")
                             .format(code=code, until=until, n=pins.MAX_TRIES))

    if pin is None and ask is None:
        raise SamordnaError(_("{code} har svar i runde {round} og er beskyttet med PIN-kode. Oppgi den med --pin PIN "
                              "(den står på lappen sammen med koden). Ingenting er vist eller endret.")
                            .format(code=code, round=rnd.id))
    for k in range(1 if pin is not None else tries):
        typed = pin if pin is not None else ask(_("PIN-kode for {code} (står på lappen din):").format(code=code)) \
            if ask else None
        verdict = pins.verify_pin(rnd, code, typed)
        if verdict.ok:
            return
        if verdict.closed_until is not None:
            raise closed(verdict)
        if say is not None and pin is None and k + 1 < tries:
            say(_("Feil PIN-kode. Prøv igjen."))
    raise SamordnaError(wrong)


def _short_code_problem(rnd: Round, typed: str) -> str | None:
    """What is wrong with a typed code, short enough for the one line under the prompt."""
    code = normalize_code(typed)
    with use_language(SOURCE):  # the kind of problem is told by its bokmål words, whatever the screen's language
        problem = participant_code_problem(rnd, code)
    if problem is None:
        return None
    if "ikke delt ut" in problem:
        return _("Koden {code} er ikke delt ut i denne runden. Sjekk lappen din.").format(code=code)
    if "fødselsnummer" in problem:
        return _("Det ser ut som et fødselsnummer. Bruk koden på lappen din.")
    return _("Bruk koden på lappen: fire tegn med minst ett tall, som K7QX. Aldri navn.")


def ask_code(p: Prompter, rnd: Round) -> str:
    n = len(rnd.bank.item_ids)
    while True:
        p.say(_("Skriv koden du har fått på lappen, for eksempel K7QX. Bruk aldri navnet ditt."))
        code = normalize_code(p.text(_("Deltakerkode:"), validate=lambda t: _short_code_problem(rnd, t) or True))
        if rnd.participant_path(code).exists() and not pins.has_pin(rnd, code):
            pf = rnd.load_participant(code)
            p.say(wrap(_("Koden {code} er allerede i bruk: {n} av {total} svar, sektor {sector}.").format(
                code=code, n=len(pf.answers), total=n, sector=rnd.workspace.sectors.name(pf.sector))))
            mine = p.select(_("Er det deg?"), [Choice(_("Ja, jeg fortsetter der jeg slapp"), True),
                                               Choice(_("Nei, jeg velger en annen kode"), False)],
                            instruction=_(SELECT_HINT))
            if not mine:
                continue
        return code  # a code with a PIN: the PIN is asked next (check_access), before anything is shown


def ask_sector(p: Prompter, sectors: SectorList) -> str:
    msg = _("Hvilken tjeneste eller sektor jobber du i?")
    return p.select(msg, [Choice(s.name, s.id) for s in sectors.sectors], instruction=hint(msg))


def intro_text(rnd: Round) -> str:
    bank = rnd.bank
    names = ", ".join(f"{lv.level} {lv.name}" for lv in bank.scale.levels)
    minutes = max(5, round((len(bank.indicators) * 0.6 + len(bank.legal_minimum) * 0.3) / 5) * 5)
    legal = []
    if bank.legal_minimum:
        yes_no = _("«{yes}», «{no}» eller «{dont_know}»").format(
            yes=bank.scale.label(YES), no=bank.scale.label(NO), dont_know=bank.scale.dont_know.label)
        n_legal = len(bank.legal_minimum)
        legal = [wrap(n_("{heading}: Først kommer {n} spørsmål om det loven krever av kommunen. Svar {answers}. "
                         "Til hvert spørsmål står det hvem som vet svaret; vet du det ikke selv, er «Vet ikke» et "
                         "godt svar.",
                         "{heading}: Først kommer {n} spørsmål om det loven krever av kommunen. Svar {answers}. "
                         "Til hvert spørsmål står det hvem som vet svaret; vet du det ikke selv, er «Vet ikke» et "
                         "godt svar.", n_legal).format(heading=_(LEGAL_HEADING), n=n_legal, answers=yes_no)), ""]
    statutory = (" " + _("Påstander om en plikt i loven (lovpålagt) kan ikke svares «Ikke relevant».")
                 if any(ind.is_statutory for ind in bank.indicators) else "")
    parts = [
        _("Selvevaluering: {title}").format(title=bank.title),
        _("{municipality}, runde {round}").format(municipality=rnd.workspace.name, round=rnd.id),
        "",
        wrap(_("Formål: Svarene viser hvordan du ser samarbeidet om utsatte barn og unge i kommunen i dag. "
               "Sammen med de andres svar er de grunnlaget for drøftingen i workshopen og for handlingsplanen.")),
        "",
        wrap(_("Skalaen: For hver påstand velger du et nivå fra 0 til 4: {levels}.").format(levels=names)),
        wrap(_("Eksempel: Finnes planen, men bare skolene bruker den, svarer du 2 Delvis på plass. "
               "Velg «Vet ikke» heller enn å gjette, og «Ikke relevant» hvis påstanden ikke passer for kommunen.")
             + statutory),
        "",
        *legal,
        wrap(_("Tid: {count}, om lag {minutes} minutter. "
               "Hvert svar lagres med en gang. Du kan ta pause når du vil (Ctrl+C) og fortsette senere.").format(
                   count=_count(bank), minutes=minutes)),
        "",
        wrap(_("Personvern: Du svarer under en kode, ikke med navn. Skriv aldri navn eller noe som peker på "
               "barn, familier eller kolleger i kommentarene (taushetsplikt).")),
    ]
    return "\n".join(parts)


def _count(bank: Bank) -> str:
    inds = _("{n} påstander i {areas} områder").format(n=len(bank.indicators), areas=len(bank.domains))
    if not bank.legal_minimum:
        return inds
    n = len(bank.legal_minimum)
    return n_("{n} spørsmål om loven og {statements}", "{n} spørsmål om loven og {statements}", n).format(
        n=n, statements=inds)


# --- the session ------------------------------------------------------------------


class AssessSession:
    def __init__(self, rnd: Round, pf: ParticipantFile, prompter: Prompter):
        self.rnd, self.pf, self.p = rnd, pf, prompter
        self.bank = rnd.bank
        # everything a participant answers, in the order asked: the legal minimum first
        self.inds: list[Item] = [*self.bank.legal_minimum, *self.bank.indicators]
        self.index = {ind.id: i for i, ind in enumerate(self.inds)}
        self.skipped: set[str] = set()
        self._comment_hint = False

    # state ----------------------------------------------------------------------
    @property
    def n_answered(self) -> int:
        return sum(1 for ind in self.inds if ind.id in self.pf.answers)

    def unanswered(self) -> list[Item]:
        return [ind for ind in self.inds if ind.id not in self.pf.answers]

    def first_open(self, after: int = -1) -> int | None:
        for i in range(after + 1, len(self.inds)):
            ind_id = self.inds[i].id
            if ind_id not in self.pf.answers and ind_id not in self.skipped:
                return i
        return None

    def set_answer(self, ind_id: str, level: int | str, comment: str | None) -> None:
        """Save one answer into the file as it is on disk now (another process may have added answers)."""
        answer = Answer(level=level, comment=comment)

        def change(current: ParticipantFile | None) -> ParticipantFile:
            if current is not None:
                check_sector(self.rnd, current, self.pf.sector)
            pf = current if current is not None else self.pf  # a new participant, or a file removed meanwhile
            pf.answers[ind_id] = answer
            pf.answers = {ind.id: pf.answers[ind.id] for ind in self.inds if ind.id in pf.answers}
            return pf

        self.pf = self.rnd.update_participant(self.pf.participant, change, command="samordna assess")

    def label(self, ind_id: str) -> str:
        a = self.pf.answers.get(ind_id)
        if a is None:
            return _("(ubesvart)")
        return self.bank.scale.label(a.level)

    # one statement ----------------------------------------------------------------
    def _header(self, i: int) -> None:
        item = self.inds[i]
        say = self.p.say
        say("")
        say("-" * width())
        if isinstance(item, LegalItem):
            left = _("Juridisk minimum · spørsmål {i} av {n}").format(i=i + 1, n=len(self.inds))
            heading = _(LEGAL_HEADING).upper()
        else:
            dom = self.bank.domain_of[item.id]
            d = next(k for k, x in enumerate(self.bank.domains) if x.id == dom.id) + 1
            left = _("Område {d} av {areas} · spørsmål {i} av {n}").format(d=d, areas=len(self.bank.domains), i=i + 1,
                                                                         n=len(self.inds))
            heading = dom.name.upper()
        right = _("{n} av {total} besvart").format(n=self.n_answered, total=len(self.inds))
        say(left + right.rjust(max(1, width() - len(left))))
        say(heading)
        say("")
        say(wrap(f"{item.id} {item.short}"))
        if isinstance(item, LegalItem):
            say(wrap(item.question, "  "))
            say("")
            say(wrap(_("Hvem vet svaret: {who}").format(who=item.who), "  ", "    "))
            say(wrap(_("Lovkrav: {laws}").format(laws=citation(self.bank, item.references[0])), "  ", "    "))
        else:
            say(wrap(item.statement, "  "))
            notes = ([local_note(item)] if item.local else []) + (
                [statutory_note(self.bank, item)] if item.is_statutory else [])
            if notes:
                say("")
                for note in notes:
                    say(wrap(note, "  ", "    "))
        say("")

    def _choices(self, item: Item, nav: list[Choice]) -> list[Choice]:
        scale = self.bank.scale
        current = self.pf.answers.get(item.id)
        now = current.level if current else None
        mark = "   " + _("(ditt svar nå)")
        out: list[Choice] = []
        if isinstance(item, LegalItem):
            for value, special in ((YES, scale.yes), (NO, scale.no)):
                out.append(Choice(scale.label(value) + (mark if now == value else ""), value,
                                  _desc(special.description) if special else None))
        else:
            for lv in scale.levels:
                title = f"{lv.level}  {lv.name}"
                desc = lv.description
                if item.levels:  # the indicator's own words, cut to one line on screen; in full below the list
                    title = f"{lv.level} – {lv.name}"
                    room = width() - len(title) - len(mark) - 6
                    title += f": {_cut(' '.join(item.levels[lv.level].split()), max(20, room))}"
                    desc = item.levels[lv.level]
                out.append(Choice(title + (mark if now == lv.level else ""), lv.level, _desc(desc)))
        out.append(Choice(scale.dont_know.label + (mark if now == DONT_KNOW else ""), DONT_KNOW,
                          _desc(scale.dont_know.description)))
        if self.bank.allows(item.id, NOT_APPLICABLE):
            out.append(Choice(scale.not_applicable.label + (mark if now == NOT_APPLICABLE else ""), NOT_APPLICABLE,
                              _desc(scale.not_applicable.description)))
        what = (_("Hva spørsmålet betyr, og hva som kan vise at den stemmer.") if isinstance(item, LegalItem)
                else _("Hva påstanden betyr, og hva som kan vise at den stemmer."))
        out.append(Choice(_("Les mer (hjelpetekst og eksempler)"), HELP, _desc(what)))
        return out + [Choice(c.title, c.value, _desc(c.description) if c.description else None) for c in nav]

    def ask(self, i: int, nav: list[Choice]) -> str:
        """Ask statement ``i``. Returns ANSWERED or the value of the nav choice picked."""
        ind = self.inds[i]
        current = self.pf.answers.get(ind.id)
        while True:
            self._header(i)
            choices = self._choices(ind, nav)
            default = current.level if current and any(c.value == current.level for c in choices) else None
            picked = self.p.select(_("Ditt svar på {id}:").format(id=ind.id), choices, default=default,
                                   instruction=_(SELECT_HINT))
            if picked == HELP:
                self._show_help(ind)
                continue
            if picked == PAUSE:
                raise Paused
            if isinstance(picked, str) and picked.startswith("@"):
                return picked
            break
        old = current.comment if current else None
        self.set_answer(ind.id, picked, old)  # saved before the comment is asked
        comment = self._ask_comment(old)
        if comment != old:
            self.set_answer(ind.id, picked, comment)
        self.skipped.discard(ind.id)
        return ANSWERED

    def _show_help(self, ind: Item) -> None:
        say = self.p.say
        say("")
        say(_("Om {id} {short}").format(id=ind.id, short=ind.short))
        say(wrap(ind.help, "  "))
        say("")
        if isinstance(ind, LegalItem):
            say(wrap(_("Hvem vet svaret: {who}").format(who=ind.who)))
            if ind.note:
                say(wrap(ind.note, "  "))
            say(_("Lovkrav:"))
            for ref in ind.references:
                src = self.bank.source_by_id.get(ref)
                say(wrap(f"{citation(self.bank, ref)}" + (f" ({src.url})" if src else ""), "  - ", "    "))
            say("")
            say(wrap(_("Svarer gruppen «nei» eller «vet ikke», foreslår handlingsplanen: {actions}").format(
                actions=" ".join(ind.actions))))
        else:
            if ind.levels:
                say(_("Nivåene for denne påstanden:"))
                for lv in self.bank.scale.levels:
                    say(wrap(f"{lv.level} – {lv.name}: {ind.levels[lv.level]}", "  ", "      "))
                say("")
            say(_("Dette kan vise at påstanden stemmer:"))
            for ev in ind.evidence:
                say(wrap(ev, "  - ", "    "))
            refs = [self.bank.source_by_id[r].short for r in ind.references if r in self.bank.source_by_id]
            if refs:
                say(wrap(_("Bygger på: {sources}.").format(sources="; ".join(refs))))
        say("")
        self.p.select(_("Gå tilbake når du er klar:"), [Choice(_("Tilbake til spørsmålet"), BACK)], instruction="(Enter)")

    def _ask_comment(self, old: str | None) -> str | None:
        if not self._comment_hint:
            self.p.say(wrap(_("Du kan skrive en kort kommentar, for eksempel hvorfor du valgte nivået. "
                              "Ikke skriv navn eller noe som peker på barn, familier eller kolleger.")))
            self._comment_hint = True
        text = old or ""
        while True:
            text = (self.p.text(_("Kommentar (valgfri, Enter for å gå videre):"), default=text) or "").strip()
            if not text:
                return None
            screening = screen_text(text)
            for msg in screening.blocked:
                self.p.say(wrap(_("Kommentaren kan ikke lagres. {reason}").format(reason=msg)))
            if screening.blocked:
                continue
            if screening.warnings:
                for msg in screening.warnings:
                    self.p.say(wrap(msg))
                msg = _("Vil du beholde kommentaren slik den er?")
                keep = self.p.select(msg, [Choice(_("Ja, behold den"), True),
                                           Choice(_("Nei, jeg skriver den om"), False)], instruction=hint(msg))
                if not keep:
                    continue
            return text

    # walking --------------------------------------------------------------------------
    def walk(self) -> None:
        """Unanswered statements in bank order; back goes to the previous one shown, like a browser."""
        i = self.first_open()
        history: list[int] = []
        forward: list[int] = []
        while i is not None:
            answered = self.inds[i].id in self.pf.answers
            nav = [Choice(_("Gå videre uten å endre") if answered else _("Hopp over (kom tilbake senere)"), SKIP)]
            if history:
                nav.append(Choice(_("< Forrige spørsmål"), BACK))
            nav.append(Choice(_("Ta pause (svarene er lagret)"), PAUSE, _("Avslutt nå og fortsett senere der du slapp.")))
            action = self.ask(i, nav)
            if action == BACK:
                forward.append(i)
                i = history.pop()
                continue
            if action == SKIP and not answered:
                self.skipped.add(self.inds[i].id)
            history.append(i)
            i = forward.pop() if forward else self.first_open(i)

    def run(self) -> None:
        self.walk()
        self.summary()

    def review(self) -> None:
        """Choose an area, then a statement, and change its answer; or go through all in order."""
        doms = self.bank.domains
        default: object = 0
        self.p.say("")
        self.p.say(wrap(_("Gjennomgang av svarene for {code} ({sector}), runde {round}: {n} av {total} besvart. "
                          "Velg et område og en påstand for å endre svaret. Endringer lagres med en gang.").format(
                              code=self.pf.participant, sector=self.rnd.workspace.sectors.name(self.pf.sector),
                              round=self.rnd.id, n=self.n_answered, total=len(self.inds))))
        legal = self.bank.legal_minimum
        while True:
            choices = [Choice(_("Gå gjennom alle svarene i rekkefølge"), "@alle")]
            if legal:
                got = sum(1 for item in legal if item.id in self.pf.answers)
                choices.append(Choice(_("{name} ({n} av {total} besvart)").format(name=_(LEGAL_HEADING), n=got,
                                                                                 total=len(legal)), LEGAL))
            for k, dom in enumerate(doms):
                got = sum(1 for ind in dom.indicators if ind.id in self.pf.answers)
                choices.append(Choice(_("{name} ({n} av {total} besvart)").format(name=dom.name, n=got,
                                                                                 total=len(dom.indicators)), k))
            choices.append(Choice(_("Ferdig med å endre"), DONE))
            self.p.say("")
            question = _("Hvilke svar vil du se på?")
            picked = self.p.select(question, choices, default=default, instruction=hint(question))
            if picked == DONE:
                return
            if picked == "@alle":
                self._review_in_order()
                default = DONE
                continue
            if picked == LEGAL:
                self._review_items(_(LEGAL_HEADING), legal)
                default = 0
                continue
            self._review_items(doms[picked].name, doms[picked].indicators)
            default = picked + 1 if picked + 1 < len(doms) else DONE

    def _review_items(self, title: str, items: list[LegalItem] | list[Indicator]) -> None:
        """Pick one of ``items`` (a domain's indicators, or the legal minimum) and change its answer."""
        default: object = items[0].id
        while True:
            choices = [Choice(f"{item.id:<7} {_cut(item.short, 34):<34} {self.label(item.id)}", item.id)
                       for item in items]
            choices.append(Choice(_("< Tilbake til områdene"), BACK))
            self.p.say("")
            pick = (_("{title}: velg spørsmålet du vil endre.") if self.bank.is_legal(items[0].id)
                    else _("{title}: velg påstanden du vil endre."))
            self.p.say(pick.format(title=title.upper()))
            picked = self.p.select(_("Endre svar:"), choices, default=default, instruction=_(SELECT_HINT))
            if picked == BACK:
                return
            self.ask(self.index[picked], [Choice(_("< Tilbake uten å endre"), BACK)])
            ids = [item.id for item in items]
            pos = ids.index(picked) + 1
            default = ids[pos] if pos < len(ids) else BACK

    def _review_in_order(self) -> None:
        i = 0
        while 0 <= i < len(self.inds):
            nav = [Choice(_("Gå videre uten å endre"), SKIP)]
            if i > 0:
                nav.append(Choice(_("< Forrige spørsmål"), BACK))
            nav.append(Choice(_("Til oversikten"), STOP))
            action = self.ask(i, nav)
            if action == STOP:
                return
            i = i - 1 if action == BACK else i + 1

    # the end ----------------------------------------------------------------------------
    def profile_lines(self) -> list[str]:
        answers = {k: a.level for k, a in self.pf.answers.items() if not self.bank.is_legal(k)}
        result = score_round(self.bank, [Response(self.pf.sector, answers)])
        lines = []
        legal = self.bank.legal_minimum
        if legal:
            given = [self.pf.answers[i.id].level for i in legal if i.id in self.pf.answers]
            counts = ", ".join(f"{given.count(v)} {self.bank.scale.label(v).lower()}" for v in (YES, NO, DONT_KNOW))
            lines += [_("{heading}: {counts} ({n} av {total} besvart)").format(
                heading=_(LEGAL_HEADING), counts=counts, n=len(given), total=len(legal)), ""]
        lines.append(f"{_('Område'):<36} {_('Ditt nivå (0-4)'):<27}{_('Besvart')}")
        for dom, res in zip(self.bank.domains, result.domains, strict=True):
            got = sum(1 for ind in dom.indicators if ind.id in self.pf.answers)
            bar = "" if res.level is None else "#" * round(res.level * 5) + "." * (20 - round(res.level * 5))
            share = _("{n} av {total}").format(n=got, total=len(dom.indicators))
            lines.append(f"{_cut(dom.name, 36):<36} {fmt.num(res.level, empty='-'):>4}  {bar:<20} {share}")
        return lines

    def summary(self) -> None:
        while True:
            say = self.p.say
            sectors = self.rnd.workspace.sectors
            say("")
            say("-" * width())
            say(_("Oppsummering for {code} ({sector}), runde {round}: {n} av {total} besvart").format(
                code=self.pf.participant, sector=sectors.name(self.pf.sector), round=self.rnd.id,
                n=self.n_answered, total=len(self.inds)))
            say("")
            for line in self.profile_lines():
                say(line)
            open_ = self.unanswered()
            if open_:
                say("")
                say(_("Ubesvart ({n}):").format(n=len(open_)))
                for ind in open_[:6]:
                    say(f"  {ind.id:<7} {ind.short}")
                if len(open_) > 6:
                    say("  " + _("... og {n} til").format(n=len(open_) - 6))
            say("")
            choices = [Choice(_("Svar på de ubesvarte ({n})").format(n=len(open_)), "@ubesvarte")] if open_ else []
            choices += [Choice(_("Endre et svar"), "@endre"), Choice(_("Ferdig"), DONE)]
            question = _("Hva vil du gjøre nå?")
            picked = self.p.select(question, choices, default="@ubesvarte" if open_ else DONE,
                                   instruction=hint(question))
            if picked == DONE:
                if open_:
                    say(wrap(_("{n} påstander står ubesvart. Det går fint: de telles ikke med, "
                               "og du kan svare på dem senere.").format(n=len(open_))))
                return
            if picked == "@ubesvarte":
                self.skipped.clear()
                self.walk()
            else:
                self.review()


def _desc(text: str) -> str:
    """A choice description, wrapped to fit under the list (questionary indents it by two)."""
    return "\n  ".join(textwrap.wrap(" ".join(text.split()), width=width() - 2))


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."
