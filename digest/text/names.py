"""String rules for names: cleaning surfaces, transliteration keys, acronyms, slugs.

Pure functions on strings (no spaCy), so each rule has a unit test in tests/test_entities.py.
entities.py decides *when* two names are the same entity; this module only says how names
compare.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

# Words that precede a name as a title or office, never part of the name itself. Lowercase;
# "foreign" etc. only count when followed by another title word ("Foreign Minister").
TITLE_WORDS = frozenset("""
    president presidents premier prime minister ministers secretary chancellor mr mr. mrs mrs. ms ms.
    dr dr. sir dame lord lady king queen prince princess pope emperor empress sheikh sheik
    senator sen sen. rep rep. representative congressman congresswoman governor gov gov.
    mayor judge justice chairman chairwoman chair ceo cfo founder leader ambassador envoy
    general gen gen. colonel col col. lieutenant lt lt. captain capt capt. admiral adm adm.
    commander sergeant sgt sgt. major maj maj. marshal officer chief director head
    spokesman spokeswoman spokesperson professor prof prof. detective inspector agent
    deputy vice acting former ex late then new interim incoming outgoing first
    foreign defense defence interior finance state security economy trade justice health
    president-elect vice-president premier-elect aide adviser advisor counterpart
    patriarch archbishop bishop cardinal rabbi imam reverend rev rev. father principal investigator
    sheriff actor actress singer rapper coach manager mvp star qb gm mp dj cto coo cio lords treasurer
""".split())

# Job nouns that say what a person does without being a title of address ("economist Jane Doe",
# "the prosecutor"): part of a role in the key facts, never of a name there.
JOB_WORDS = frozenset("""
    analyst attorney commissioner correspondent councilman councilwoman dean economist editor executive
    lawmaker lawyer official prosecutor researcher scientist superintendent
""".split())
# Every word that says a person's role before or beside a name.
ROLE_WORDS = TITLE_WORDS | JOB_WORDS

# Forms of address: they show the next word is a surname ("Mr. Moon") but are no role.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"})

# Title words that only make a title when followed by a title noun ("Foreign Minister"),
# and are fine as name parts otherwise ("First" is rare in names, "State" is not a name).
TITLE_NOUNS = TITLE_WORDS - frozenset("""
    foreign defense defence interior finance state security economy trade justice health
    deputy vice acting former ex late then new interim incoming outgoing first
""".split())

# Well-known abbreviations whose expansion does not follow from the initials
# (or whose long form has a variant). Keys and values are name keys (see name_key).
ABBREVIATIONS = {
    "us": "united states", "usa": "united states", "united states of america": "united states",
    "uk": "united kingdom",
    "un": "united nations", "eu": "european union", "uae": "united arab emirates",
    "ussr": "soviet union", "drc": "democratic republic of congo", "prc": "china",
    "peoples republic of china": "china",
    "russian federation": "russia", "dprk": "north korea", "democratic peoples republic of korea": "north korea",
    "republic of korea": "south korea",
}

_PREFIX_ABBREVIATIONS = frozenset({"us", "uk", "un", "eu"})  # "UN Security Council"
LEGAL_SUFFIXES = frozenset({"inc", "corp", "corporation", "ltd", "llc", "plc", "ag", "nv", "gmbh", "sa", "se"})
_GROUP_SUFFIXES = frozenset({"group", "holdings", "co"})  # only after two words: "Eurasia Group" stays
# Name particles ignored among middle names ("Abdel Fattah al-Sisi" / "Abdel-Fattah el-Sissi").
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "de", "da", "di", "del", "van", "von", "der", "le", "la", "du"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$", re.IGNORECASE)  # "Putin's", "Reuters'"
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphen, zero-width space ...
_STRAY_LETTER = re.compile(r"^[a-z] (?=[A-Z])")  # "s Sergey Roldugin": a possessive's "s" left over
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_INITIAL = re.compile(r"^[A-Za-z]\.?$|^(?:[A-Za-z]\.){2,}$")  # "W.", "W", "H.W."
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")


@functools.lru_cache(maxsize=65536)  # pure; asked for every name key and slug
def fold(text: str) -> str:
    """The one ASCII folding of names and slugs, on unidecode: accents off ("Jiménez’s" ->
    "Jimenez's"), letters spelled out ("Straße" -> "Strasse", "Łukasz" -> "Lukasz"), and any
    script transliterated ("Зеленский" -> "Zelenskii", "习近平" -> "Xi Jin Ping"), so a name
    in Cyrillic, Greek or Chinese never folds to ''. Apostrophes and quotes are unified first."""
    if text.isascii():  # the usual case: only the backtick is not plain ASCII already
        return text.replace("`", "'")
    # NFKC first: compatibility letters read as the letter they stand for ("µ" micro -> "μ")
    text = unidecode(unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)))
    return text if text == text.strip() and "  " not in text else " ".join(text.split())
def strip_possessive(text: str) -> str:
    """'Putin’s' -> 'Putin'; "Reuters'" -> 'Reuters'."""
    return _POSSESSIVE.sub("", text.translate(_APOSTROPHES)).rstrip() if text else text


def split_title(text: str) -> tuple[str | None, str]:
    """Leading title words apart from the name: 'Foreign Minister Sergey Lavrov' ->
    ('Foreign Minister', 'Sergey Lavrov'). A title is only taken off when a name remains and
    the title contains a title noun (so 'New Delhi' and 'State Street' stay whole)."""
    words = text.split()
    cut = 0
    while cut < len(words) - 1 and words[cut].lower().rstrip(",") in TITLE_WORDS:
        cut += 1
    while cut and words[cut - 1].lower() not in TITLE_NOUNS:  # "Acting" alone is no title
        cut -= 1
    if not cut:
        return None, text
    return " ".join(words[:cut]), " ".join(words[cut:])


def tidy_role(role: str) -> str:
    """'team physician Dr' -> 'team physician': a form of address after a role is not part of it."""
    words = role.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in HONORIFICS:
        words.pop()
    return " ".join(words)


def clean_surface(text: str) -> str:
    """A mention's text as shown: one line, no possessive, no leading 'the', no outer quotes.
    Idempotent (each step can expose work for another: '"(the Kremlin)"')."""
    for _ in range(4):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _clean_once(text: str) -> str:
    # Dots stay: spaCy splits a sentence's full stop off, so a final dot is "U.S." or "Jr.".
    text = " ".join(_INVISIBLE.sub("", text or "").replace("[", "").replace("]", "").split())
    if text.count("(") != text.count(")"):  # "Polymerase Chain Reaction (PCR": cut the stray part
        text = text.split("(")[0] if "(" in text else text.split(")")[-1]
    text = _STRAY_LETTER.sub("", text).strip(" \"'“”‘’,;:()[]-–—")
    text = strip_possessive(text)
    return _LEADING_THE.sub("", text)


@functools.lru_cache(maxsize=65536)  # pure; called for every pair of names
def name_key(text: str) -> str:
    """Key under which two surfaces are the same name: folded, lowercase, no dots, no 'the',
    no legal suffix ('Apple Inc.'), abbreviations expanded ('the U.S.' -> 'united states',
    'UN Security Council' -> 'united nations security council')."""
    key = fold(clean_surface(text)).lower().replace(".", "").replace("'", "").replace("&", " and ")
    words = _LEADING_THE.sub("", " ".join(_NON_WORD.sub(" ", key.replace("-", " ")).split())).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES or len(words) > 2 and words[-1] in _GROUP_SUFFIXES:
        words.pop()  # "Goldman Sachs Group Inc." -> "goldman sachs"
    key = " ".join(words)
    if key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    if len(words) > 1 and words[0] in _PREFIX_ABBREVIATIONS:
        return " ".join([ABBREVIATIONS[words[0]], *words[1:]])
    return key


def spelling_key(text: str) -> str:
    """Spelling variants any name may have: German umlauts written out (Sueddeutsche /
    Süddeutsche, Mueller / Müller) and British/American -ence/-ense (Defence / Defense)."""
    words = fold(text).lower().replace("ue", "u").replace("oe", "o").split()
    return " ".join(w[:-4] + "ense" if w.endswith("ence") else w for w in words)


@functools.lru_cache(maxsize=65536)  # pure; called for every pair of names
def translit_word(word: str) -> str:
    """One name word reduced so common romanisations of Russian (and similar) names agree:
    Yury/Yuri/Yuriy, Andrey/Andrei, Sergey/Sergei, Dmitry/Dmitri, Aleksandr/Alexander,
    Yevgeny/Evgeny, Fyodor/Fedor, Zelensky/Zelenskyy/Zelenskiy, Gennady/Gennadi, Aleksey/Alexei."""
    w = fold(word.upper()).lower().replace("'", "").replace(".", "")  # upper first: one key whatever the case
    if len(w) <= 3:
        return w  # "Yi", "Li", "Xi": too short for spelling rules to be safe
    w = spelling_key(w)
    w = re.sub(r"q(?!u)", "k", w)  # Qasimov -> kasimov (a Q without u is a transliterated K)
    w = w.replace("ks", "x").replace("kh", "h").replace("ph", "f").replace("w", "v")
    w = w.replace("yo", "e").replace("iy", "i").replace("yy", "i")
    w = re.sub(r"^ye", "e", w)  # Yevgeny -> evgeny
    w = w.replace("iya", "ia").replace("yev", "ev")  # Mariya -> maria, Sergeyev -> sergeev
    w = re.sub(r"(.)\1", r"\1", w)  # Gennady -> genady
    w = re.sub(r"([aeou])y$", r"\1i", w)  # Andrey -> andrei, Nikolay -> nikolai
    w = re.sub(r"(?:ii|ij|yi|y)$", "i", w)  # Yury -> yuri, Zelenskii -> zelenski
    w = re.sub(r"([bcdfgklmnpstvz])er$", r"\1r", w)  # Alexander -> alexandr, Peter -> petr
    w = re.sub(r"ych$", "ich", w)  # Yanukovych -> yanukovich
    return w


def is_initial(word: str) -> bool:
    return bool(_INITIAL.match(word))


@functools.lru_cache(maxsize=65536)  # pure; called for every pair of names
def person_parts(name: str) -> tuple[str, tuple[str, ...], str]:
    """(first, middles, last) transliteration keys of a person's name; suffixes dropped.
    Initials stay as their letter ('George W. Bush' -> ('georg', ('w',), 'bush'))."""
    words = [w for w in fold(clean_surface(name)).replace("-", " - ").split()
             if w.lower() not in NAME_SUFFIXES and w != "-"]
    keys = [translit_word(w)[:1] if is_initial(w) else translit_word(w) for w in words]
    keys = [k for k in keys if k]
    if not keys:
        return "", (), ""
    if len(keys) == 1:
        return "", (), keys[0]
    return keys[0], tuple(k for k in keys[1:-1] if k not in _PARTICLES), keys[-1]


def same_person(a: str, b: str, *, as_written: bool = False) -> bool:
    """Two full person names denote the same person: same last name, first names equal or
    one an initial of the other, middle names compatible (equal, or one side has none).

    as_written: how one article refers back to a name it gave in full: `b` is `a` itself, or
    one word that is `a`'s first or last ("Putin" after "Vladimir Putin"); spelled as written."""
    if as_written:
        words = a.split()
        return a == b or (" " not in b and b in (words[0], words[-1]))
    fa, ma, la = person_parts(a)
    fb, mb, lb = person_parts(b)
    if fa and fb and fa + "".join(ma) + la == fb + "".join(mb) + lb:
        return True  # "Kim Jong-un" / "Kim Jong Un"
    if not (la and la == lb and fa and fb):
        return False
    if len(fa) == 1 and ma and len(fb) > 1:  # "J. Christopher Giancarlo" / "Christopher Giancarlo"
        fa, ma = ma[0], ma[1:]
    elif len(fb) == 1 and mb and len(fa) > 1:
        fb, mb = mb[0], mb[1:]
    if fa != fb and not ((len(fa) == 1 or len(fb) == 1) and fa[0] == fb[0]):
        return False
    return not ma or not mb or ma == mb


@functools.lru_cache(maxsize=65536)  # pure; called for every pair of names
def acronyms(name: str) -> frozenset[str]:
    """Initials a multi-word name is abbreviated to: 'United Nations' -> {'un'},
    'North Atlantic Treaty Organization' -> {'nato'}, 'Bank of England' -> {'be', 'boe'}."""
    words = [w for w in re.split(r"[\s\-]+", fold(clean_surface(name))) if w]
    if len(words) < 2:
        return frozenset()
    content = "".join(w[0] for w in words if w[0].isupper()).lower()
    every = "".join(w[0] for w in words if w[0].isalpha()).lower()
    return frozenset(a for a in (content, every) if len(a) >= 2)


def is_acronym(surface: str) -> bool:
    """'US', 'U.S.', 'NATO', 'BRICS' (2-6 capitals, dots allowed); not 'Xi' or 'OK Go'."""
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()

