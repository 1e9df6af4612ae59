"""How Tesseract's word boxes become lines: a table set in smaller type and a tilted scan keep
their rows (text level: synthetic TSV rows, no Tesseract needed)."""

from __future__ import annotations

from storage.ingest.ocr import _page, _tilt, _type_size
from storage.ingest.page_layout import Word, page_text

SCALE = 72.0 / 300


def _line(block: int, line: int, words: list[tuple[str, int]], top: int, height: int,
          slope: float = 0.0) -> list[dict[str, str]]:
    """One Tesseract line: a level-4 box and its words (text, left), each `height` high."""
    rows = [{"level": "4", "page_num": "1", "block_num": str(block), "par_num": "1", "line_num": str(line),
             "left": "240", "top": str(top), "width": "1800", "height": str(height + 10), "conf": "-1", "text": ""}]
    for text, left in words:
        width = 22 * len(text)
        rise = round(slope * (left + width / 2))
        rows.append({"level": "5", "page_num": "1", "block_num": str(block), "par_num": "1", "line_num": str(line),
                     "left": str(left), "top": str(top + rise), "width": str(width), "height": str(height),
                     "conf": "95", "text": text})
    return rows


def _body(lines: int = 8, slope: float = 0.0) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for k in range(lines):
        rows += _line(1, k + 1, [("Förbundschefen", 240), ("redogör", 600), ("för", 800), ("ärendet", 900),
                                 ("och", 1100), ("styrelsen", 1250), ("beslutar", 1500)], 300 + 110 * k, 34, slope)
    return rows


# A närvarolista shrunk to fit its five columns: 7 pt rows 57 px apart on a 300 dpi page whose
# body is 10 pt; the second row has no note, as a row of someone present throughout.
TABLE = [
    [("Namn", 240), ("Organisation", 560), ("Funktion", 960), ("Närvarande", 1400), ("Anteckning", 1700)],
    [("Olof", 240), ("Forsson", 330), ("Sjöby", 560), ("kommun", 700), ("Ordförande", 960), ("1-3", 1400),
     ("Lämnade", 1700), ("efter", 1880), ("§", 2000), ("3", 2030)],
    [("Ingrid", 240), ("Berg", 350), ("Region", 560), ("Sjöland", 700), ("Ledamot", 960), ("Samtliga", 1400)],
]


def _table(top: int, slope: float = 0.0) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for k, words in enumerate(TABLE):
        rows += _line(2, k + 1, words, top + 57 * k, 24, slope)
    return rows


def test_a_table_in_smaller_type_keeps_its_rows() -> None:
    rows = _body() + _table(1400)
    text = page_text(_page(rows, 595, 842, SCALE, _type_size([rows])))
    assert "Namn\tOrganisation\tFunktion\tNärvarande\tAnteckning" in text
    assert "Olof Forsson\tSjöby kommun\tOrdförande\t1-3\tLämnade efter § 3" in text
    assert "Ingrid Berg\tRegion Sjöland\tLedamot\tSamtliga" in text


def test_a_tilted_scan_is_straightened_before_its_lines_are_read() -> None:
    slope = -0.0175  # 1 degree: the far end of a line stands higher
    rows = _body(slope=slope) + _table(1400, slope)
    words = [(tuple(r[k] for k in ("page_num", "block_num", "par_num", "line_num")),
              Word(float(r["left"]), float(r["left"]) + float(r["width"]), float(r["top"]),
                   float(r["top"]) + float(r["height"]), r["text"])) for r in rows if r["level"] == "5"]
    assert abs(_tilt(words) - slope) < 0.001
    text = page_text(_page(rows, 595, 842, SCALE, _type_size([rows])))
    assert "Olof Forsson\tSjöby kommun\tOrdförande\t1-3\tLämnade efter § 3\nIngrid Berg" in text


def test_an_untilted_page_is_left_as_it_is() -> None:
    rows = _body()
    words = [((r["page_num"], r["block_num"], r["par_num"], r["line_num"]),
              Word(float(r["left"]), float(r["left"]) + float(r["width"]), float(r["top"]),
                   float(r["top"]) + float(r["height"]), r["text"])) for r in rows if r["level"] == "5"]
    assert _tilt(words) == 0.0


def test_noise_glued_to_the_front_of_a_word_is_dropped() -> None:
    rows = _line(1, 1, [("Tove", 240), ("Strömer", 360), ("(SD)", 560)], 300, 34)
    rows += _line(1, 1, [("<MNävervik", 700), ("kommun", 950)], 300, 34)[1:]
    rows += _line(1, 2, [("=:10", 240), ("mars", 360), ("<SDs", 560), ("ledamot", 700)], 400, 34)[1:]
    text = page_text(_page(rows, 595, 842, SCALE))
    assert text.split("\n")[0].endswith("\tNävervik kommun")
    assert text.split("\n")[-1].split("\t") == ["10 mars", "SDs", "ledamot"]


def test_a_section_sign_misread_inside_a_line_is_restored_but_never_before_an_amount() -> None:
    rows = _line(1, 1, [("Deltog", 240), ("inte", 390), ("i", 490), ("&", 520), ("27", 550), ("på", 620),
                        ("grund", 690), ("av", 820), ("jäv", 880)], 300, 34)
    rows += _line(1, 2, [("Kostnad", 240), ("$", 420), ("27", 450), ("500", 520)], 400, 34)[1:]
    rows += _line(1, 3, [("Kostnad", 240), ("$", 420), ("27", 450), ("kr", 520)], 500, 34)[1:]
    rows += _line(1, 4, [("Vid", 240), ("tjänstgöring", 330), ("-", 620), ("-", 650), ("27", 680)], 600, 12)[1:]
    lines = page_text(_page(rows, 595, 842, SCALE)).split("\n")
    assert lines[0] == "Deltog inte i § 27 på grund av jäv"
    assert "§" not in lines[2] and "§" not in lines[4]


def test_a_dash_taller_than_wide_is_a_speck_when_tesseract_is_unsure() -> None:
    rows = _line(1, 1, [("Namn", 240), ("Parti", 400)], 300, 34)
    rows.append({**rows[-1], "text": "-", "left": "520", "width": "12", "height": "47", "conf": "0"})
    rows.append({**rows[-1], "text": "Ledamot", "left": "560", "width": "154", "height": "34", "conf": "95"})
    rows.append({**rows[-1], "text": "-", "left": "760", "top": "316", "width": "20", "height": "4", "conf": "40"})
    text = page_text(_page(rows, 595, 842, SCALE))
    assert text.split("\t") == ["Namn", "Parti", "Ledamot", "-"]  # the flat dash stays


def test_a_section_sign_misread_after_a_body_abbreviation_is_restored() -> None:
    rows = _line(1, 1, [("KF8133", 240), ("KS", 600), ("S82", 680), ("Dnr", 900), ("2021/158", 1000)], 300, 34)
    rows += _line(1, 2, [("Beslut", 240), ("KS", 420), ("82", 500), ("och", 600), ("KF8133X", 700)], 400, 34)[1:]
    lines = page_text(_page(rows, 595, 842, SCALE)).split("\n")
    assert lines[0].replace("\t", " ") == "KF § 133 KS § 82 Dnr 2021/158"
    assert "§" not in lines[-1]  # printed without a §, or not a citation: left as read
