"""What samordna writes as YAML reads back as the same data, and the fast (libyaml) emitter writes the same
bytes as the pure-Python one for the files people read and edit."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from samordna.io import atomic

ROOT = Path(__file__).resolve().parents[1]


class _PureDumper(yaml.SafeDumper):
    pass


_PureDumper.add_representer(str, atomic._str_representer)

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
data = st.recursive(st.one_of(text, st.integers(), st.none(), st.booleans()),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12)


@given(data)
@settings(max_examples=300, deadline=None)
def test_round_trip(value):
    assert yaml.safe_load(atomic.dump_yaml(value)) == value


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml: only the pure-Python emitter")
def test_same_bytes_as_pure_python_for_the_shipped_files():
    files = sorted([*ROOT.glob("sample_municipality/**/*.yaml"), *ROOT.glob("assessments/**/*.yaml")])
    assert len(files) > 20
    for f in files:
        value = yaml.safe_load(f.read_text(encoding="utf-8"))
        pure = yaml.dump(value, Dumper=_PureDumper, allow_unicode=True, sort_keys=False, width=100)
        assert atomic.dump_yaml(value) == pure, f
