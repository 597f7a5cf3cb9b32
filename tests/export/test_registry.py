"""The export registry: every format is a name, a suffix and one function from a bundle,
and the CLI offers exactly the registry's formats."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from clipper.cli import main
from clipper.errors import ClipperError
from clipper.export.registry import (
    EXPORTERS,
    ExportBundle,
    ExportItem,
    exporter,
    write_output,
)
from tests.export.factories import JPEG, SHA_A, detail, make_passage

KEY = "timesofisrael2022morocco"


def bundle() -> ExportBundle:
    clip = detail(citation_key=KEY)
    passage = make_passage(clip.text, "strengthen ties", note="Key claim")
    return ExportBundle((ExportItem(clip, (passage,), {SHA_A: JPEG}),), creator="researcher")


def test_the_registry_lists_each_format_once() -> None:
    assert list(EXPORTERS) == ["markdown", "jsonld", "csl", "bibtex", "ris"]
    for name, entry in EXPORTERS.items():
        assert entry.name == name and entry.label
        assert entry.folder == (entry.suffix == "")
        assert entry.suffix == "" or entry.suffix in entry.label
    assert [e.name for e in EXPORTERS.values() if e.folder] == ["markdown"]
    assert [e.name for e in EXPORTERS.values() if e.images] == ["markdown"]


def test_every_exporter_writes_its_format(tmp_path: Path) -> None:
    written = {}
    for name, entry in EXPORTERS.items():
        target = tmp_path / f"out{entry.suffix}" if entry.suffix else tmp_path / "vault"
        written[name] = write_output(entry.export(bundle()), target)
    key = KEY
    csl = json.loads(written["csl"][0].read_text(encoding="utf-8"))
    assert [item["id"] for item in csl] == [key]
    jsonld = json.loads(written["jsonld"][0].read_text(encoding="utf-8"))
    assert jsonld["total"] == 1 and jsonld["first"]["items"][0]["creator"]["name"] == "researcher"
    library = bibtexparser.parse_string(written["bibtex"][0].read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == [key]
    ris = written["ris"][0].read_text(encoding="utf-8")
    assert ris.startswith("TY  - ") and ris.rstrip().endswith("ER  -")
    names = sorted(p.relative_to(tmp_path / "vault").as_posix() for p in written["markdown"])
    assert len(names) == 2 and names[0].startswith("assets/") and names[1].endswith(".md")
    assert (tmp_path / "vault" / names[0]).read_bytes() == JPEG


def test_unknown_formats_and_unwritable_targets_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ClipperError, match=r"unknown export format 'docx' \(use: markdown,"):
        exporter("docx")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ClipperError, match="cannot write") as caught:
        write_output("text", blocker / "out.bib")
    assert "\n" not in str(caught.value)
    with pytest.raises(ClipperError, match="cannot write"):
        write_output({"note.md": b"x"}, blocker / "vault")


def test_the_cli_offers_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    library = ["--library", str(tmp_path / "lib")]
    with pytest.raises(SystemExit):
        main(["export", "docx", *library])
    usage = capsys.readouterr().err
    assert "{" + ",".join(EXPORTERS) + "}" in usage
    assert main(["export", "markdown", *library]) == 1
    assert capsys.readouterr().err.strip().endswith("export markdown needs --out FOLDER")
    assert main(["export", "csl", *library]) == 0  # an empty library: an empty list
    assert json.loads(capsys.readouterr().out) == []
