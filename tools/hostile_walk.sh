#!/usr/bin/env bash
# Walk the hostile and damaged inputs a workspace meets (the breaks once found by an attacker's review) as a
# user would, with the installed `samordna` on PATH; print the exit code and the first line of the message.
# Everything happens in a scratch folder; the shipped sample is copied, never changed.
#   bash tools/hostile_walk.sh
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
W="${TMPDIR:-/tmp}/samordna-walk"; rm -rf "$W"; mkdir -p "$W"; cd "$W" || exit 1
fresh() { rm -rf $W/ws; cp -r "$ROOT/sample_municipality" "$W/ws"; }
run() { local label="$1"; shift; out=$(timeout 30 "$@" 2>&1); rc=$?; printf '%-58s rc=%-3s %s\n' "$label" "$rc" "$(echo "$out" | grep -v '^$' | grep -v '^Merk: hopper' | head -1 | cut -c1-150)"; }
fresh
mkdir -p ws/runder/.2027.ny/svar; cp ws/runder/2026/runde.yaml ws/runder/.2027.ny/
run "crash leftover runder/.2027.ny; score" samordna score ws
mkdir ws/runder/abc ws/runder/2026-x "ws/runder/2026 - Kopi"
out=$(samordna score ws 2>&1 >/dev/null | head -3); echo "   stray folders warn: $(echo "$out" | tr '\n' '|' | cut -c1-200)"
run "--round abc" samordna score ws --round abc
fresh; printf 'x' > $W/exists.txt
run "region --out an existing file" samordna region ws --out $W/exists.txt
run "plan --out /no/such/dir/x.xlsx" samordna plan ws --out /no/such/dir/x.xlsx; [ -e /no ] && echo "   /no was created!" || echo "   /no not created"
rm -rf $W/long
run "300-character municipality name: init" samordna init $W/long --kommune "$(printf 'L%.0s' $(seq 300))" --kommunenummer 1234
samordna init $W/long --kommune Lang --kommunenummer 1234 >/dev/null 2>&1
sed -i "s/^name: Lang$/name: $(printf 'L%.0s' $(seq 300))/" $W/long/kommune.yaml  # edited by hand
samordna round new $W/long --year 2026 >/dev/null 2>&1
run "300-character name edited into kommune.yaml: plan" samordna plan $W/long
fresh; printf 'a: &a [*a]\n' > $W/selfref.yaml; run "self-referencing alias (validate)" samordna validate $W/selfref.yaml
python3 - <<'PY'
lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 10):
    lines.append(f"{chr(97+i)}: &{chr(97+i)} [" + ",".join([f"*{chr(96+i)}"]*9) + "]")
open("laughs.yaml","w").write("\n".join(lines)+"\n")
open("deep.yaml","w").write("a: " + "["*20000 + "]"*20000 + "\n")
PY
run "billion laughs (validate)" samordna validate $W/laughs.yaml
run "20,000 nested brackets (validate)" samordna validate $W/deep.yaml
mkfifo $W/fifo.yaml; run "a FIFO named fifo.yaml (validate)" samordna validate $W/fifo.yaml
ln -s /dev/zero $W/zero.yaml; run "a link to /dev/zero named zero.yaml" samordna validate $W/zero.yaml
fresh; sed -i '0,/level: [0-4]/s//level: true/' ws/runder/2026/svar/D01.yaml; run "level: true in an answer file (validate)" samordna validate ws
fresh; printf 'sector: nav\n' >> ws/runder/2026/svar/D01.yaml; run "sector twice in an answer file (validate)" samordna validate ws
fresh; python3 - <<'PY'
import re
p="ws/runder/2025/konsensus.yaml"; t=open(p).read()
m=re.search(r"\n  (LED-01):\n((?:    .*\n)+)", t); t=t+"  LED-01:\n"+m.group(2) if m else t
open(p,"w").write(t)
PY
run "duplicate consensus entry (validate)" samordna validate ws
fresh; python3 - <<'PY'
p="ws/runder/2025/prioriteringer.yaml"; t=open(p).read()
import re; first=re.search(r"\n- (\S+)", t).group(1); t=t.rstrip()+f"\n- {first}\n"; open(p,"w").write(t)
PY
run "the same id twice in the priorities (validate)" samordna validate ws
fresh; python3 - <<'PY'
p="ws/runder/2025/konsensus.yaml"; t=open(p).read()
t=t.replace("rationale: ", "rationale: Gjelder 15.10.1986 950 88. ", 1); open(p,"w").write(t)
PY
run "fødselsnummer hand-edited into konsensus.yaml (validate)" samordna validate ws
fresh; cat > $W/svar.yaml <<'YAML'
participant: D77
sector: barnehage
answers:
  LED-01: {level: 2, comment: "Gjelder 151086 95088"}
YAML
run "fnr 6+5 in an answer-file comment" samordna assess ws --answers $W/svar.yaml
sed -i 's/151086 95088/15.10.1986–950 88/' $W/svar.yaml; run "fnr with 4-digit year and en dash" samordna assess ws --answers $W/svar.yaml
sed -i 's/15.10.1986–950 88/15 10 86\/95088/' $W/svar.yaml; run "fnr with a slash" samordna assess ws --answers $W/svar.yaml
printf 'participant: D78\nsector: barnehage\nanswers:\n  LED-01: {level: 2, comment: "151086\n    95088"}\n' > $W/svar2.yaml; run "fnr with a line break (folded)" samordna assess ws --answers $W/svar2.yaml
fresh; run "score --json: counts per sector" bash -c "samordna score ws --json | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d[\"rounds\"][-1]; print({k:v for k,v in r.items() if \"sector\" in k})' | cut -c1-140"
