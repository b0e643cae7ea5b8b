"""The malformed-definition corpus: each file holds one mistake, and the CLI exits 2 with a
message naming the file and the key (and the line, where the key is written).

Each corpus file starts with ``# mistake:``, ``# expect-key:`` and ``# expect-message:``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from connector.cli import main

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.toml"))


def expectations(path: Path) -> tuple[str, str]:
    header = dict(line[2:].split(": ", 1) for line in path.read_text().splitlines()[:3]
                  if ": " in line)
    return header.get("expect-key", "").strip(), header["expect-message"].strip()


@pytest.fixture()
def contacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONNECTOR_CONFIG", raising=False)
    (tmp_path / "config.toml").write_text("# the default pull applies\n")
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "1", "properties": {"email": "a@acme.io"}}\n')
    return path


def test_the_corpus_holds_at_least_fifteen_distinct_mistakes() -> None:
    assert len(FILES) >= 15
    assert len({expectations(f)[1] for f in FILES}) >= 15


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_each_mistake_exits_2_naming_file_and_key(path: Path, contacts: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    key, message = expectations(path)
    code = main(["qualify", "--definition", str(path), "--input", str(contacts)])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert lines, err
    matching = [line for line in lines if f"[{key}]" in line and message in line]
    assert matching, f"expected [{key}] ... {message!r} in:\n{err}"
    assert not (contacts.parent / "x.decisions.jsonl").exists()  # nothing was evaluated


def test_lines_point_at_the_mistake(contacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "01_unknown_operator.toml"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1)
                if "greater_than" in text)
    main(["qualify", "--definition", str(path), "--input", str(contacts)])
    assert f"{path}:{line}: [criteria.pricing_visits.condition.op]" in capsys.readouterr().err


def test_shadow_rejects_a_bad_candidate_too(contacts: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "08_unknown_handoff_grade.toml"
    assert main(["shadow", "--definition", str(path), "--input", str(contacts)]) == 2
    assert "[handoff.grades[0]]" in capsys.readouterr().err


def test_exit_code_2_from_a_real_process(contacts: Path) -> None:
    path = CORPUS / "06_negative_half_life.toml"
    done = subprocess.run([sys.executable, "-m", "connector", "qualify", "--definition",
                           str(path), "--input", str(contacts)], capture_output=True, text=True,
                          cwd=contacts.parent, timeout=120,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2, done.stderr
    assert "[criteria.pricing_visits.decay.half_life_days]" in done.stderr
