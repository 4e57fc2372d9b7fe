"""One source of settings: the disclosure threshold and its kin are written once, in pilotbook.toml."""

from __future__ import annotations

import re
from pathlib import Path

from pilotbook import settings
from pilotbook.report.labels import label

ROOT = Path(__file__).resolve().parents[2]
THRESHOLD_WORDS = re.compile(r"(fewer than|under|less than|<|alle|at least)\s*10\b", re.IGNORECASE)


def test_the_threshold_is_typed_in_one_place():
    hits = []
    for path in [*(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.csv"), *(ROOT / "notebooks").glob("*.ipynb")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if THRESHOLD_WORDS.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not hits, "the disclosure threshold typed outside pilotbook.toml:\n" + "\n".join(hits)
    toml = (ROOT / "pilotbook.toml").read_text(encoding="utf-8")
    assert re.search(r"^min_cell = 10$", toml, re.MULTILINE)


def test_labels_follow_the_threshold(monkeypatch):
    monkeypatch.setenv(settings.ENV, '{"min_cell": 20}')
    assert settings.current().min_cell == 20
    assert "under 20 answers" in label("survey_suppressed", "en", min_cell=settings.current().min_cell)
    assert "alle 20 vastaajaa" in label("survey_bar_suppressed", "fi", min_cell=20)
