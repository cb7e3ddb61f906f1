"""Numbers with what they count, found with spaCy's dependency parse.

"about a dozen bilateral documents" -> key "bilateral document", value "12", approx "about";
"27 people were injured" / "27 injured" / "27 were hurt" -> key "injured"; "the 75th anniversary"
-> key "anniversary", value "75th"; "a two-day visit" -> key "visit length", value "2 days";
"Putin, aged 71" -> key "age of Putin". Words and digits alike. Bare numbers with nothing to
count ("the two leaders", "one of them") are dropped: they make junk rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digest.analysis.syntax import compound_text
from digest.text.numbers import MEASURES, NUMBER_WORDS, ROLE_OF, UNITS, format_number, number_word, parse_number

if TYPE_CHECKING:  # annotations only: the facts stage imports this module without spaCy
    from spacy.tokens import Doc, Span, Token

ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
ORDINALS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
                 "eightieth": 80, "ninetieth": 90, "hundredth": 100})

# Approximation phrases before a number -> the canonical word kept on the candidate.
APPROX = {
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "just under": "nearly", "at least": "at least", "more than": "more than", "over": "more than",
    "upwards of": "more than", "just over": "more than", "fewer than": "less than",
    "less than": "less than", "under": "less than", "up to": "up to", "as many as": "up to",
    "at most": "up to", "as much as": "up to", "exactly": "exactly",
}
CURRENCIES = {"$": "$", "us$": "$", "£": "£", "€": "€", "¥": "¥"}

# The counted noun itself can say it: "five deaths", "27 injuries", "three arrests".
NOUN_ROLES = {"death": "killed", "fatality": "killed", "dead": "killed", "injury": "injured",
              "casualty": "injured", "arrest": "arrested"}
PERSON_NOUNS = frozenset({
    "people", "person", "civilian", "victim", "man", "woman", "child", "worker", "passenger",
    "student", "officer", "soldier", "resident", "employee", "member", "fan", "patient", "adult",
    "teenager", "tourist", "migrant", "refugee", "protester", "staff", "crew", "individual"})
UNIT_ALIASES = {"kms": "km", "miles": "mile", "feet": "foot", "metres": "metre", "meters": "meter",
                "pounds": "pound", "lbs": "lb", "kilometers": "kilometer", "kilometres": "kilometre",
                "mphs": "mph", "yards": "yard", "inches": "inch", "tonnes": "tonne", "tons": "ton"}
# Nouns that stand for people only when a role word says what happened to them ("500 others
# were injured"); alone they count nothing ("two others said").
ROLE_ONLY_NOUNS = frozenset({"other"})
NO_KEY_UNITS = frozenset({"degree", "gmt", "percent", "%", "point", "per", "cent", "bps"})
ORDINAL_MARK = "(nth)"  # ordinal keys ("anniversary (nth)") never align with counts ("5 seasons")
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})
ORDINAL_NOUNS = frozenset({"anniversary", "term", "birthday", "edition", "summit", "round", "season",
                           "championship", "title", "victory", "win", "consecutive", "straight"})
VAGUE_NOUNS = frozenset({"time", "thing", "way", "one", "part", "lot", "number", "side", "party",
                         "country", "nation", "leader", "other", "kind", "point", "case", "percent"})
DETERMINERS = frozenset({"the", "these", "those", "both", "his", "her", "their", "its", "our", "my",
                         "your", "all"})


@dataclass(frozen=True)
class NumberMention:
    key: str
    value: str
    text: str
    approx: str | None
    start_char: int
    sentence: str
    thing: str = ""  # the counted noun and its predicate, before qualifiers ("people killed")
    qualifiers: tuple[str, ...] = ()  # subset or other-quantity words ("critically", "among")


def parse_ordinal(word: str) -> int | None:
    w = word.lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    return int(m.group(1)) if m else ORDINALS.get(w)


def approx_before(doc: Doc, start: int, sent_start: int) -> tuple[str | None, int]:
    """The approximation phrase right before a number ("at least") and where it starts."""
    for size in (4, 3, 2, 1):
        if start - size < sent_start:
            continue
        phrase = " ".join(t.lower_ for t in doc[start - size:start]).replace(" - ", " ").replace("-", " ")
        if phrase in APPROX:
            return APPROX[phrase], start - size
    return None, start


def _is_numberish(tok: Token) -> bool:
    w = number_word(tok.text)
    return (tok.like_num and not re.search(r"[/:]", tok.text)) or w in NUMBER_WORDS \
        or bool(re.fullmatch(r"\d+(?:\.\d+)?(?:k|m|mn|bn|b|tn)", w))


def number_spans(doc: Doc, skip: set[int]) -> list[Span]:
    """Maximal runs of number tokens ("a dozen", "3.5 million", "twenty - five"), skipping dates."""
    toks = list(doc)  # indexing a Doc builds a Token each time: walk a list instead
    numberish = [t.i not in skip and _is_numberish(t) for t in toks]
    spans, i = [], 0
    while i < len(toks):
        tok = toks[i]
        if not numberish[i] or tok.lower_ in ("a", "an"):
            i += 1
            continue
        start = i - 1 if i > 0 and toks[i - 1].lower_ in ("a", "an") and tok.lower_ in (
            "dozen", "hundred", "thousand", "million", "billion") else i
        end = i + 1
        while end < len(toks) and (numberish[end] or (
                toks[end].text == "-" and end + 1 < len(toks) and toks[end + 1].lower_ in UNITS)):
            end += 1
        spans.append(doc[start:end])
        i = end
    return spans


def _role_of(tokens: list[Token]) -> str | None:
    for tok in tokens:
        role = ROLE_OF.get(tok.lemma_.lower()) or ROLE_OF.get(tok.lower_)
        if role:
            return role
    return None


def _role_tokens(anchor: Token) -> list[Token]:
    """Verbs and adjectives that say what happened to a counted noun (or a bare count)."""
    found = [c for c in anchor.children if c.dep_ in ("acl", "amod", "relcl", "acomp")]
    head = anchor.head
    if anchor.dep_ == "nummod" and head.pos_ in ("ADJ", "VERB") and head is not anchor:
        found.append(head)  # "left 50 dead": the count modifies the role word itself
    if anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj") and head is not anchor:
        found.append(head)
        found.extend(c for c in head.children if c.dep_ in ("acomp", "attr", "dobj", "xcomp", "oprd")
                     and c is not anchor)
    if anchor.dep_ == "pobj" and head.head is not head:  # "the death toll rose to 58"
        verb = head.head
        found.extend(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
        found.extend(t for c in verb.children if c.dep_ in ("nsubj",) for t in c.children
                     if t.dep_ == "compound")
    return found


# One child of the story, whichever word an outlet chose ("a four-year-old boy", "a 3-year-old").
CHILD_NOUNS = frozenset({"boy", "girl", "child", "kid", "toddler", "son", "daughter", "baby", "infant"})
# Words that make a count another quantity than the plain one ("critically injured" is a part of
# the injured; "three of them", "among the dead", "including 12 Britons" are subsets).
SEVERITY = frozenset({"critically", "seriously", "severely", "gravely", "fatally", "badly", "slightly",
                      "lightly", "mildly", "critical", "serious", "severe", "minor", "grave"})
SUBSET_PREPS = {"among": "among", "including": "including", "include": "including", "of": "of"}


def _qualifiers(anchor: Token, roles: list[Token]) -> tuple[str, ...]:
    """What makes a count a different quantity from the story's plain figure, from the parse."""
    out: list[str] = []
    for tok in [anchor, *roles]:
        out += [c.lower_ for c in tok.children if c.dep_ in ("advmod", "amod") and c.lower_ in SEVERITY
                and not _other_count_between(anchor, c)]
    if anchor.lemma_.lower() in PERSON_NOUNS | {"citizen", "national"}:  # "12 US citizens", "three British nationals"
        out += [c.text for c in anchor.children if c.dep_ in ("compound", "amod") and c.ent_type_ in ("NORP", "GPE")]
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in anchor.children):
        out.append("of")  # "three of them", "two of the injured"
    node, hops = anchor, 0
    while node.head is not node and hops < 3:  # "including 12 Britons": the count is the part
        word = SUBSET_PREPS.get(node.head.lower_) if node.dep_ in ("pobj", "dobj") else None
        if word and word not in ("of", "among"):  # "among 27 injured": the count is the whole
            out.append(word)
        node, hops = node.head, hops + 1
    clause = anchor.head if anchor.dep_ == "nummod" else anchor
    while clause.dep_ in ("nsubj", "nsubjpass", "attr") and clause.head is not clause:
        clause = clause.head  # "Among the dead were 12 Britons": the counted subject is the part
        if any(c.dep_ == "prep" and c.lower_ == "among" for c in clause.children):
            out.append("among")
            break
    return tuple(dict.fromkeys(out))


def _other_count_between(anchor: Token, word: Token) -> bool:
    """A severity word after another number belongs to that number: in "25 people were
    injured, four of them critically" the 25 are all the injured, the four the critical."""
    low, high = sorted((anchor.i, word.i))
    return any(t.like_num and t.i != anchor.i for t in anchor.doc[low + 1:high])


# What a price per share is the price of: a bid, offer or proposal is one thing ("Offer per share");
# an earlier one is another quantity ("Initial offer per share"), not a conflicting value.
THING_SYNONYMS = {"bid": "offer", "offer": "offer", "proposal": "offer", "approach": "offer", "deal": "offer",
                  "price": "price", "dividend": "dividend", "payout": "dividend"}
EARLIER = frozenset({"previous", "initial", "original", "earlier", "first", "prior", "old", "opening"})


def _per_share(root: Token) -> bool:
    return any(c.dep_ == "npadvmod" and c.lemma_ == "share" and any(d.lower_ in ("a", "per") for d in c.children)
               or c.dep_ == "prep" and c.lower_ == "per" and any(g.lemma_ == "share" for g in c.children)
               for c in root.children)


def _per_share_key(root: Token) -> str | None:
    """'raised its offer to $82 a share' / 'a previous offer of $70 a share' / 'the bid represents
    $82 per share' -> 'offer per share' / 'initial offer per share'."""
    thing = None
    if root.dep_ == "pobj" and root.head.head is not root.head:
        holder = root.head.head
        if holder.pos_ in ("NOUN", "PROPN"):
            thing = holder
        elif holder.pos_ in ("VERB", "AUX", "ADJ"):
            thing = next((c for dep in ("dobj", "nsubjpass", "nsubj") for c in holder.children
                          if c.dep_ == dep and c.pos_ == "NOUN"), None)
    elif root.dep_ in ("dobj", "attr") and root.head is not root:
        verb = root.head
        thing = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"), None)
        if thing is None and verb.lemma_.lower() in THING_SYNONYMS:
            return f"{THING_SYNONYMS[verb.lemma_.lower()]} per share"  # "offered $82 a share"
    if thing is None or thing.lemma_.lower() not in THING_SYNONYMS:
        return None
    earlier = any(c.dep_ == "amod" and c.lower_ in EARLIER for c in thing.children)
    return f"{'initial ' if earlier else ''}{THING_SYNONYMS[thing.lemma_.lower()]} per share"


def _age_key(span: Span) -> str | None:
    """'Putin, aged 71' and '71-year-old Putin' -> 'age of Putin'."""
    root = span.root
    head = root.head
    if head.lower_ == "aged" and head.head.pos_ == "PROPN":
        return f"age of {head.head.text}"
    if head.lemma_ == "year" and head.head.lower_ == "old" and head.head.head.pos_ == "PROPN":
        return f"age of {head.head.head.text}"
    if head.lemma_ == "year" and head.head.lower_ == "old":  # "a four-year-old boy", "a 3-year-old fell"
        old = head.head
        noun = old.head if old.dep_ == "amod" else old if old.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") else None
        word = noun.lemma_.lower() if noun is not None else ""
        if word in CHILD_NOUNS or (noun is old and parse_number([root.text]) is not None
                                    and parse_number([root.text]) < 13):
            return "age of child"
    return None


def number_mentions(doc: Doc, skip_chars: set[int]) -> list[NumberMention]:
    """Every countable number in a Doc with its key (skip_chars: start offsets of dates)."""
    skip = {t.i for t in doc if t.idx in skip_chars}
    for ent in doc.ents:
        if ent.label_ in ("TIME", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT", "GPE", "PERSON"):
            skip.update(range(ent.start, ent.end))
    out: list[NumberMention] = []
    for span in number_spans(doc, skip):
        mention = _mention(doc, span)
        if mention is not None:
            out.append(mention)
    for tok in doc:  # ordinals: "the 75th anniversary", "his fifth term"
        n = parse_ordinal(tok.text) if tok.i not in skip and tok.tag_ in ("JJ", "CD", "RB", "NN") else None
        if n and tok.head.lemma_.lower() in ORDINAL_NOUNS and n >= 2:
            sent = tok.sent
            out.append(NumberMention(key=f"{tok.head.lemma_.lower()} {ORDINAL_MARK}", value=f"{n}{_suffix(n)}",
                                     text=doc[tok.i:tok.head.i + 1].text if tok.head.i > tok.i else tok.text,
                                     approx=None, start_char=tok.idx, sentence=sent.text.strip()))
    return out


def _is_year_or_score(doc: Doc, span: Span) -> bool:
    """'the 2014 season' (a year) and '11-5 record', '6-3 lead' (scores) are not counts."""
    if len(span) == 1 and re.fullmatch(r"(1[89]|20)\d\d", span[0].text):
        return True
    after = doc[span.end:span.end + 2]
    before = doc[max(0, span.start - 2):span.start]
    return (len(after) == 2 and after[0].text in ("-", "–") and after[1].like_num and after[1].text.isdigit()) \
        or (len(before) == 2 and before[1].text in ("-", "–") and before[0].text.isdigit())


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _mention(doc: Doc, span: Span) -> NumberMention | None:
    words = [t.text for t in span]
    value = parse_number(words)
    if value is None or _is_year_or_score(doc, span):
        return None
    sent = span.root.sent
    approx, start = approx_before(doc, span.start, sent.start)
    if approx is None and start - 2 >= sent.start and doc[start - 1].lower_ in ("to", "-", "–") \
            and doc[start - 2].like_num and not (start - 3 >= sent.start and doc[start - 3].lower_ in ("from", "between")):
        approx, start = "about", start - 2  # a range, "10 to 12 feet": its upper bound, approximately
    currency = ""
    if start > sent.start and doc[start - 1].lower_ in CURRENCIES:
        currency = CURRENCIES[doc[start - 1].lower_]
        start -= 1
    root = span.root
    noun = root.head if root.dep_ in ("nummod", "quantmod", "compound", "amod") and root.head.pos_ in (
        "NOUN", "PROPN") and root.head.i > root.i else None
    if noun is not None and noun.lower_ in ("percent", "%"):
        return None  # a share without what it is a share of makes no row
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in (
            "hundreds", "thousands", "dozens", "millions"):
        return None
    end = (noun.i if noun is not None else span.end - 1) + 1
    qualifiers: tuple[str, ...] = ()
    age = _age_key(span)
    if age:
        key, shown = age, format_number(value)
        old = root.head.head if root.head.lemma_ == "year" else None
        if old is not None and old.lower_ == "old":  # the words "four-year-old boy", not "four-year"
            end = max(end, (old.head.i if old.dep_ == "amod" and old.head.i > old.i else old.i) + 1)
    elif currency and noun is None and _per_share(root):
        key = _per_share_key(root)
        if key is None:
            return None
        shown = currency + format_number(value)
        end = max(end, max(t.i for t in root.subtree) + 1)
    elif noun is not None and _unit(noun) in MEASURES:
        head = noun.head
        if noun.dep_ in ("compound", "amod", "nmod") and head.pos_ == "NOUN" and head.i > noun.i:
            key = f"{head.lemma_.lower()} {MEASURES[_unit(noun)][0]}"  # "a 400-pound gorilla"
        elif noun.dep_ in ("dobj", "npadvmod", "pobj") and head.pos_ == "VERB" and head.lemma_ not in ("be", "have"):
            key = f"{head.lemma_.lower()} {MEASURES[_unit(noun)][0]}"  # "flew 2,700 km"
        else:
            return None
        if _unit(noun) == "pound" and (value >= 1e5 or any(c.dep_ == "amod" for c in noun.children)):
            return None  # money (1 million Egyptian pounds), not weight
        shown = f"{format_number(value)} {_unit(noun)}"
    elif noun is not None and _unit(noun) in NO_KEY_UNITS:
        return None
    elif noun is not None and noun.lemma_.lower() in TIME_UNITS:
        key = _duration_key(noun)
        if key is None:
            return None
        shown = f"{format_number(value)} {noun.lemma_.lower()}{'s' if value != 1 else ''}"
    else:
        anchor = noun if noun is not None else root
        role = NOUN_ROLES.get(noun.lemma_.lower()) if noun is not None else None
        if role is None and (noun is None or noun.lemma_.lower() in PERSON_NOUNS | ROLE_ONLY_NOUNS):
            role = _role_of(_role_tokens(anchor))
        if role:
            key = role
        elif noun is None or noun.lemma_.lower() in VAGUE_NOUNS:
            return None
        elif noun.lemma_.lower() in PERSON_NOUNS:
            verb = anchor.head if anchor.dep_ in ("nsubj", "nsubjpass", "dobj") else None
            if verb is None or verb.pos_ != "VERB":
                return None
            key = f"{noun.lemma_.lower()} {verb.lemma_.lower()}"
        else:
            key = " ".join(w.lower() for w in compound_text(noun).split()[:-1] + [noun.lemma_])
            target = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "on")
                           for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
            if target is not None:  # "$47 billion bid for NXP" is not the bid for Qualcomm
                key += f" {target.head.lower_} {target.text.lower()}"
            owner = _owner(noun)
            if owner:  # facts folds it away when the owner is the story's own subject
                key += f" {OWNER_MARK}{owner}"
        if value == 1 and not role:
            return None
        if value <= 3 and start > sent.start and doc[start - 1].lower_ in DETERMINERS:
            return None  # "the two leaders": a reference, not a fact
        shown = currency + format_number(value)
        qualifiers = _qualifiers(anchor, _role_tokens(anchor))
        for tok in _role_tokens(anchor):
            if tok.i > end - 1 and tok.i - start <= 10 and tok.sent == sent and tok.pos_ in ("VERB", "ADJ"):
                end = tok.i + 1
    text = doc[start:end].text
    return NumberMention(key=key, value=shown, text=text, approx=approx, start_char=span.start_char,
                         sentence=sent.text.strip(), qualifiers=qualifiers)


def _unit(noun: Token) -> str:
    word = noun.lower_
    return UNIT_ALIASES.get(word, word if word in MEASURES or word in NO_KEY_UNITS else noun.lemma_.lower())


OWNER_MARK = "@"  # "charge @Bank of America Corp.": whose count it is, when a name says so


def _owner(noun: Token) -> str | None:
    """The named organisation or person a count belongs to: "Bank of America will take a $3
    billion charge", "Goldman's $5 billion charge"."""
    holder = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if holder is None and noun.dep_ in ("dobj", "nsubjpass", "nsubj") and noun.head.pos_ == "VERB":
        holder = next((c for c in noun.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"), None)
    if holder is None or holder.ent_type_ not in ("ORG", "PERSON"):
        return None
    ent = next((e for e in noun.doc.ents if e.start <= holder.i < e.end), None)
    return re.sub(r"[’']s$", "", ent.text).strip() if ent is not None else None


def _duration_key(unit: Token) -> str | None:
    """What a span of time measures: 'a two-day visit' -> 'visit length',
    'ten days after his inauguration' -> 'days after inauguration'."""
    head = unit.head
    if unit.dep_ in ("compound", "amod", "nmod") and head.pos_ == "NOUN" and head.i > unit.i:
        return f"{head.lemma_.lower()} length"
    prep = next((c for c in unit.children if c.dep_ == "prep" and c.lower_ in ("after", "before", "since")), None)
    if prep is None and head.dep_ == "prep" and head.lower_ in ("after", "before", "since"):
        prep = head
    if prep is not None:
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.is_alpha:
            return f"{unit.lemma_.lower()}s {prep.lower_} {obj.lemma_.lower()}"
    return None
