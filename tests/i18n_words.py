"""Telltale words: a word from this list in a text that should be in the language named means the text is
in another language (tests of the catalogs and of the outputs use the same lists).

A word counts only as a whole word, case-insensitively. Quoted official titles that stay in bokmål by rule
(a glossed title) are removed first (KEPT_TITLES)."""

from __future__ import annotations

import re

TELLTALE = {
    # bokmål words that nynorsk writes otherwise
    "nn": ["ikke", "hva", "hvordan", "hvem", "hvis", "hvilke", "hvilken", "ansatte", "virksomhet", "bare", "hele",
           "være", "gjøre", "mye", "noen", "deres", "enn så lenge", "fra", "tjenester",
           "tjenestene", "anbefaling", "anbefalinger", "skolen", "oppdagelse", "taushetsplikt", "deltaker", "deltakere",
           "veiledning", "svarene", "lagret", "laget"],
    # Norwegian words that English does not use (function words and the commonest nouns of this tool)
    "en": ["ikke", "ikkje", "og", "eller", "av", "med", "til", "på", "som", "det", "kan", "skal", "ein", "ei",
           "én", "runde", "deltaker", "deltakar", "tiltak", "påstand", "påstander", "svar", "nivå", "mappe", "fil",
           "vet", "veit", "kommunen", "rapporten", "handlingsplanen", "samlet", "samla"],
    # nynorsk words that bokmål writes otherwise
    "nb": ["ikkje", "kva", "korleis", "kven", "berre", "heile", "vere", "gjere", "tilsette", "verksemd", "tenester",
           "tenestene", "tilråding", "teieplikt", "deltakar", "deltakarar", "eigen", "dei", "frå", "rettleiing"],
}

KEPT_TITLES = [
    "Tidlig oppdagelse av utsatte barn og unge",
    "Tidleg oppdaging av utsette barn og unge",
    "Fra bekymring til handling",  # an older guideline's title, quoted as it was published (IS-1742)
]

_WORDS = {lang: re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)
          for lang, words in TELLTALE.items()}


_CODE = re.compile(r"samordna(?: [\w./*<>\-]+| -{1,2}[\w-]+(?: \w+)?)+|<[^<>\s]+>|\S+\.(?:yaml|html|xlsx|pdf|ods)\b"
                   r"|\b[\w-]+/(?:[\w.*<>-]+/?)*")


def telltales(text: str, lang: str) -> list[str]:
    """The telltale words of another language found in ``text``, which should be in ``lang``. Command lines,
    file names and paths are left out (they are the same in every language)."""
    for title in KEPT_TITLES:
        text = text.replace(title, " ")
    text = _CODE.sub(" ", text)
    return [m.group(1) for m in _WORDS[lang].finditer(text)]
