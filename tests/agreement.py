"""Does every exhibit's downloadable CSV hold what its page shows?

A reader who downloads an exhibit's data must get the numbers the page shows, not those of another
build or another data folder (a real past defect).  :func:`disagreements` reads the built site as a
reader gets it, knowing nothing of the code that made it, and returns one message per exhibit whose
page and CSV disagree.  The rules:

1. **Exhibits.**  Every ``<figure class="exhibit" id="exhibit-<ID>">`` of every page under ``book/``
   (``_static`` left out) is checked.  Its CSV is the file ``data/index.csv`` lists for ``<ID>``; an
   exhibit the index does not list, or whose file is missing, disagrees.  So does one whose
   "Data (CSV)" link leads to another file.
2. **Numbers as printed.**  A number is a run of digits, with thousands groups of three digits
   separated by a space, a no-break space (U+00A0), a narrow no-break space (U+202F) or a thin space
   (U+2009), and an optional decimal part after a point or a comma.  What stands around it is not
   part of it: ``≈48``, ``~5``, ``<10``, ``21 %``, ``12 895 €``, ``C1``.  A range ``150–200`` gives
   both ends.  A ``-``, ``−`` or ``+`` right before the digits is a sign unless a letter, digit or
   closing bracket stands before it (``3-6 months`` is a range, ``ura-1`` a name).  A number followed
   by ``%`` (or the low end of a range followed by ``%``) is a percentage.
3. **Tables.**  Every number of the ``<tbody>`` cells (``td`` and ``th``) must agree with some value
   of the CSV: a cell that is a number, at its full precision, or a number printed inside a text cell
   (``Table 4``, ``Revised target: 30``), read by rule 2.  A page number printed with *d* decimals
   agrees with a CSV value *v* when *v* rounds to it at *d* decimals: any *v* within half a unit of
   the last printed digit, so half-up and banker's rounding both do.  A percentage also agrees with a
   share of 1 (``80 %`` with ``0.8``).
4. **Shares of an amount.**  In one cell (or one text of a figure), a number that is not in the CSV
   agrees when it is the share a percentage of the same cell gives of a CSV value, that percentage
   agreeing with the CSV: ``50 % of the full fee (180–600 €)`` beside a share of 0.5 and prices of
   360 and 1 200.  Only the share the CSV holds is used, so the page's amounts are checked too.
5. **Pilots.**  The row labels of a table (the first cell of each body row, group headings
   included) and every text of a figure (a tick label's lines joined) that names a pilot — by the
   name or the id the site's published data give it (every CSV with ``pilot_id`` and ``pilot``
   columns) — must name only pilots the CSV has, by id or name: rows of another data folder's
   pilots are caught.  Other labels are not compared as text: the CSV often holds them as codes
   (``female`` for "Women", ``25_34`` for "25 to 34", ``total`` for "All providers"); their numbers
   are compared by rule 3.
6. **Figures.**  Every SVG the exhibit shows (its ``<img>``: a ``data:`` URI, as the build embeds
   them, or a file relative to the page) or offers for download (a link to an ``.svg``) is read with
   ``xml.etree``.  The numbers of its ``<text>`` elements outside the axis ticks
   (``<g id="xtick_N">``/``<g id="ytick_N">``) — bar and value labels, legends, titles — must agree
   with the figure's CSV as in rules 3 and 4; of the tick labels, only counts written ``N=<n>`` are
   checked (the rest is the axis scale).
7. **Explanations are not data.**  A number in one of these fixed phrases is not checked: the
   disclosure threshold where a page states it ("fewer than 10 persons", "under 10 answers",
   "<10 persons", a withheld count shown as ``<10``), only when the number is the threshold passed
   in; the level of an interval ("95 % interval"); the level of a test ("p < 0.05", "p ≥ 0.05");
   the top of a score's scale ("(of 100)").  Nothing else is left out.
"""

from __future__ import annotations

import base64
import bisect
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

SEPARATORS = " \u00a0\u202f\u2009"  # thousands: space, no-break, narrow no-break, thin space
_DIGITS = rf"(?<![\d.,])(\d{{1,3}}(?:[{SEPARATORS}]\d{{3}}(?!\d))+|\d+)(?:[.,](\d+))?"
NUMBER = re.compile(rf"(?:(?<![\w)\]])([-−+]))?{_DIGITS}")
COUNT_N = re.compile(rf"\bN\s*=\s*{_DIGITS}")  # a tick label's count of persons or answers
PERCENT = re.compile(rf"\s*(?:[–-]\s*{_DIGITS}\s*)?%")  # what follows a percentage (or a range's low end)
CSV_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")  # a whole CSV cell that is a number
DISCLOSURE = re.compile(r"(?:fewer than|under)\s+(\d+)\s+(?:persons|answers)|<\s*(\d+)(?:\s+(?:persons|answers))?",
                        re.IGNORECASE)
EXPLANATIONS = re.compile(r"\b95\s*%\s*interval|\bp\s*[<≥]\s*0\.05\b|\(of 100\)", re.IGNORECASE)
SVG = "{http://www.w3.org/2000/svg}"
TICK = re.compile(r"^[xy]tick_\d+$")


# --------------------------------------------------------------------------- numbers as printed


@dataclass(frozen=True)
class Number:
    """A number as printed: its value, how many decimals it shows, whether it is a percentage, its text."""

    value: float
    decimals: int
    percent: bool
    text: str


def _number(match: re.Match) -> Number:
    """The number a match of :data:`NUMBER` or :data:`COUNT_N` found (its last two groups: digits)."""
    whole, decimals = match.group(match.re.groups - 1), match.group(match.re.groups)
    digits = re.sub(f"[{SEPARATORS}]", "", whole) + ("." + decimals if decimals else "")
    negative = match.re is NUMBER and match.group(1) in ("-", "−")
    percent = bool(PERCENT.match(match.string, match.end()))
    return Number(float(digits) * (-1 if negative else 1), len(decimals or ""), percent, match.group(0).strip())


def _explained(text: str, threshold: int) -> str:
    """``text`` without its explanatory phrases (rule 7)."""
    def threshold_phrase(m: re.Match) -> str:
        return " " if int(m.group(1) or m.group(2)) == threshold else m.group(0)

    return EXPLANATIONS.sub(" ", DISCLOSURE.sub(threshold_phrase, text))


def printed(text: str) -> list[Number]:
    """Every number printed in ``text`` (rule 2)."""
    return [_number(m) for m in NUMBER.finditer(text)]


def numbers(text: str, threshold: int = 10) -> list[Number]:
    """The numbers of ``text`` a page must find in the CSV: all but those of explanatory phrases (rule 7)."""
    return printed(_explained(text, threshold))


def counts(text: str) -> list[Number]:
    """The ``N=<n>`` counts of a tick label."""
    return [_number(m) for m in COUNT_N.finditer(text)]


def _within(number: Number, values: list[float]) -> list[float]:
    """The values of the sorted ``values`` that print as ``number`` at its decimals (rule 3)."""
    half = 0.5 * 10 ** -number.decimals * (1 + 1e-9) + 1e-9
    return values[bisect.bisect_left(values, number.value - half):bisect.bisect_right(values, number.value + half)]


def _squash(text: str) -> str:
    """Text as names are compared: lower case, ``_`` and ``-`` as spaces, all spacing as one space."""
    return " ".join(re.sub(r"[_\-]", " ", text).split()).casefold()


def is_label(cell: str) -> bool:
    """A row's first cell names the row when it has a letter (``21 %`` or ``–`` do not)."""
    return any(c.isalpha() for c in cell)


# --------------------------------------------------------------------------- the CSV


@dataclass
class Data:
    """What a CSV offers to agree with: its values (sorted), the same as percentages, its cells' text."""

    values: list[float]
    percents: list[float]
    cells: list[str]

    @classmethod
    def read(cls, path: Path) -> "Data":
        """A CSV read as text: a cell that is a number gives it at full precision, a text cell its numbers."""
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        cells = [c for c in frame.to_numpy().ravel().tolist() if c]
        values = []
        for cell in cells:
            if CSV_NUMBER.fullmatch(cell):
                values.append(float(cell))
            else:
                values += [n.value for n in printed(cell)]
        values.sort()
        return cls(values, [100 * v for v in values], [_squash(c) for c in cells])

    def shares(self, number: Number) -> list[float]:
        """The shares of 1 the CSV holds that a percentage prints (none for a number that is not one)."""
        if not number.percent:
            return []
        return [v / 100 for v in _within(number, self.values)] + [p / 100 for p in _within(number, self.percents)]

    def agrees(self, number: Number) -> bool:
        """Whether the CSV holds ``number`` (rule 3)."""
        return bool(_within(number, self.values) or self.shares(number))

    def misses(self, found: list[Number]) -> list[Number]:
        """The numbers of one text the CSV does not hold, nor a share of (rules 3 and 4)."""
        shares = {s for n in found for s in self.shares(n)}
        return [n for n in found if not self.agrees(n)
                and not any(_within(n, sorted(s * v for v in self.values)) for s in shares)]

    def has_text(self, text: str) -> bool:
        """Whether ``text`` is some cell, or a part of one."""
        text = _squash(text)
        return any(text in cell for cell in self.cells)


@dataclass
class Pilots:
    """The pilots the site names: each id with the names its published data give it."""

    names: dict[str, set[str]]

    @classmethod
    def of_site(cls, site: Path) -> "Pilots":
        """Every (``pilot_id``, ``pilot``) pair of the site's CSVs that have both columns."""
        names: dict[str, set[str]] = {}
        for path in sorted((site / "data").glob("*.csv")):
            with path.open(encoding="utf-8") as f:
                header = f.readline().strip().split(",")
            if {"pilot_id", "pilot"} <= set(header):
                frame = pd.read_csv(path, dtype=str, keep_default_na=False)
                for pilot_id, name in zip(frame["pilot_id"], frame["pilot"]):
                    if pilot_id:
                        names.setdefault(pilot_id, {_squash(pilot_id)}).add(_squash(name or pilot_id))
        return cls(names)

    def strangers(self, labels: list[str], data: Data) -> list[str]:
        """The labels that name a pilot the CSV does not have, by id or name (rule 5)."""
        absent = {p for p, names in self.names.items() if not any(data.has_text(n) for n in names)}
        return [label for label in labels
                if any(n in _squash(label) for p in absent for n in self.names[p])]


# --------------------------------------------------------------------------- the page


@dataclass
class Shown:
    """One exhibit as a page shows it: its body rows' cells, images and links."""

    id: str
    rows: list[list[str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _Exhibits(HTMLParser):
    """Collects the exhibits of a page (rule 1)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.exhibits: list[Shown] = []
        self._exhibit: Shown | None = None
        self._body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and "exhibit" in (a.get("class") or "").split():
            self._exhibit = Shown((a.get("id") or "").removeprefix("exhibit-"))
            self.exhibits.append(self._exhibit)
        elif self._exhibit is None:
            return
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self._exhibit.rows.append([])
        elif tag in ("td", "th") and self._body:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "img" and a.get("src"):
            self._exhibit.images.append(a["src"])
        elif tag == "a" and a.get("href"):
            self._exhibit.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "figure":
            self._exhibit = None
        elif tag == "tbody":
            self._body = False
        elif tag in ("td", "th") and self._cell is not None:
            self._exhibit.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def exhibits_of(page: Path) -> list[Shown]:
    """The exhibits a page shows."""
    parser = _Exhibits()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.exhibits


def _local(href: str, page: Path) -> Path:
    """The file a relative link of ``page`` leads to."""
    return (page.parent / urllib.parse.unquote(href.split("#")[0])).resolve()


def _links_to(shown: Shown, suffix: str) -> list[str]:
    """The exhibit's links to files ending in ``suffix``."""
    return [href for href in shown.links if href.split("#")[0].endswith(suffix)]


def _svg_text(src: str, page: Path) -> str:
    """An SVG as an ``<img src>`` or a link gives it: a ``data:`` URI or a file beside the page."""
    if not src.startswith("data:"):
        return _local(src, page).read_text(encoding="utf-8")
    head, _, body = src.partition(",")
    return base64.b64decode(body).decode("utf-8") if head.endswith(";base64") else urllib.parse.unquote(body)


def svg_texts(svg: str) -> list[tuple[str, bool]]:
    """The texts a figure prints, each with whether it is a tick label (a tick's lines joined)."""
    found: list[tuple[str, bool]] = []

    def walk(element: ET.Element) -> None:
        if element.tag == SVG + "g" and TICK.match(element.get("id") or ""):
            lines = ("".join(t.itertext()) for t in element.iter(SVG + "text"))
            found.append((" ".join(lines), True))
        elif element.tag == SVG + "text":
            found.append(("".join(element.itertext()), False))
        else:
            for child in element:
                walk(child)

    walk(ET.fromstring(svg))
    return found


# --------------------------------------------------------------------------- the comparison


def _table_misses(shown: Shown, data: Data, pilots: Pilots, threshold: int) -> list[str]:
    """What a table shows that its CSV does not hold: numbers, and row labels naming other pilots."""
    misses = [n.text for row in shown.rows for cell in row for n in data.misses(numbers(cell, threshold))]
    labels = [row[0] for row in shown.rows if row and is_label(row[0])]
    return misses + [repr(label) for label in pilots.strangers(labels, data)]


def _figure_misses(shown: Shown, data: Data, pilots: Pilots, page: Path, threshold: int) -> list[str]:
    """What the figure's SVGs (shown or linked) print that its CSV does not hold."""
    misses = []
    for src in shown.images + _links_to(shown, ".svg"):
        where = "" if src.startswith("data:") else f" (in {src})"  # the image shown, or the SVG to download
        try:
            texts = svg_texts(_svg_text(src, page))
        except (OSError, ET.ParseError) as e:
            misses.append(f"no readable SVG{where}: {e}")
            continue
        found = [n.text for text, tick in texts for n in data.misses(counts(text) if tick else numbers(text, threshold))]
        found += [repr(text) for text in pilots.strangers([text for text, _ in texts], data)]
        misses += [f"{miss}{where}" for miss in found]
    return misses


def _csv_of(shown: Shown, page: Path, site: Path, index: dict[str, str]) -> tuple[Path | None, str]:
    """The exhibit's CSV (rule 1), or None and why there is none to compare with."""
    if shown.id not in index:
        return None, "not listed in data/index.csv"
    path = (site / index[shown.id]).resolve()
    if not path.is_file():
        return None, f"{index[shown.id]} does not exist"
    elsewhere = [href for href in _links_to(shown, ".csv") if _local(href, page) != path]
    if elsewhere:
        return None, f"its Data (CSV) link leads to {', '.join(elsewhere)}, not {index[shown.id]}"
    return path, ""


def disagreements(site: Path, threshold: int = 10) -> list[str]:
    """One message per exhibit whose page shows what its CSV does not hold (the module's rules);
    ``threshold`` is the disclosure threshold the site states (rule 7)."""
    site = Path(site).resolve()
    index_frame = pd.read_csv(site / "data" / "index.csv", dtype=str, keep_default_na=False)
    index = dict(zip(index_frame["id"], index_frame["path"]))
    pilots = Pilots.of_site(site)
    messages = []
    for page in sorted((site / "book").rglob("*.html")):
        if "_static" in page.parts:
            continue
        where = page.relative_to(site)
        for shown in exhibits_of(page):
            path, why = _csv_of(shown, page, site, index)
            if path is None:
                messages.append(f"{where}: exhibit {shown.id}: {why}")
                continue
            data = Data.read(path)
            misses = _table_misses(shown, data, pilots, threshold) + _figure_misses(shown, data, pilots, page, threshold)
            if misses:
                messages.append(f"{where}: exhibit {shown.id}: the page shows {', '.join(misses)}, "
                                f"not in {path.relative_to(site)}")
    return messages
