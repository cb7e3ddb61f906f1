"""Numbers as text: number words and digits, what a count of people means, units of measure.
Pure string rules, shared by the analysis (which finds numbers in a parse) and the key facts
(which compare them)."""

from __future__ import annotations

import re

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
UNITS.update({w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())})
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
NUMBER_WORDS = frozenset(UNITS) | {"hundred", "dozen", "thousand", "million", "billion", "trillion"}

# Small, tested synonym sets: what a count of people means, whichever word the outlet chose.
ROLE_SYNONYMS = {
    "killed": {"kill", "killed", "dead", "die", "death", "fatality", "slay", "slain", "perish", "toll",
               "fatal", "murder"},
    "injured": {"injure", "injured", "hurt", "wound", "wounded", "injury", "casualty", "hospitalize",
                "hospitalise"},
    "arrested": {"arrest", "arrested", "detain", "detained", "charge", "charged", "indict"},
    "missing": {"missing", "miss", "unaccounted"},
    "evacuated": {"evacuate", "evacuated", "displace", "displaced", "rescue", "rescued"},
}
ROLE_OF = {word: role for role, words in ROLE_SYNONYMS.items() for word in words}
# Measures: unit -> (dimension, factor to the base unit), so 130-foot and 40 metres compare.
MEASURES = {
    "mile": ("distance", 1609.34), "km": ("distance", 1000.0), "kilometer": ("distance", 1000.0),
    "kilometre": ("distance", 1000.0), "foot": ("size", 0.3048), "feet": ("size", 0.3048),
    "ft": ("size", 0.3048), "meter": ("size", 1.0), "metre": ("size", 1.0), "yard": ("size", 0.9144),
    "inch": ("size", 0.0254), "cm": ("size", 0.01), "pound": ("weight", 0.4536), "lb": ("weight", 0.4536),
    "kg": ("weight", 1.0), "kilogram": ("weight", 1.0), "tonne": ("weight", 1000.0), "ton": ("weight", 907.2),
    "mph": ("speed", 1.609), "kph": ("speed", 1.0),
}


def number_word(tok: str) -> str:
    return tok.lower().replace(",", "")


def parse_number(words: list[str]) -> float | None:
    """Value of number words or digits: ["a", "dozen"] -> 12, ["3.5", "million"] -> 3.5e6."""
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        w = number_word(raw)
        if w in ("a", "an", "and", "-"):
            current = current or (1.0 if w in ("a", "an") else 0.0)
            continue
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(k|m|mn|bn|b|tn)?", w)
        if m:
            current += float(m.group(1)) * (SCALES[m.group(2)] if m.group(2) else 1)
        elif w in UNITS:
            current += UNITS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in SCALES and seen:
            total += (current or 1) * SCALES[w]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def format_number(n: float) -> str:
    """Canonical display: 12, 5,000, 3.5 million, 5 billion."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if n >= scale:
            return f"{n / scale:g} {word}"
    return f"{int(n):,}" if float(n).is_integer() else f"{n:g}"


def measure_of(value: str) -> tuple[str, float] | None:
    """("distance", metres) for a normalised measure value like "400 pound"; None otherwise."""
    m = re.fullmatch(r"([\d.,]+(?: (?:million|billion|trillion))?) (\w+)", value)
    if not m or m.group(2) not in MEASURES:
        return None
    number = parse_number(m.group(1).split())
    dimension, factor = MEASURES[m.group(2)]
    return (dimension, number * factor) if number is not None else None
