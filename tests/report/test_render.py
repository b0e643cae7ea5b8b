"""The three renderings: rich tables, one self-contained HTML file, plain JSON data."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

from rich.console import Console

from connector.report import (
    CalibrationReport,
    build_report,
    render_html,
    render_terminal,
    report_to_json,
)
from tests.report.factories import NOW, outcome, synthetic_book


def book_report() -> CalibrationReport:
    return build_report(synthetic_book(400), now=NOW)


def as_text(report: CalibrationReport, width: int = 160) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(render_terminal(report))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def test_terminal_shows_every_section() -> None:
    text = as_text(book_report())
    for heading in ("Outcomes by grade (ordered by mean score)", "Outcomes by definition version",
                    "Rejections by reason", "Lift on conversion to opportunity",
                    "Lift on won deals", "Calibration curve", "Suggested threshold"):
        assert heading in text
    assert "400 leads handed off" in text
    assert re.search(r"\bA\s+\d+\.\d\s+\d+", text)  # a grade row with its mean score


def test_terminal_empty_report_says_so() -> None:
    text = as_text(build_report([], now=NOW))
    assert "No handed-off leads yet" in text


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br"}:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    assert parser.open == [], f"unclosed: {parser.open}"
    return parser


def test_html_is_self_contained_and_well_formed() -> None:
    html = render_html(book_report())
    assert html.startswith("<!DOCTYPE html>")
    parsed = parse(html)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object"}
    assert "@import" not in html and "url(" not in html
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * 4


def test_html_charts_are_labelled_svg() -> None:
    parsed = parse(render_html(book_report()))
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert [a["id"] for a in svgs] == ["chart-funnel", "chart-grades", "chart-calibration",
                                       "chart-reasons"]
    for attrs in svgs:
        assert attrs["role"] == "img"
        assert attrs["aria-labelledby"] == f"{attrs['id']}-title {attrs['id']}-desc"
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    assert {"chart-grades-title", "chart-grades-desc"} <= ids
    bars = [a for tag, a in parsed.tags if tag == "rect" and float(a["height"] or 0) > 0
            and float(a["width"] or 0) > 0]
    assert len(bars) > 15
    paths = [a for tag, a in parsed.tags if tag == "path"]
    assert paths and paths[0]["d"] and paths[0]["d"].startswith("M")


def test_html_escapes_what_it_did_not_write() -> None:
    nasty = "<script>alert(1)</script>"
    report = build_report([outcome(grade=nasty, version="v&1", rejected=True,
                                   rejection_reason="<b>bad</b>")], now=NOW)
    html = render_html(report)
    assert nasty not in html and "<b>bad</b>" not in html
    assert "&lt;script&gt;" in html
    parse(html)


def test_html_empty_report() -> None:
    html = render_html(build_report([], now=NOW))
    assert "No handed-off leads yet: nothing to calibrate." in html
    assert "<svg" not in html
    parse(html)


def test_json_is_plain_data() -> None:
    report = book_report()
    data = report_to_json(report)
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["schema_version"] == 1 and back["empty"] is False
    assert back["total"]["handed_off"] == 400
    assert [s["stage"] for s in back["funnel"]] == ["Handed off", "Accepted", "Converted", "Won"]
    assert back["generated_at"] == "2024-06-01T00:00:00+00:00"
    grade = back["by_grade"][0]
    assert set(grade["conversion"]) == {"hits", "n", "value", "low", "high", "effective_n"}
    assert {"reason", "count"} == set(grade["rejected_by_reason"][0])
    criterion = back["criteria"][0]
    assert criterion["conversion"]["verdict"] in {"too_small", "higher", "lower", "unclear",
                                                     "withheld"}
    assert back["threshold"]["objective"] == {"min_won_share": 0.9, "min_leads": 30,
                                              "target_leads": None}


def test_json_of_empty_report() -> None:
    data = json.loads(json.dumps(report_to_json(build_report([], now=NOW)), allow_nan=False))
    assert data["empty"] is True and data["total"]["conversion"]["value"] is None
    assert data["threshold"]["suggested"] is None


def test_empty_because_of_the_filter_says_so() -> None:
    report = build_report([outcome(version="v1")], now=NOW, version="v9")
    assert "No handed-off leads match the filter (1 outside it)" in as_text(report)
    assert "No handed-off leads match the filter (1 outside it)" in render_html(report)
