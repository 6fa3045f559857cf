"""samordna assess through the CLI: the new user's path with Ctrl-C and resume, --review, and --answers files."""

from __future__ import annotations

import pytest
import yaml

from banks import pinned_to_bank_1_0
from samordna.flows import assess as flow
from samordna.ui.prompter import INTERRUPT
from test_privacy import DNR, FNR

# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged.
# Bank 2.0 (legal minimum, statutory indicators, level descriptors) is tested in test_legal_minimum_inputs.py.
bank_path, bank = pinned_to_bank_1_0()


ROUND = "2026"


def answers_path(ws, code="D05"):
    return ws / "runder" / ROUND / "svar" / f"{code}.yaml"


def on_disk(ws, code="D05") -> dict:
    return yaml.safe_load(answers_path(ws, code).read_text(encoding="utf-8"))



def test_new_user_path_interrupt_resume_review_finish(cli, empty_ws, scripted, bank):
    n = len(bank.indicators)
    # 1. start: intro, code, sector, three answers (one skipped), Ctrl-C at the fifth
    p = scripted([True, "D05", "barnehage", 2, "", "vet_ikke", "Uklart hvem som eier planen", flow.SKIP, 3, "",
                  INTERRUPT])
    r = cli(["assess", empty_ws])
    assert r.exit_code == 130, r.output
    assert "Avbrutt. Svarene dine er lagret (3 av 42)." in r.stdout
    assert f"Fortsett med: samordna assess {empty_ws} --participant D05" in r.stdout
    assert "Formål" in "\n".join(p.said)
    data = on_disk(empty_ws)
    assert data["participant"] == "D05" and data["sector"] == "barnehage" and data["source"] == "assess"
    assert data["answers"] == {"LED-01": {"level": 2},
                               "LED-02": {"level": "vet_ikke", "comment": "Uklart hvem som eier planen"},
                               "LED-04": {"level": 3}}

    # 2. again: lands on the first unanswered (the skipped LED-03), then everything else
    rest = [1, ""] + [3, ""] * (n - 4)
    p = scripted(rest + [flow.DONE])
    r = cli(["assess", empty_ws, "--participant", "D05"])
    assert r.exit_code == 0, r.output
    first_question = next(m for k, m in p.transcript if m.startswith("Ditt svar"))
    assert first_question == "Ditt svar på LED-03:"
    assert "Velkommen tilbake, D05 (Barnehage). Du har svart på 3 av 42." in "\n".join(p.said)
    assert "Takk! Svarene dine (42 av 42)" in r.stdout

    # 3. --review: change LED-04 from 3 to 1 with a comment
    p = scripted([0, "LED-04", 1, "Bare i noen tjenester", flow.BACK, flow.DONE, flow.DONE])
    r = cli(["assess", empty_ws, "--participant", "D05", "--review"])
    assert r.exit_code == 0, r.output

    answers = on_disk(empty_ws)["answers"]
    expected = {ind.id: {"level": 3} for ind in bank.indicators}
    expected.update({"LED-01": {"level": 2},
                     "LED-02": {"level": "vet_ikke", "comment": "Uklart hvem som eier planen"},
                     "LED-03": {"level": 1},
                     "LED-04": {"level": 1, "comment": "Bare i noen tjenester"}})
    assert answers == expected
    assert list(answers) == [ind.id for ind in bank.indicators]


def test_interrupt_before_any_answer_says_nothing_saved(cli, empty_ws, scripted):
    scripted([True, INTERRUPT])
    r = cli(["assess", empty_ws])
    assert r.exit_code == 130
    assert "Ingen svar er lagret" in r.stdout
    assert not answers_path(empty_ws).exists()


def test_pause_exits_zero_and_says_how_to_continue(cli, empty_ws, scripted):
    scripted([True, 4, "", flow.PAUSE])
    r = cli(["assess", empty_ws, "-p", "D09", "-s", "NAV"])
    assert r.exit_code == 0, r.output
    assert "Pause. Svarene dine er lagret (1 av 42)." in r.stdout
    assert on_disk(empty_ws, "D09")["sector"] == "nav"


def test_declining_to_start_writes_nothing(cli, empty_ws, scripted):
    scripted([False])
    r = cli(["assess", empty_ws, "-p", "D05", "-s", "barnehage"])
    assert r.exit_code == 0
    assert not answers_path(empty_ws).exists()


def test_bad_code_and_unknown_sector_are_usage_errors(cli, empty_ws, scripted):
    scripted([])
    r = cli(["assess", empty_ws, "--participant", "Kari Nordmann"])
    assert r.exit_code == 2 and "«Kari Nordmann» er ugyldig" in r.stderr and "aldri navn" in r.stderr
    r = cli(["assess", empty_ws, "--participant", "D05", "--sector", "skolen"])
    assert r.exit_code == 2 and "Ukjent sektor «skolen»" in r.stderr


def test_review_without_answers_is_refused(cli, empty_ws, scripted):
    scripted([])
    r = cli(["assess", empty_ws, "--participant", "D05", "--review"])
    assert r.exit_code == 2
    assert "har ingen svar" in r.stderr


def test_without_a_terminal_it_points_to_answers_file(cli, empty_ws):
    r = cli(["assess", empty_ws, "--participant", "D05", "--sector", "nav"])
    assert r.exit_code == 2
    assert "--answers" in r.stderr


# --- --answers ----------------------------------------------------------------------


GOOD_YAML = """\
participant: D07
sector: Barnehage
bank: {id: samordna-0-24, version: "1.0.0"}
answers:
  LED-01: 3
  LED-02: vet ikke
  LED-03: {level: 2, comment: "Gjelder bare skolene."}
  ROL-01: Ikke relevant
  ROL-02: "4"
"""


def test_answers_yaml_fills_the_file(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.yaml"
    f.write_text(GOOD_YAML, encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f])
    assert r.exit_code == 0, r.output
    assert "Lagret 5 svar" in r.stdout
    data = on_disk(empty_ws, "D07")
    assert data["sector"] == "barnehage" and data["source"] == "fil"
    assert data["answers"] == {"LED-01": {"level": 3}, "LED-02": {"level": "vet_ikke"},
                               "LED-03": {"level": 2, "comment": "Gjelder bare skolene."},
                               "ROL-01": {"level": "ikke_relevant"}, "ROL-02": {"level": 4}}


def test_answers_csv_with_semicolons_and_norwegian_headers(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.csv"
    f.write_text("id;påstand;svar;kommentar\n"
                 "LED-01;Forebyggende plan vedtatt;2;Under arbeid\n"
                 "LED-02;;VET IKKE;\n"
                 "LED-03;;;\n"
                 "LED-04;;IR;\n", encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f, "--participant", "D08", "--sector", "ppt"])
    assert r.exit_code == 0, r.output
    assert on_disk(empty_ws, "D08")["answers"] == {"LED-01": {"level": 2, "comment": "Under arbeid"},
                                                   "LED-02": {"level": "vet_ikke"},
                                                   "LED-04": {"level": "ikke_relevant"}}


def test_answers_csv_in_windows_encoding_with_commas(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.csv"
    f.write_bytes("id,svar,kommentar\nLED-01,1,Påbegynt i år\n".encode("cp1252"))
    r = cli(["assess", empty_ws, "--answers", f, "-p", "D08", "-s", "ppt"])
    assert r.exit_code == 0, r.output
    assert on_disk(empty_ws, "D08")["answers"]["LED-01"] == {"level": 1, "comment": "Påbegynt i år"}


BAD_FILES = [
    ("ukjent.yaml", "participant: D07\nsector: nav\nanswers:\n  LED-01: 3\n  LED-77: 2\n",
     ["ukjent.yaml, linje 5", "ukjent indikator «LED-77»"]),
    ("niva.yaml", "participant: D07\nsector: nav\nanswers:\n  LED-01: 7\n",
     ["niva.yaml, linje 4 (answers.LED-01)", "ugyldig svar «7»"]),
    ("versjon.yaml", "participant: D07\nsector: nav\nbank: {id: samordna-0-24, version: '2.0.0'}\nanswers:\n  LED-01: 3\n",
     ["versjon.yaml, linje 3 (bank)", "samordna-0-24 2.0.0", "runden bruker samordna-0-24 1.0.0"]),
    ("annenbank.yaml", "participant: D07\nsector: nav\nbank: {id: annen-bank, version: '1.0.0'}\nanswers:\n  LED-01: 3\n",
     ["annenbank.yaml, linje 3 (bank)", "annen-bank 1.0.0"]),
    ("odelagt.yaml", "participant: D07\nanswers:\n  LED-01: [3\n  LED-02: 1\n",
     ["odelagt.yaml, linje", "kolonne", "ikke gyldig YAML"]),
    ("fnr.yaml", f"participant: D07\nsector: nav\nanswers:\n  LED-01:\n    level: 2\n    comment: Gjelder {FNR}\n",
     ["fnr.yaml, linje 6 (answers.LED-01.comment)", "taushetsplikt"]),
    ("sektor.yaml", "participant: D07\nsector: skolen\nanswers:\n  LED-01: 3\n",
     ["sektor.yaml, linje 2 (sector)", "ukjent sektor «skolen»"]),
    ("navn.yaml", "participant: Kari Nordmann\nsector: nav\nanswers:\n  LED-01: 3\n",
     ["navn.yaml, linje 1 (participant)", "aldri navn"]),
    ("nokkel.yaml", "participant: D07\nsector: nav\nanswer:\n  LED-01: 3\n",
     ["nokkel.yaml, linje 3 (answer)", "ukjent nøkkel"]),
    ("tom.yaml", "participant: D07\nsector: nav\nanswers: {}\n", ["ingen svar"]),
    ("niva.csv", "id;svar\nLED-01;3\nLED-02;7\n", ["niva.csv, rad 3, kolonne «svar»", "ugyldig svar «7»"]),
    ("ukjent.csv", "id;svar\nLED-01;3\nXYZ-1;2\n", ["ukjent.csv, rad 3, kolonne «id»", "ukjent indikator «XYZ-1»"]),
    ("dobbel.csv", "id;svar\nLED-01;3\nLED-01;2\n", ["dobbel.csv, rad 3", "også på rad 2"]),
    ("dnr.csv", f"id;svar;kommentar\nLED-01;3;D-nummer {DNR}\n", ["dnr.csv, rad 2, kolonne «kommentar»", "taushetsplikt"]),
    ("kolonne.csv", "id;svar;komentar\nLED-01;3;hei\n", ["kolonne.csv, rad 1, kolonne 3", "ukjent kolonne «komentar»"]),
    ("svar.txt", "LED-01: 3\n", ["ukjent filtype «.txt»"]),
]


@pytest.mark.parametrize("name,content,expected", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_answer_files_are_refused_and_nothing_is_written(cli, empty_ws, tmp_path, name, content, expected):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f, "--participant", "D07", "--sector", "nav"]
            if name.endswith(".csv") else ["assess", empty_ws, "--answers", f])
    assert r.exit_code == 2, r.output
    for text in expected:
        assert text in r.stderr, (text, r.stderr)
    assert not list((empty_ws / "runder" / ROUND / "svar").iterdir())
    assert FNR not in r.output and DNR not in r.output  # the number is never echoed back


def test_answers_file_does_not_silently_replace_earlier_answers(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.yaml"
    f.write_text("participant: D07\nsector: nav\nanswers:\n  LED-01: 3\n", encoding="utf-8")
    assert cli(["assess", empty_ws, "--answers", f]).exit_code == 0
    before = answers_path(empty_ws, "D07").read_bytes()
    f.write_text("participant: D07\nanswers:\n  LED-01: 1\n  LED-02: 2\n", encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f])
    assert r.exit_code == 2
    assert "LED-01: 3 -> 1" in r.stderr and "--overwrite" in r.stderr
    assert answers_path(empty_ws, "D07").read_bytes() == before
    r = cli(["assess", empty_ws, "--answers", f, "--overwrite"])
    assert r.exit_code == 0, r.output
    assert "1 av dem endret" in r.stdout
    assert on_disk(empty_ws, "D07")["answers"] == {"LED-01": {"level": 1}, "LED-02": {"level": 2}}


def test_answers_file_must_say_who_and_which_sector(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.csv"
    f.write_text("id;svar\nLED-01;3\n", encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f])
    assert r.exit_code == 2 and "--participant" in r.stderr
    r = cli(["assess", empty_ws, "--answers", f, "--participant", "D07"])
    assert r.exit_code == 2 and "--sector" in r.stderr
    y = tmp_path / "svar.yaml"
    y.write_text("participant: D07\nsector: nav\nanswers: {LED-01: 3}\n", encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", y, "--participant", "D08"])
    assert r.exit_code == 2 and "D07" in r.stderr
    assert not list((empty_ws / "runder" / ROUND / "svar").iterdir())


def test_answers_email_in_comment_is_a_warning(cli, empty_ws, tmp_path):
    f = tmp_path / "svar.yaml"
    f.write_text("participant: D07\nsector: nav\nanswers:\n  LED-01: {level: 2, comment: 'spør ola@kommune.no'}\n",
                 encoding="utf-8")
    r = cli(["assess", empty_ws, "--answers", f])
    assert r.exit_code == 0
    assert "Advarsel: svar.yaml, linje 4" in r.stderr and "e-postadresse" in r.stderr


def test_saved_answer_file_can_be_used_as_answers_file(cli, sample_ws, tmp_path):
    src = sample_ws / "runder" / "2026" / "svar" / "D01.yaml"
    copy = tmp_path / "D01-kopi.yaml"
    copy.write_text(src.read_text(encoding="utf-8").replace("participant: D01", "participant: D42"), encoding="utf-8")
    r = cli(["assess", sample_ws, "--answers", copy])
    assert r.exit_code == 0, r.output
    a = yaml.safe_load(src.read_text(encoding="utf-8"))["answers"]
    b = yaml.safe_load((sample_ws / "runder" / "2026" / "svar" / "D42.yaml").read_text(encoding="utf-8"))["answers"]
    assert a == b
