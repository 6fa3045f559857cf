"""Typing in the mirror's paper ballots (``samordna speilet MAPPE --papir``), one after another, over a Prompter.

For each ballot: the role (young person or parent), the age band for a young person, then every statement
of the companion bank: 0–4, «vet ikke», or not ticked (skipped). Each ballot is saved the moment it is
confirmed (``MirrorStore.save``, source «papir»), so Ctrl-C loses at most the ballot being typed in.
Nothing here asks for or stores a name, a code or free text. Tests drive it with ``ScriptedPrompter``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samordna.core.mirror import AGE_BANDS, DONT_KNOW, LEVELS, PARENT, ROLE_NAMES, YOUNG, MirrorBank, MirrorResponse
from samordna.i18n import _, n_
from samordna.io.mirror_forms import age_label
from samordna.io.mirrorfile import MirrorStore
from samordna.ui.prompter import Choice, Prompter

SKIP, DONE = "@hopp-over", "@ferdig"


@dataclass
class PaperEntry:
    """Types in paper ballots into ``store``; ``saved`` holds what was saved (also after Ctrl-C)."""

    p: Prompter
    bank: MirrorBank
    store: MirrorStore
    language: str = "nb"
    saved: list[MirrorResponse] = field(default_factory=list)

    def run(self) -> list[MirrorResponse]:
        self.p.say(_("Tast inn ett ark om gangen. Hvert ark lagres når du bekrefter det. Ctrl+C avbryter: "
                     "arkene som er lagret, beholdes."))
        while True:
            n = len(self.saved) + 1
            role = self.p.select(_("Ark nr. {n}: hvem har fylt det ut?").format(n=n), [
                Choice(_(ROLE_NAMES[YOUNG]), YOUNG), Choice(_(ROLE_NAMES[PARENT]), PARENT),
                Choice(_("Ferdig: ikke flere ark"), DONE)])
            if role == DONE:
                return self.saved
            self.ballot(role)

    def ballot(self, role: str) -> MirrorResponse | None:
        """One ballot of ``role``: asked, confirmed and saved (None when it was set aside)."""
        age: str | None = None
        if role == YOUNG:
            age = self.p.select(_("Hvilken aldersgruppe er krysset av?"), [
                *(Choice(_("{band} år").format(band=age_label(b)), b) for b in AGE_BANDS),
                Choice(_("Ingen: legg arket til side"), SKIP)])
            if age == SKIP:
                self.p.say(_("Arket er ikke lagret: uten aldersgruppe kan det ikke brukes."))
                return None
        answers: dict[str, int | str] = {}
        total = len(self.bank.statements)
        for i, st in enumerate(self.bank.statements, start=1):
            value = self.p.select(_("{i} av {n}: {text}").format(i=i, n=total, text=st.text(role)), [
                *(Choice(self.bank.label(lv), lv) for lv in LEVELS),
                Choice(self.bank.dont_know, DONT_KNOW),
                Choice(_("Ikke krysset av (hopp over)"), SKIP)])
            if value != SKIP:
                answers[st.id] = value
        if not answers:
            self.p.say(_("Arket har ingen kryss og er ikke lagret."))
            return None
        skipped = total - len(answers)
        summary = n_("{n} svar", "{n} svar", len(answers)).format(n=len(answers))
        if skipped:
            summary += ", " + n_("{n} hoppet over", "{n} hoppet over", skipped).format(n=skipped)
        if not self.p.confirm(_("Lagre arket ({summary})?").format(summary=summary), default=True):
            self.p.say(_("Arket er ikke lagret. Tast det inn på nytt."))
            return None
        response = self.store.save(self.bank, role, age, answers, "papir", self.language)
        self.saved.append(response)
        self.p.say(_("Ark nr. {n} er lagret.").format(n=len(self.saved)))
        return response
