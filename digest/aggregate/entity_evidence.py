"""Evidence across a corpus that a name is a proper name, and what kind of thing it names.

The small model tags capitalised words at the start of a sentence, in headlines, captions and
map labels as names ("Bloodied", "Diagram", "Contingent Worker"), glues caption runs together
("Ada LovelaceAda"), and types one name differently from mention to mention. The rules here
read the corpus itself, never a list of names:

- word statistics: how often a word is written in lowercase, and how often capitalised in the
  middle of an ordinary (not title-case) sentence (`WordStats`);
- a mention's position: at the start of its sentence or in a title-case line it proves
  nothing; in the middle of an ordinary sentence, capitalised, it is the writer's choice;
- the words around each mention: "on Chirper", "in Tarsen", "Acme shareholders", "X, which"
  against "X said", "X, who", a title in front.

Each rule has a unit test in tests/test_entity_evidence.py on short synthetic strings.
"""

from __future__ import annotations

import functools

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from digest.text.dates import MONTHS, WEEKDAYS
from digest.text.names import JOB_WORDS, LEGAL_SUFFIXES, NAME_SUFFIXES, TITLE_WORDS

FUNCTION_WORDS = frozenset("of and the for on in de at to a an & y du la le van von der".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_PRONOUNS = frozenset("i we you he she they me us him them".split())
_CONTRACTION = re.compile(r"[A-Za-z](?:'|’)(?:m|re|ve|ll|d)\b|n(?:'|’)t\b", re.IGNORECASE)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)?$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")


@dataclass
class WordStats:
    """Per lowercase word: how often the corpus writes it in lowercase, and how often
    capitalised inside an ordinary sentence (not its first word, not a title-case line)."""

    lower: Counter
    capital: Counter

    @classmethod
    def of(cls, sentences: Iterable[str]) -> WordStats:
        lower: Counter = Counter()
        capital: Counter = Counter()
        for sentence in sentences:
            words = _WORD.findall(sentence)
            if is_title_case(words):
                continue
            for i, word in enumerate(words):
                if word.islower():
                    lower[word] += 1
                elif i and word[0].isupper() and not word.isupper():
                    capital[word.lower()] += 1
        return cls(lower, capital)

    def common(self, word: str) -> bool:
        """Written in lowercase more often than capitalised mid-sentence ('concert', 'ocean')."""
        w = word.lower()
        return self.lower[w] > self.capital[w]

    def mostly_lowercase(self, word: str) -> bool:
        """Written in lowercase at least twice as often as capitalised mid-sentence."""
        w = word.lower()
        return self.lower[w] >= 2 and self.lower[w] >= 2 * max(1, self.capital[w])


def is_title_case(words: Sequence[str]) -> bool:
    """A headline, menu or caption line: most of its content words capitalised."""
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    if len(content) < 4:
        return False
    return sum(w[0].isupper() for w in content) * 10 >= len(content) * 7


def in_ordinary_position(surface: str, sentence: str) -> bool:
    """The surface is written inside an ordinary sentence, after another word: evidence that
    the writer capitalised it as a name ("... told the Athletic ..."), which the first word of
    a sentence, a title-case line or a line of its own is not."""
    at = sentence.find(surface)
    if at <= 0 or not re.search(r"[A-Za-z0-9]", sentence[:at]):
        return False
    before = sentence[:at].rstrip()
    if before.endswith((":", "|", "—", "–", "-", "•")) and len(before.split()) <= 3:  # "Settings: Quick Menu"
        return False
    return not is_title_case(_WORD.findall(sentence))


# ---------------------------------------------------------------------------------------
# Names that are not proper names


def is_date_name(surface: str) -> bool:
    """'September 15', 'Friday', 'Monday Jan 3': dates are facts, not entities."""
    words = [w.strip(".,").lower() for w in surface.split()]
    return any(w in MONTHS or w in WEEKDAYS for w in words) and all(
        w in MONTHS or w in WEEKDAYS or _ORDINAL.match(w) for w in words)


def is_sentence_fragment(surface: str) -> bool:
    """"I'm on the 32nd", "We Were There": a pronoun or a contraction makes a clause, not a
    name ("World War I" ends with its numeral)."""
    words = surface.split()
    if _CONTRACTION.search(surface):
        return True
    return any(w.lower() in _PRONOUNS and (w == "I" or not w.isupper()) and not (w == "I" and i == len(words) - 1)
               for i, w in enumerate(words))  # "US" is a country


def quoted(surface: str, sentence: str) -> bool:
    """The surface stands between quotation marks: a title ('“Cry Me a River,”'), not the
    start of a quoted sentence ('“I’m on the 32nd floor.')."""
    at = sentence.find(surface)
    if at <= 0 or sentence[at - 1] not in "\"“‘'":
        return False
    return bool(re.match(r"^[,.!?;:]?[\"”’']", sentence[at + len(surface):]))


_LIST_COMMA = re.compile(r",\s+(?!(?:inc|corp|ltd|llc|plc|jr|sr|co)\b\.?)", re.IGNORECASE)


def is_list(surface: str) -> bool:
    """'Vignal, Prso', 'Terry, Bridge': names written one after another (a team sheet), not one
    name; a comma before a legal suffix or 'Jr' stays ('Apple, Inc.')."""
    return bool(_LIST_COMMA.search(surface))


_CLOCK = re.compile(r"(?:\d{1,2}[:.]\d{2}|\d{1,2}\s*[ap]\.?m\.?)\s*\(?$", re.IGNORECASE)


def after_clock_time(surface: str, sentence: str) -> bool:
    """'18:00 GMT', '10 a.m. ET': a time zone after a clock time is part of the time, no entity."""
    at = sentence.find(surface)
    return at > 0 and bool(_CLOCK.search(sentence[:at].rstrip()))


# Endings of a plural noun for people who share a view or a creed ('Europhiles', 'Islamists'):
# a group described, not a name.
GROUP_PLURALS = ("philes", "phobes", "ists")


def is_demonym(key: str, place_keys: set[str]) -> bool:
    """'Londoners', 'Parisians', 'Texans', 'North Koreans': the people of a place the corpus
    names, not a name; and one-word plurals for people of a view ('Europhiles', GROUP_PLURALS)."""
    if not key.endswith("s"):
        return False
    if " " not in key and key.endswith(GROUP_PLURALS) and len(key) > 7:
        return True
    for suffix in ("ers", "ians", "ans", "ites", "ns", "es", "s"):
        stem = key[:-len(suffix)] if key.endswith(suffix) else ""
        if len(stem) > 2 and any(place != key and place in place_keys for place in (stem, stem + "a", stem + "e", stem + "s")):
            return True
    return False


_CAPITAL_AFTER = re.compile(r"^(-|\s)([A-Z][\w.’'-]*)")
_CAPITAL_BEFORE = re.compile(r"(?:^|\s)([A-Z][\w.’'-]*)\s+(?:(?:and|&|of|for|de)\s+)?$")
# Capitalised words that stand next to a name without being part of it.
_NEXT_TO_NAMES = frozenset("i a the and of for in on at to by from with as".split())


def is_cut_name(surface: str, sentence: str, others: Iterable[str], *, after_only: bool = False,
                place: bool = False, stats: WordStats | None = None) -> bool:
    """The mention is part of a longer name the model cut: in an ordinary sentence it is
    written against capitalised words that belong to no other name the model found there
    ('Tods [Murray]', 'the [US Pacific] Command', '[Wright]-Phillips', 'Alliance for [Digital
    Inclusion]', 'Zoo and [Botanical Garden]'). A title ('President Tim Cook'), a date word
    ('Monday'), a name suffix ('Jr'), a possessive ("Germany's Xinhua"), an adjective
    ('California-based'), a version number, a word the corpus mostly writes in lowercase (a
    new sentence the splitter missed: 'Since') or the first word of the sentence prove
    nothing; nor does a title-case line. `others`: the other mentions' texts in the sentence.
    `after_only`: look at the words after the name only (a person's name follows titles and
    organisations: 'UN envoy Jane Roe'). `place`: a place is not cut ('US Navy', 'US-German',
    'London Tory' name the place as a modifier)."""
    at = sentence.find(surface)
    if at < 0 or is_title_case(_WORD.findall(sentence)):
        return False
    others = [o for o in others if o != surface]

    def free(word: str) -> bool:
        if re.search(r"(?:'s|’s|['’])$", word) or re.search(r"-[a-z]+$", word) or not re.search("[a-z]", word):
            return False  # a possessive, an adjective ('California-based'), an acronym ('US TV')
        w = word.strip(".,;:’'").lower()
        if w.split("-")[0] in TITLE_WORDS:  # 'Secretary-General'
            return False
        if stats is not None and stats.mostly_lowercase(w):
            return False
        return bool(w) and w not in TITLE_WORDS and w not in JOB_WORDS and w not in NAME_SUFFIXES \
            and w not in MONTHS and w not in WEEKDAYS and w not in _NEXT_TO_NAMES \
            and not any(word.strip(".,;:’'") in o.split() for o in others)

    after = _CAPITAL_AFTER.match(sentence[at + len(surface):])
    if after and free(after.group(2)) and not place:
        return True
    if after_only or place:
        return False
    before = _CAPITAL_BEFORE.search(sentence[:at])
    if not before or not free(before.group(1)):
        return False
    return bool(re.search(r"[\w,;:)]\s*$", sentence[:before.start(1)]))  # not the sentence's first word


_RUN_WORD = re.compile(r"[A-Z][\w.’'&-]*|and|&|of|for|de")


def name_before(surface: str, sentence: str) -> str | None:
    """The longer name a mention was cut from on its left, when it reads as one: the run of
    capitalised words (with and, &, of, for, de between them) written straight before it, not
    starting the sentence ('Ringling Bros. and [Barnum & Bailey Circus]' -> 'Ringling Bros. and
    Barnum & Bailey Circus'). None when there is no such run."""
    at = sentence.find(surface)
    if at <= 0:
        return None
    words = sentence[:at].split()
    run: list[str] = []
    while words and _RUN_WORD.fullmatch(words[-1]):
        run.insert(0, words.pop())
    while run and not run[0][:1].isupper():
        words.append(run.pop(0))  # a connector cannot start a name
    if not run or not words or not sentence[:at].endswith(" "):
        return None  # nothing before it, or the run starts the sentence: capitals prove nothing
    return " ".join(run + [surface])


def names_a_team_or_body(surface: str, sentence: str, organisations: Iterable[str]) -> bool:
    """A place written straight before a team's name the model tagged apart, one capitalised
    plural word ('Tennessee' 'Titans', 'Harbour' 'Rovers'): the place is part of the team's
    name there, not the place itself ('US' 'Congress' and 'UK' 'Independence Party' stay)."""
    at = sentence.find(surface)
    if at < 0:
        return False
    rest = sentence[at + len(surface):]
    return any(o != surface and rest.startswith(" " + o) and re.fullmatch(r"[A-Z][a-z]+s", o) for o in organisations)


def has_stray_quote(surface: str) -> bool:
    """'Black Mirror" Season 4': a double quote without its pair inside a name is the edge of
    a quoted title the model ran across."""
    quotes = sum(surface.count(q) for q in '"“”')
    return quotes % 2 == 1


_LOWER_PREFIX = re.compile(r"^[a-z]+-(?=[A-Z])")


def is_prefixed_adjective(surface: str) -> bool:
    """'post-World War II', 'anti-Brexit', 'pro-Kremlin': a lowercase prefix makes an adjective
    of the name, no name."""
    return bool(_LOWER_PREFIX.match(surface))


_CAPITAL_PREPOSITIONS = frozenset("Of Over In On For To With From At By Into Against After Before Amid".split())


def is_headline_run(surface: str, sentence: str) -> bool:
    """A run of a title-case headline the model took for one name ("Outrageous' Firing Of
    Ballistic Missile Over Japan"): four words or more, a capitalised preposition inside, in a
    title-case line. A name written in an ordinary sentence keeps its 'of' lowercase."""
    words = surface.split()
    return len(words) >= 4 and any(w in _CAPITAL_PREPOSITIONS for w in words[1:-1]) \
        and is_title_case(_WORD.findall(sentence))


def run_on_parts(surface: str) -> list[tuple[str, str]]:
    """Words where a caption ran into the next name without a space: 'LovelaceAda' ->
    [('Lovelace', 'Ada')]. Only the split points; the caller checks both halves are names."""
    out = []
    for word in surface.split():
        for cut in (m.start() for m in _CAMEL.finditer(word)):
            out.append((word[:cut], word[cut:]))
    return out


def is_shouted_run(surface: str, stats: WordStats) -> bool:
    """A map label or caption in capitals glued to a name ('Route Festival NORTH', 'HOTEL
    BROKEN WINDOWS'): a shouted common word beside written-case words, several shouted words
    that are all common, or three or more of which at least half the corpus also writes in
    lowercase (a menu line: 'DOWNLOADS ECONOMICS EDITORIALS')."""
    words = [w for w in surface.split() if any(c.isalpha() for c in w)]
    shouted = [w for w in words if w.isupper() and len(w) > 3]
    if not shouted:
        return False
    if len(shouted) < len(words):  # a shouted word the corpus also writes in lowercase: no acronym
        return any(stats.lower[w.lower()] for w in shouted) and any(not w.isupper() for w in words)
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    written = [w for w in content if stats.lower[w.lower()]]  # words, not acronyms
    return len(words) > 1 and (all(stats.common(w) for w in content) or len(content) > 2 and len(written) * 2 >= len(content))


def is_common_words(surface: str, stats: WordStats) -> bool:
    """Every word of the name is a common word of the corpus ('Concert', 'Contingent Worker')."""
    words = [w.strip(".,'’") for w in surface.split()]
    content = [w for w in words if w and w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w.isalpha() and not w.isupper() and stats.common(w) for w in content)


def leading_gerund(surface: str, stats: WordStats) -> bool:
    """'Tranquilizing Leo', 'Deploying Missiles': a verb in -ing opening a name of two or
    more words, when the corpus also writes the verb in lowercase in another form ('deployed',
    'deploys', 'deployment', 'tranquilizer'): a gerund subject, not a name word ('Morning Lark',
    'Sterling Moss')."""
    words = surface.split()
    first = words[0].lower()
    if not (len(words) > 1 and len(first) > 5 and first.endswith("ing") and words[0][0].isupper()
            and not words[0].isupper()):
        return False
    stem = first[:-3]  # "deploy", "tranquiliz"
    return any(stats.lower[stem + end] for end in ("ed", "s", "es", "ged", "ped", "ted", "ned", "red", "er", "ers",
                                                     "ment", "ation", "ations"))


# ---------------------------------------------------------------------------------------
# What kind of thing: the words around every mention


_PERSON_AFTER = re.compile(
    r"^(?:'s?|’s?)?\s*(?:,\s*(?:who|whose)\b|,?\s*(?:said|says|told|tells|added|adds|explained|recalled|wrote|"
    r"tweeted|insisted|admitted|denied|smiled|laughed|died|resigned|married|shrugged)\b|,\s*\d{1,3}\s*,)")
_NONPERSON_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:,\s*which\b|(?:shares?|shareholders?|stock|board|executives?|employees?|staff|users?|"
    r"accounts?|app|apps|platform|headquarters|subsidiary|spokes(?:man|woman|person)|offices?|stores?|"
    r"products?|customers?|feed|page|post|posts|website|site|boss|manager|chairman|squad|players|side|striker|"
    r"midfielder|defender|goalkeeper|coach)\b|,\s*(?:the|a|an)\s+(?:[\w-]+\s+){0,3}"
    r"(?:company|firm|group|maker|giant|network|service|platform|agency|newspaper|city|capital|country|town|region)\b)",
    re.IGNORECASE)
_AGENT_BEFORE = re.compile(r"\b(?:told|tells|according to|reported by|interview with)\s+(?:the\s+)?$", re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|inside|outside|across)\s+(?:the\s+)?$", re.IGNORECASE)
_STANDS_ALONE = re.compile(r"^(?:\s*$|\s*[^\w\s'’]|\s+(?:that|and|to|on|in|for|with|as|at|by|or|but|where|which|"
                           r"when|while|after|before|since|about|from|of|this|last|earlier|yesterday|today)\b)")
_MEDIUM_BEFORE = re.compile(r"\b(?:on|via|through|onto)\s+(?:the\s+)?$", re.IGNORECASE)


def kind_cues(surface: str, sentence: str, role: str | None) -> Counter:
    """Cues for 'person', 'organization' and 'place' from the words around one mention."""
    return Counter(dict(_kind_cues(surface, sentence, role)))


@functools.lru_cache(maxsize=1 << 18)  # pure; one mention is weighed again for its key, its cluster and its name
def _kind_cues(surface: str, sentence: str, role: str | None) -> tuple[tuple[str, int], ...]:
    return tuple(_count_cues(surface, sentence, role).items())


def _count_cues(surface: str, sentence: str, role: str | None) -> Counter:
    cues: Counter = Counter()
    at = sentence.find(surface)
    if role and role.split()[-1].lower().rstrip(".") in TITLE_WORDS:
        cues["person"] += 1
    if at < 0:
        return cues
    before, after = sentence[:at], sentence[at + len(surface):]
    if _PERSON_AFTER.match(after):
        cues["person"] += 1
    if _NONPERSON_AFTER.match(after):
        cues["organization"] += 1
    if _STANDS_ALONE.match(after):  # "in the Bush administration": a modifier, no place
        if _PLACE_BEFORE.search(before):
            cues["place"] += 1
        elif _MEDIUM_BEFORE.search(before):
            cues["organization"] += 1
    if _AGENT_BEFORE.search(before):  # told X, according to X: a person or an organisation
        cues["agent"] += 1
    if before.rstrip().split()[-1:] and before.rstrip().split()[-1].lower().rstrip(".") in TITLE_WORDS:
        cues["person"] += 1
    return cues


def evidence_kind(kind: str, mentions: Sequence[tuple[str, str, str | None]], votes: Counter) -> str:
    """The kind of a name once the words around all its `mentions` (surface, sentence, role)
    are weighed: a name typed person that the corpus writes like a thing more often than like
    a person ('on Chirper', 'in Tarsen', 'Acme shareholders'; never 'X said', 'X, who', a
    title) is not a person; a name with a legal suffix is an organisation; a name typed event
    or other that people tell things to ('told the Morning Herald', 'according to X') is an
    organisation. `votes` are the model's labels, used to choose between organisation and
    place."""
    if any(_legal(s) for s, _, _ in mentions) and kind != "organization":
        return "organization"
    cues: Counter = Counter()
    for surface, sentence, role in mentions:
        cues += kind_cues(surface, sentence, role)
    if kind in ("event", "other") and cues["agent"] * 2 >= len(mentions) and not cues["place"]:
        return "person" if cues["person"] > cues["organization"] else "organization"  # "told the Morning Herald"
    if kind != "person":
        return kind
    thing = cues["organization"] + cues["place"]
    if thing <= cues["person"] or thing * 4 < len(mentions):
        return kind
    if cues["place"] > cues["organization"] or (cues["place"] == cues["organization"]
                                                 and votes["place"] > votes["organization"]):
        return "place"
    return "organization"


def _legal(surface: str) -> bool:
    words = surface.split()
    return len(words) > 1 and words[-1].lower().rstrip(".") in LEGAL_SUFFIXES
