"""Synthetic workspaces: the sample municipality and generated ones for tests and benchmarks.

Everything is seeded, so the same call writes the same files.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank
from samordna.core.mirror import DONT_KNOW as MIRROR_DONT_KNOW
from samordna.core.mirror import MirrorBank
from samordna.core.models import Answer, ConsensusEntry
from samordna.i18n import N_, _, use_language
from samordna.io.atomic import atomic_write_bytes
from samordna.io.localfile import LOCAL_FILE
from samordna.io.mirrorfile import MirrorStore
from samordna.io.workspace import Round, Workspace

# How each sector tends to see each domain (added to the latent level).
SECTOR_BIAS = {
    "ledelse": {"LED": 0.5, "ROL": 0.3, "OPP": 0.3},
    "barnevern": {"TAU": 0.6, "ROL": 0.3, "BRU": 0.3},
    "helsestasjon": {"TID": 0.5, "KOM": 0.2},
    "barnehage": {"TID": 0.3, "TAU": -0.3},
    "grunnskole": {"SAM": -0.2, "TAU": -0.3},
    "nav": {"TID": -0.4, "SAM": -0.3},
    "kultur-fritid": {"LED": -0.4, "TAU": -0.5, "SAM": -0.3},
    "bruker": {"BRU": -0.8, "OPP": -0.4},
    "psykisk-helse-rus": {"SAM": -0.4, "BRU": 0.2},
}
UNSURE_SECTORS = {"kultur-fritid": 0.22, "bruker": 0.25, "tannhelse": 0.2, "fastlege-helse": 0.15, "politi-slt": 0.15}

COMMENTS = {
    "LED": [
        "Planen er vedtatt, men lite kjent ute i tjenestene.",
        "Kommunedirektøren har løftet 0–24 i ledermøtet flere ganger i år.",
        "Samordning står i planene, men ikke i budsjettet.",
        "Vi savner at toppledelsen følger opp det som ble bestemt.",
    ],
    "ROL": [
        "Det er ofte uklart hvem som tar ballen når flere tjenester er inne.",
        "Koordinerende enhet er godt kjent i helse, mindre i skole.",
        "Vi har fått en rutine for hvem som leder samarbeidet i enkeltsaker.",
    ],
    "SAM": [
        "Det tverrfaglige teamet møtes fast annenhver uke.",
        "Samarbeidsavtalen mellom skole og barnevern er fra 2017 og ikke revidert.",
        "Møtene er gode, men referatene når ikke de som trenger dem.",
        "Overgangen fra ungdomsskole til videregående er der vi mister flest.",
    ],
    "TID": [
        "Handlingsveilederen er tatt i bruk i barnehagene, ikke ennå i skolen.",
        "Nyansatte vet ikke alltid hva de skal gjøre ved bekymring.",
        "Vi bruker Ungdata aktivt i planarbeidet.",
    ],
    "TAU": [
        "Samtykkeskjemaet brukes ulikt i barnehage og skole.",
        "Mange er usikre på hva de kan dele uten samtykke.",
        "Kurset om taushetsplikt i vår ga et tydelig løft.",
        "Anonyme drøftinger fungerer godt, men få vet at de finnes.",
    ],
    "KOM": [
        "Felles fagdager ble kuttet i budsjettet.",
        "Opplæringen har blitt sektorvis igjen etter at koordinatoren sluttet.",
        "Nyansatte får ikke lenger felles introduksjon.",
    ],
    "BRU": [
        "Ungdomsrådet er spurt én gang, om planen, ikke om rutinene.",
        "Barnets stemme kommer fram i barnevernet, sjeldnere i andre tjenester.",
        "Vi samler ikke inn erfaringer fra familiene på en systematisk måte.",
    ],
    "OPP": [
        "Vi evaluerer tiltak i enkeltsaker, men ikke samarbeidet som helhet.",
        "Stafettloggen er innført, men brukes lite.",
        "Handlingsplanen fra i fjor ble fulgt opp i ledermøtet to ganger.",
    ],
}

RATIONALES = [
    N_("Gruppen mente at rutinen finnes, men ikke er kjent i alle tjenestene."),
    N_("Vi landet her fordi det finnes skriftlige rutiner, men de følges ikke opp systematisk."),
    N_("Flere tjenester har startet, men arbeidet er ikke felles ennå."),
    N_("Planen er vedtatt og brukt; oppfølgingen mangler fortsatt."),
    N_("Det er gode eksempler, men de avhenger av enkeltpersoner."),
    N_("Gruppen var enig om at dette er på plass og blir fulgt opp i ledermøtet."),
]
# The documentation a group records for its answer on the legal minimum.
LEGAL_RATIONALES = {
    YES: [N_("Vedtatt i kommunestyret, sak {n}/{yy}."), N_("Rutinen ligger i kvalitetssystemet, dokument {n}."),
          N_("Lagt fram for kommunestyret, sak {n}/{yy}; protokollen er lagt ved.")],
    NO: [N_("Ikke vedtatt ennå; saken er planlagt lagt fram neste år."), N_("Rutinen finnes ikke skriftlig."),
         N_("Rapporten er ikke lagt fram for kommunestyret i år.")],
    DONT_KNOW: [N_("Ingen i rommet visste; kommunedirektørens stab sjekker og melder tilbake."),
                N_("Uklart om rutinen gjelder alle tjenestene; barnevernslederen undersøker.")],
}
# Who knows the legal minimum: leaders answer it far more often than the rest.
LEGAL_DONT_KNOW = {"ledelse": 0.1, "barnevern": 0.2}
LEGAL_DONT_KNOW_OTHERS = 0.45

DISSENTS = [
    N_("Skolen mener nivået er lavere sett fra klasserommet."),
    N_("Barnevernet opplever dette som bedre enn gruppen samlet."),
    N_("Helsestasjonen ønsket et nivå lavere."),
]


@dataclass
class Profile:
    """Latent maturity per domain and year, plus how noisy people are."""

    levels: dict[str, list[float]]  # domain id -> level per round
    noise: float = 0.7
    disagreement_items: int = 6
    comment_rate: float = 0.12
    dont_know_rate: float = 0.05
    not_applicable_rate: float = 0.02


SAMPLE_NAME = "Eksempeldal"
SAMPLE_NUMBER = "9999"
SAMPLE_YEARS = [2024, 2025, 2026]
SAMPLE_SECTORS = {
    2024: ["ledelse", "barnehage", "grunnskole", "ppt", "helsestasjon", "psykisk-helse-rus", "barnevern", "nav",
           "kultur-fritid"],
    2025: ["ledelse", "barnehage", "grunnskole", "vgs", "helsestasjon", "psykisk-helse-rus", "tannhelse", "barnevern",
           "nav", "bruker"],
    2026: ["ledelse", "ledelse", "barnehage", "grunnskole", "vgs", "ppt", "helsestasjon", "psykisk-helse-rus",
           "fastlege-helse", "barnevern", "nav"],
}
SAMPLE_PROFILE = Profile(levels={
    "LED": [1.6, 2.3, 2.9],   # clear progress: the plan was adopted and followed up
    "ROL": [1.8, 2.0, 2.4],
    "SAM": [2.2, 2.6, 3.0],   # progress
    "TID": [2.0, 2.2, 2.5],
    "TAU": [1.4, 2.0, 2.7],   # progress after joint training on confidentiality
    "KOM": [2.6, 2.2, 1.6],   # decline: joint training days were cut
    "BRU": [1.2, 1.4, 1.7],
    "OPP": [1.5, 1.8, 2.2],
})


@dataclass
class RoundSpec:
    year: int
    sectors: list[str]
    consensus: bool = True
    priorities: bool = True
    opened: date | None = None
    bank_path: Path | None = None  # the bank this round opens with (None: the one given to ``generate``)
    local_additions: Path | None = None  # written as the workspace's lokale-tillegg.yaml before the round opens


def _clamp_level(x: float) -> int:
    return max(0, min(4, int(round(x))))


def legal_truth(bank: Bank, rng: random.Random, yes_share: float = 0.75) -> dict[str, str]:
    """What is really so in the municipality for each legal-minimum item (mostly ja, some nei)."""
    return {item.id: YES if rng.random() < yes_share else NO for item in bank.legal_minimum}


def legal_answer(truth: str, sector: str, rng: random.Random) -> str:
    """One person's answer on a legal item: leaders mostly know; others often say «vet ikke»; a few are wrong."""
    r = rng.random()
    if r < LEGAL_DONT_KNOW.get(sector, LEGAL_DONT_KNOW_OTHERS):
        return DONT_KNOW
    if rng.random() < 0.1:
        return NO if truth == YES else YES
    return truth


def _answers(bank: Bank, rng: random.Random, profile: Profile, index: int, sector: str,
             offsets: dict[str, float], split: set[str], comments: bool,
             truth: dict[str, str] | None = None) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for item_id, really in (truth or {}).items():
        out[item_id] = Answer(level=legal_answer(really, sector, rng))
    bias = SECTOR_BIAS.get(sector, {})
    unsure = UNSURE_SECTORS.get(sector, profile.dont_know_rate)
    for dom in bank.domains:
        series = profile.levels.get(dom.id, [2.0])
        latent = series[min(index, len(series) - 1)]
        for ind in dom.indicators:
            r = rng.random()
            if r < unsure:
                value: int | str = DONT_KNOW
            elif r < unsure + profile.not_applicable_rate and not ind.is_statutory:
                value = NOT_APPLICABLE
            else:
                noise = profile.noise * (2.4 if ind.id in split else 1.0)
                value = _clamp_level(latent + offsets[ind.id] + bias.get(dom.id, 0.0) + rng.gauss(0, noise))
            comment = None
            if comments and rng.random() < profile.comment_rate:
                comment = rng.choice(COMMENTS.get(dom.id, ["Se diskusjonen i møtet."]))
            out[ind.id] = Answer(level=value, comment=comment)
    return out


def generate(
    root: Path,
    bank_path: Path,
    *,
    name: str = SAMPLE_NAME,
    number: str = SAMPLE_NUMBER,
    rounds: list[RoundSpec] | None = None,
    profile: Profile = SAMPLE_PROFILE,
    seed: int = 2024,
    comments: bool = True,
    county: str | None = None,
    language: str | None = None,
) -> Workspace:
    """Write a complete workspace with answers, consensus and priorities (with ``language``, its language form,
    the made-up rationales are in it too: the people of a nynorsk municipality write nynorsk)."""
    with use_language(language or "nb"):
        return _generate(root, bank_path, name=name, number=number, rounds=rounds, profile=profile, seed=seed,
                         comments=comments, county=county, language=language)


def _generate(root: Path, bank_path: Path, *, name: str, number: str, rounds: list[RoundSpec] | None,
              profile: Profile, seed: int, comments: bool, county: str | None, language: str | None) -> Workspace:
    rng = random.Random(seed)
    rounds = rounds or [RoundSpec(y, SAMPLE_SECTORS[y], consensus=y != 2026, priorities=y != 2026) for y in SAMPLE_YEARS]
    ws = Workspace.init(root, name, number, county, language=language)
    for index, spec in enumerate(rounds):
        opened = spec.opened or date(spec.year, 10, 14)
        if spec.local_additions is not None:
            atomic_write_bytes(ws.root / LOCAL_FILE, Path(spec.local_additions).read_bytes())
        rnd = ws.new_round(year=spec.year, bank_path=spec.bank_path or bank_path, opened=opened)
        bank = rnd.bank
        offsets = {ind.id: rng.uniform(-0.5, 0.5) for ind in bank.indicators}
        split = set(rng.sample([i.id for i in bank.indicators], k=min(profile.disagreement_items, len(bank.indicators))))
        stamp = datetime(opened.year, opened.month, opened.day, 12, 0)
        levels_by_ind: dict[str, list[int]] = {ind.id: [] for ind in bank.indicators}
        truth = legal_truth(bank, rng)  # empty (no draws) for a bank without a legal minimum
        for p, sector in enumerate(spec.sectors, start=1):
            pf = rnd.new_participant(f"D{p:02d}", sector, source="demo")
            pf.answers = _answers(bank, rng, profile, index, sector, offsets, split, comments, truth)
            for k, a in pf.answers.items():
                if isinstance(a.level, int):
                    levels_by_ind[k].append(a.level)
            rnd.save_participant(pf, stamp=stamp)
        if spec.consensus:
            entries = {item_id: ConsensusEntry(level=really, rationale=legal_rationale(really, rng, spec.year),
                                               recorded=stamp.replace(hour=13))
                       for item_id, really in truth.items()}
            for ind in bank.indicators:
                levels = levels_by_ind[ind.id]
                if not levels:
                    continue
                agreed = _clamp_level(statistics.median(levels) + rng.choice([-0.5, 0, 0, 0.4]))
                entries[ind.id] = ConsensusEntry(
                    level=agreed, rationale=_(rng.choice(RATIONALES)),
                    dissent=_(rng.choice(DISSENTS)) if ind.id in split else None,
                    recorded=stamp.replace(hour=14),
                )
            rnd.save_consensus(entries)
        if spec.priorities:
            from samordna.core.scoring import score_workspace_round

            result = score_workspace_round(ws, rnd)
            rnd.save_priorities([p.id for p in result.priorities[:4]], chosen=opened)
    return ws


def legal_rationale(answer: str, rng: random.Random, year: int) -> str:
    """The documentation a group records with its answer on a legal item (a made-up case number)."""
    return _(rng.choice(LEGAL_RATIONALES[answer])).format(n=rng.randint(10, 140), yy=str(year - 1)[-2:])


def legal_consensus_script(rnd: Round, rng: random.Random, known: dict[str, str] | None = None) -> list[str]:
    """What a group answers when ``flows.consensus.run_consensus`` asks the legal minimum (it comes first):
    for each item not yet agreed, what those who knew said (the group checks the documents in the room: a tie
    is «nei», and «vet ikke» only when nobody knew), its documentation and no dissent. ``known``: items the
    group settles from a document it has in the room, whatever the answers said (id -> ja / nei)."""
    from samordna.flows.consensus import legal_counts

    done = rnd.consensus()
    script: list[str] = []
    for c in legal_counts(rnd).values():
        if c.n_responses and c.id not in done:
            answer = (DONT_KNOW if not (c.n_yes or c.n_no) else YES if c.n_yes > c.n_no else NO)
            answer = (known or {}).get(c.id, answer)
            script += [answer, legal_rationale(answer, rng, rnd.year), ""]
    return script


def sample_rounds(old_bank_path: Path | None, local_additions: Path | None) -> list[RoundSpec]:
    """The sample municipality's years: 2024 and 2025 on the earlier bank (when given), 2026 on the current
    one with the municipality's local additions; consensus and priorities in the first two."""
    return [RoundSpec(y, SAMPLE_SECTORS[y], consensus=y != 2026, priorities=y != 2026,
                      bank_path=old_bank_path if y != 2026 else None,
                      local_additions=local_additions if y == 2026 else None)
            for y in SAMPLE_YEARS]


def write_sample(root: Path, bank_path: Path, old_bank_path: Path | None = None,
                 local_additions: Path | None = None) -> Workspace:
    return generate(root, bank_path, rounds=sample_rounds(old_bank_path, local_additions))


def random_answers(bank: Bank, rng: random.Random, mean: float, sector: str = "") -> dict[str, Answer]:
    """Answers around ``mean`` for every indicator: some «vet ikke», a few «ikke relevant» (never on a
    statutory indicator), some comments; and ja / nei / vet ikke on the legal minimum (more «ja» the higher
    ``mean``; leaders know more than others)."""
    answers: dict[str, Answer] = {}
    for item in bank.legal_minimum:
        truth = YES if rng.random() < min(0.95, 0.35 + mean * 0.17) else NO
        answers[item.id] = Answer(level=legal_answer(truth, sector, rng))
    for dom in bank.domains:
        for ind in dom.indicators:
            r = rng.random()
            level: int | str
            if r < 0.15:
                level = DONT_KNOW
            elif r < 0.17 and not ind.is_statutory:
                level = NOT_APPLICABLE
            else:
                level = max(0, min(4, round(mean + rng.gauss(0, 0.8))))
            comment = rng.choice(COMMENTS[dom.id]) if dom.id in COMMENTS and rng.random() < 0.12 else None
            answers[ind.id] = Answer(level=level, comment=comment)
    return answers


# --- the young people's mirror (core.mirror): a youth council and a parents' group ---------------------------

# How the fictional young people experience each area (0–4) in the newest round: lower than the leaders'
# levels where the seeds say it is felt most (telling the same story again, being asked, turning 18).
MIRROR_YOUNG = {"LED": 2.0, "ROL": 0.9, "SAM": 1.9, "TID": 1.6, "TAU": 1.2, "KOM": 1.8, "BRU": 1.0, "OPP": 1.5,
                "OVG": 0.8}
MIRROR_PARENT_LIFT = 0.4  # parents see a little more of the services than the young people do


def mirror_answers(bank: MirrorBank, rng: random.Random, area_means: dict[str, float]) -> dict[str, int | str]:
    """One person's answers to every statement of the companion bank: around the area's mean, now and then
    «vet ikke» (more often on what young people seldom see, such as what adults pass on)."""
    answers: dict[str, int | str] = {}
    for st in bank.statements:
        dont_know = 0.18 if st.area in ("TAU", "SAM") else 0.07
        if rng.random() < dont_know:
            answers[st.id] = MIRROR_DONT_KNOW
        else:
            answers[st.id] = max(0, min(4, round(area_means.get(st.area, 2.0) + rng.gauss(0, 0.9))))
    return answers


def write_mirror(store: MirrorStore, bank: MirrorBank, rng: random.Random, young: int, parents: int,
                 shift: float = 0.0, saved: datetime | None = None) -> int:
    """A fictional youth council of ``young`` (age bands mixed) and a parents' group of ``parents`` answering
    the mirror in one round (``shift`` moves every area up or down, for earlier years). Returns how many."""
    bands = ("13-15", "13-15", "16-18", "16-18", "16-18", "19-24")
    young_means = {a: v + shift for a, v in MIRROR_YOUNG.items()}
    parent_means = {a: v + MIRROR_PARENT_LIFT for a, v in young_means.items()}
    stamp = saved or datetime(2026, 11, 2, 18, 0)
    for k in range(young):
        rid = "S" + "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(7))
        store.save(bank, "ungdom", bands[k % len(bands)], mirror_answers(bank, rng, young_means), "skjema",
                   rid=rid, saved=stamp)
    for _k in range(parents):
        rid = "S" + "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(7))
        store.save(bank, "foreldre", None, mirror_answers(bank, rng, parent_means), "papir", rid=rid, saved=stamp)
    return young + parents
