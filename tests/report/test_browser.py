"""The HTML report opens in headless Chromium and its charts really render.

Needs Debian's ``chromium`` (``apt-get install -y chromium``). Skipped only on a developer
machine without it; when ``CI`` is set a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from connector.report import build_report, render_html
from connector.report.svg import BLUE, GREEN, ORANGE, TEAL
from tests.report.factories import NOW, synthetic_book
from tests.report.png import read_png

pytestmark = pytest.mark.browser

INSTALL = "apt-get update && apt-get install -y chromium"
WIDTH, HEIGHT = 1200, 2000
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"chromium is required in CI for the report browser test: {INSTALL}")
        pytest.skip(f"chromium not installed (CI unset); to run this test: {INSTALL}")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(build_report(synthetic_book(600), now=NOW)), encoding="utf-8")
    return path


def run_chromium(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home),
           "XDG_CACHE_HOME": str(home)}
    result = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


class Svg(HTMLParser):
    """Collects the drawn elements inside each <svg> of the rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, Counter[str]] = {}
        self.titles: dict[str, str] = {}
        self._chart: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg":
            self._chart = a.get("id") or "?"
            self.charts[self._chart] = Counter()
        elif self._chart is not None:
            self._in_title = tag == "title" and a.get("id") == f"{self._chart}-title"
            sized = {"rect": ("width", "height"), "circle": ("r",), "path": ()}.get(tag)
            drawn = sized is not None and all(float(a.get(k) or 0) > 0 for k in sized)
            if drawn and (tag != "path" or (a.get("d") or "").startswith("M")):
                self.charts[self._chart][tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and self._chart is not None:
            self.titles[self._chart] = data


def test_dumped_dom_has_the_four_charts_with_drawn_shapes(chromium: str, page: Path,
                                                         tmp_path: Path) -> None:
    dom = run_chromium(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    parsed = Svg()
    parsed.feed(dom)
    assert set(parsed.charts) == {"chart-funnel", "chart-grades", "chart-calibration",
                                  "chart-reasons"}
    assert parsed.charts["chart-funnel"]["rect"] == 4
    assert parsed.charts["chart-grades"]["rect"] >= 6  # 3 grades x 2 rates (+ legend)
    assert parsed.charts["chart-calibration"]["path"] == 1
    assert parsed.charts["chart-calibration"]["circle"] >= 5
    assert parsed.charts["chart-reasons"]["rect"] == 6
    assert parsed.titles["chart-grades"] == "Conversion and win rate by grade"


def test_screenshot_shows_the_charts(chromium: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    run_chromium(chromium, tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                 page.as_uri())
    image = read_png(shot.read_bytes())
    assert (image.width, image.height) == (WIDTH, HEIGHT)
    pixels: Counter[tuple[int, ...]] = Counter()
    for row in image.rows[::2]:  # every other row is plenty, and twice as fast
        pixels.update(zip(row[0::image.channels], row[1::image.channels],
                          row[2::image.channels], strict=True))
    total = sum(pixels.values())
    white = pixels[(255, 255, 255)]
    assert len(pixels) > 100, "the screenshot has almost no colours: blank page?"
    assert 0.03 < 1 - white / total < 0.6, f"ink coverage {1 - white / total:.1%}"

    def rgb(color: str) -> tuple[int, int, int]:
        return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))

    # The solid fills of the bars show up as large areas of their exact colour.
    for name, color in (("conversion bars/curve", BLUE), ("win bars", GREEN),
                        ("funnel", TEAL), ("rejection reasons", ORANGE)):
        assert pixels[rgb(color)] > 300, f"{name} ({color}) not painted"
