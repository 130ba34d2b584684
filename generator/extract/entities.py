"""People, places and organisations from gazetteers and role-word patterns (no NER model).

Precision comes before recall: a page for a non-entity is worse than a missing one.
Every rule keys on normalised words (`generator.extract.arabic`), so spelling variants meet.

* places: Babel's Arabic territory names, a project list of regions and cities
  (`data/entities_places.txt`) and "مدينة X" patterns for rare names;
* organisations: a project list, the outlet table (`data/outlets.yml`) and head-word
  patterns (وزارة الدفاع الروسية، مجلس الأمن الدولي، مجموعة مينسك);
* people: role-word patterns (الرئيس الروسي فلاديمير بوتين، المتحدثة باسم الوزارة، فلان),
  then counted again wherever the surname stands alone (بوتين). Names are never stemmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from itertools import chain, compress, islice, repeat
from operator import attrgetter, not_
from typing import NamedTuple

from generator.extract.arabic import data_lines, lexicon, match_key, normalise
from generator.extract.stopwords import is_stopword

PERSON, PLACE, ORGANISATION = "person", "place", "organisation"
_MAX_GAZETTEER_WORDS = 7
# A word rarer than this in the lexicon is taken for a proper name (foreign names mostly).
_RARE = 1e-5
_RARE_PLACE = 2e-6
_HAMZA_ALEF = ("أ", "إ", "آ")
# A first name not in the given-names list must be this rare (a foreign name, not a verb).
_RARE_NAME = 2e-6
# Babel names that are everyday Arabic words (مالي "financial", بنين "sons").
_AMBIGUOUS_TERRITORIES = frozenset({"ML", "BJ", "JE", "GG", "IM", "TK", "NU", "AC", "DG"})
_NON_COUNTRY_CODES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|[^\w\s]")
_PROCLITICS_1 = "وف"
_PROCLITICS_2 = "بكل"
_NAME_LINKS = frozenset({"بن", "ابن", "بنت", "عبد", "ابو", "ابي", "ال", "دي", "فان", "فون", "دا"})
_PLACE_HEADS = frozenset(
    normalise(w)
    for w in [
        "مدينة",
        "بلدة",
        "قرية",
        "محافظة",
        "ولاية",
        "إقليم",
        "مقاطعة",
        "جزيرة",
        "العاصمة",
        "ميناء",
        "مخيم",
    ]
)
# Qualifiers that follow a name without being part of it (مجموعة مينسك التابعة لـ…).
_NOT_NAME_WORDS = frozenset(
    normalise(w)
    for w in [
        "التابع",
        "التابعة",
        "التابعين",
        "المعني",
        "المعنية",
        "المختص",
        "المختصة",
        "المكلف",
        "المكلفة",
        "المسؤول",
        "المسؤولة",
        "الحالي",
        "الحالية",
        "السابق",
        "السابقة",
        "الجديد",
        "الجديدة",
        "المذكور",
        "المذكورة",
        "المشترك",
        "المشتركة",
        "المقبل",
        "المقبلة",
        "الماضي",
        "الماضية",
        "نفسه",
        "نفسها",
        "ذاته",
        "ذاتها",
        "الرسمي",
        "الرسمية",
        "الخاص",
        "الخاصة",
    ]
)
_ROLE_LINKS = frozenset(
    normalise(w) for w in ["باسم", "السابق", "الحالي", "العام", "الأعلى", "لشؤون"]
)


@dataclass(frozen=True)
class Entities:
    """Display names found in one article, most salient first, no duplicates by key."""

    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


class _Tok(NamedTuple):
    """One word of the text: what it shows, its key, and whether punctuation follows it."""

    raw: str
    key: str
    brk: bool


# One is made for every word of every article: building them from (raw, key, brk) tuples
# without a Python-level __new__ call per word keeps tokenising cheap.
_MAKE_TOK = partial(tuple.__new__, _Tok)
_KEY = attrgetter("key")


@dataclass
class _Tally:
    """Mentions of one entity in one article."""

    display: str
    first: int
    count: int = 0
    in_title: bool = False


# --- word lists ---------------------------------------------------------------------------


@cache
def _aliases() -> dict[str, str]:
    """match_key of every listed spelling → display name of its entity."""
    table: dict[str, str] = {}
    for line in data_lines("entities_aliases.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for name in names:
            table.setdefault(match_key(name), names[0])
    for outlet_name, spellings in _outlet_names():
        for name in (outlet_name, *spellings):
            table.setdefault(match_key(name), outlet_name)
    return table


def _outlet_names() -> list[tuple[str, tuple[str, ...]]]:
    """Outlets and agencies (display name, spellings) from the shared outlet table."""
    try:
        from generator.extract.source import outlets
    except ImportError:  # pragma: no cover - the outlet table is optional here
        return []
    return [(o.name, o.names) for o in outlets()]


@lru_cache(maxsize=1 << 16)
def entity_key(name: str) -> str:
    """The key that groups spellings of one entity (honours the alias file)."""
    key = match_key(name)
    canonical = _aliases().get(key)
    return match_key(canonical) if canonical else key


def _display(name: str) -> str:
    """The display name of an entity: the alias file's first spelling, else the name."""
    return _aliases().get(match_key(name), name)


@cache
def _nationalities() -> frozenset[str]:
    """Normalised forms of nationality adjectives (روسي، الروسية، الدولي …)."""
    return _adjective_forms(countries_only=False)


@cache
def _country_adjectives() -> frozenset[str]:
    """Nationality adjectives that name a country (الروسي, not الدولي)."""
    return _adjective_forms(countries_only=True)


def _adjective_forms(*, countries_only: bool) -> frozenset[str]:
    """Every form (ال, ة, plural) of the listed adjectives."""
    forms: set[str] = set()
    for line in data_lines("entities_nationalities.tsv"):
        stem, _, country = line.partition("\t")
        if countries_only and not country.strip():
            continue
        stem = normalise(stem)
        for word in (stem, stem + "ه", stem + "ون", stem + "ين"):
            forms.update((word, "ال" + word))
    return frozenset(forms)


def _territories() -> Iterator[str]:
    """Arabic country names from Babel's CLDR data, minus ambiguous ones."""
    from babel import Locale

    for code, name in Locale("ar").territories.items():
        if len(code) == 2 and code not in _AMBIGUOUS_TERRITORIES | _NON_COUNTRY_CODES:
            yield name.split(" (")[0]


def _usable_outlet_name(name: str) -> bool:
    """Outlet spellings safe to match in free text: specific, not everyday words or adjectives."""
    key = normalise(name)
    if not key or not all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in key):
        return False
    if " " in key:
        return len(key) > 5
    if key.startswith("ال") or len(key) < 4 or is_stopword(key):
        return False  # الحرة، العربية: adjectives; short names are everyday words (وام)
    return lexicon().get(key, 0.0) < 3e-5


@cache
def _gazetteer() -> dict[tuple[str, ...], tuple[str, str]]:
    """Normalised word tuple → (kind, display name) for every listed place and organisation."""
    table: dict[tuple[str, ...], tuple[str, str]] = {}

    def add(name: str, kind: str) -> None:
        key = tuple(normalise(name).split())
        if key and len(key) <= _MAX_GAZETTEER_WORDS:
            table.setdefault(key, (kind, _display(name)))

    for name in data_lines("entities_organisations.txt"):
        add(name, ORGANISATION)
    for name in (*data_lines("entities_places.txt"), *_territories()):
        add(name, PLACE)  # before outlets, so a paper named after its city stays a place
    for _, spellings in _outlet_names():
        for name in spellings:
            if _usable_outlet_name(name):
                add(name, ORGANISATION)
    for line in data_lines("entities_aliases.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        kind = table.get(tuple(normalise(names[0]).split()), (PLACE, ""))[0]
        for name in names:
            add(name, kind)
    return table


@cache
def _org_heads() -> dict[str, str]:
    """Normalised organisation head word → the kind of complement it takes."""
    rows = (line.split("\t") for line in data_lines("entities_org_heads.txt"))
    return {normalise(row[0]): row[1].strip() for row in rows if len(row) == 2}


@cache
def _roles() -> frozenset[str]:
    """Normalised role words that may precede a person's name."""
    return frozenset(normalise(w) for w in data_lines("entities_roles.txt"))


@cache
def _first_names() -> frozenset[str]:
    """Normalised given names."""
    return frozenset(normalise(w) for w in data_lines("entities_first_names.txt"))


def preload() -> None:
    """Load every word list now (before forking workers, so they share one copy)."""
    _gazetteer_firsts()  # and with it the gazetteer, aliases, outlets and lexicon
    _org_heads()
    _roles()
    _first_names()
    _nationalities()
    _country_adjectives()


# --- words --------------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def _word_key(piece: str) -> str:
    """normalise() for one word, cached (the same words recur); "" for punctuation."""
    key = normalise(piece).replace(" ", "")
    return key if key and (piece[0].isalnum() or piece[0] == "\u0640") else ""


def _tokenise(text: str) -> list[_Tok]:
    """Words of a text with a break flag where punctuation (or the end) follows."""
    pieces = _WORD.findall(text)
    keys = list(map(_word_key, pieces))
    breaks = map(not_, islice(chain(keys, ("",)), 1, None))  # no word next: punctuation or end
    rows = zip(pieces, keys, breaks, strict=True)
    toks: list[_Tok] = list(map(_MAKE_TOK, compress(rows, keys)))
    return toks


@lru_cache(maxsize=100_000)
def _peels(key: str) -> tuple[tuple[int, str], ...]:
    """The word itself, then every reading with proclitics off: (letters removed, rest)."""
    out = [(0, key)]
    first = [(0, key)]
    if len(key) > 3 and key[0] in _PROCLITICS_1:
        first.append((1, key[1:]))
    for n, rest in first:
        if n:
            out.append((n, rest))
        if len(rest) > 4 and rest.startswith("لل"):
            out.append((n + 1, "ا" + rest[1:]))  # لل = ل + ال, the alef dropped
        elif len(rest) > 3 and rest[0] in _PROCLITICS_2:
            out.append((n + 1, rest[1:]))
    return tuple(out)


def _drop_letters(raw: str, n: int) -> str:
    """The display word without its first n letters (and the tatweel or marks after them)."""
    i = 0
    while n and i < len(raw):
        i += 1
        n -= 1
        while i < len(raw) and (raw[i] == "\u0640" or "\u064b" <= raw[i] <= "\u065f"):
            i += 1
    return raw[i:]


def _unclitic(tok: _Tok, n: int, rest: str) -> str:
    """Display form of a word whose first n key letters were clitics."""
    if not n:
        return tok.raw
    shown = _drop_letters(tok.raw, n)
    return "ا" + shown if rest.startswith("ال") and not shown.startswith(("ال", "أل")) else shown


def _freq(key: str) -> float:
    """Lexicon frequency of a normalised word."""
    return lexicon().get(key, 0.0)


def _is_definite(key: str) -> bool:
    """An ال-word that is not a function word (الذي، التي)."""
    return key.startswith("ال") and len(key) > 3 and not is_stopword(key)


# --- matchers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    """One entity mention: kind, display name, and the token span it covers."""

    kind: str
    name: str
    start: int
    end: int


@cache
def _gazetteer_firsts() -> frozenset[str]:
    """First words of gazetteer entries, to skip most words with one set lookup."""
    return frozenset(key[0] for key in _gazetteer())


@dataclass(frozen=True)
class _Info:
    """What a word can start, worked out once per distinct word."""

    role: bool
    head: tuple[int, str, str] | None  # letters of clitics, head word, complement mode
    place_head: bool
    gazetteer: tuple[str, ...]  # readings that begin a gazetteer entry


@lru_cache(maxsize=100_000)
def _info(key: str) -> _Info:
    """Role, organisation-head, place-head and gazetteer readings of one word."""
    peels = _peels(key)
    heads = _org_heads()
    head = next(((n, r, heads[r]) for n, r in peels if r in heads), None)
    return _Info(
        role=any(r in _roles() for _, r in peels),
        head=head,
        place_head=any(r in _PLACE_HEADS for _, r in peels),
        gazetteer=tuple(r for _, r in peels if r in _gazetteer_firsts()),
    )


@lru_cache(maxsize=100_000)
def _can_start(key: str) -> bool:
    """Whether a word can begin a mention (most words cannot)."""
    info = _info(key)
    return bool(info.role or info.head or info.place_head or info.gazetteer)


def _gazetteer_hit(toks: list[_Tok], i: int) -> _Hit | None:
    """The longest listed place or organisation starting at word i (clitics allowed)."""
    table = _gazetteer()
    for first in _info(toks[i].key).gazetteer:
        words = [first]
        best: _Hit | None = None
        for j in range(i, min(i + _MAX_GAZETTEER_WORDS, len(toks))):
            if j > i:
                if toks[j - 1].brk:
                    break
                words.append(toks[j].key)
            found = table.get(tuple(words))
            if found:
                best = _Hit(found[0], found[1], i, j + 1)
        if best:
            return best
    return None


def _complement_ok(key: str, mode: str, position: int) -> bool:
    """Whether a word may continue an organisation name after its head word."""
    if is_stopword(key) or key in _roles() or key in _NOT_NAME_WORDS:
        return False
    if mode == "nationality":
        return key in _country_adjectives()
    if key in _nationalities():
        return True
    if _is_definite(key):
        return mode != "name" or position > 0
    if mode not in ("any", "name") or position or len(key) < 3 or key.endswith("يه"):
        return False  # منظمة إجرامية: an indefinite adjective, not a name
    return _freq(key) < _RARE


def _org_hit(toks: list[_Tok], i: int) -> _Hit | None:
    """A head-word organisation: وزارة الدفاع الروسية، مجموعة مينسك، الجيش الروسي."""
    found = _info(toks[i].key).head
    if found is None:
        return None
    n, head, mode = found
    end = i + 1
    while end < len(toks) and end - i <= 3 and not toks[end - 1].brk:
        if not _complement_ok(toks[end].key, mode, end - i - 1):
            break
        end += 1
    words = [t.key for t in toks[i + 1 : end]]
    if not words or (mode == "strict" and len(words) < 2 and words[-1] not in _nationalities()):
        return None
    if all(w in _nationalities() for w in words) and mode != "nationality":
        return None
    name = " ".join([_unclitic(toks[i], n, head), *(t.raw for t in toks[i + 1 : end])])
    return _Hit(ORGANISATION, name, i, end)


def _place_hit(toks: list[_Tok], i: int) -> _Hit | None:
    """A rare name after a place word: مدينة غوريس، بلدة كذا."""
    if i + 1 >= len(toks) or toks[i].brk:
        return None
    if not _info(toks[i].key).place_head:
        return None
    key = toks[i + 1].key
    if key.startswith("ال") or is_stopword(key) or key in _nationalities() or len(key) < 3:
        return None
    if _freq(key) >= _RARE_PLACE or not toks[i + 1].raw[0].isalpha():
        return None
    return _Hit(PLACE, toks[i + 1].raw, i + 1, i + 2)


def _role_at(toks: list[_Tok], i: int) -> bool:
    """Whether word i is a role word (الرئيس، ونظيره، وزير)."""
    return _info(toks[i].key).role


def _skip_role_complement(toks: list[_Tok], j: int) -> int:
    """Index after the words that qualify a role (الخارجية الروسي، باسم وزارة الدفاع)."""
    limit = min(j + 7, len(toks))
    while j < limit and not toks[j - 1].brk:
        key = toks[j].key
        if toks[j].raw.startswith(_HAMZA_ALEF):
            break  # ألار، إلياس: a name, not the article
        if not _qualifies_role(key):
            break
        j += 1
    return j


@lru_cache(maxsize=100_000)
def _qualifies_role(key: str) -> bool:
    """Whether a word can qualify a role: definite, a role link, or a role or head word."""
    peeled = {rest for _, rest in _peels(key)}
    return bool(
        _is_definite(key)
        or key in _ROLE_LINKS
        or any(p.startswith("ال") and len(p) > 3 for p in peeled)
        or peeled & (set(_org_heads()) | _roles())
    )


def _name_word_ok(tok: _Tok, position: int, after_link: bool) -> bool:
    """Whether a word can stand at this position of a person's name."""
    key = tok.key
    if not tok.raw.replace("\u0640", "").isalpha() or tok.raw.endswith(("اً", "ًا")):
        return False  # hashtags, digits, tanween (مرشداً): not a name
    if is_stopword(key) and key not in _NAME_LINKS:
        return False
    if position and any(
        n and (r in _gazetteer_firsts() or _freq(r) > _RARE) for n, r in _peels(key)
    ):
        return False  # بمكة، لدى: a clitic on a known word ends the name
    if position and key.startswith("لل"):
        return False  # سلمان للإغاثة: "for the …" ends the name
    if key in _roles() or key in _nationalities() or key in _org_heads() or key in _PLACE_HEADS:
        return False
    if position == 0:
        definite = key.startswith("ال") and not tok.raw.startswith(_HAMZA_ALEF)
        if definite or key in _NAME_LINKS - {"عبد", "ابو"}:
            return False
        if key in _first_names() or key in _NAME_LINKS:
            return True
        verb_like = key[0] in "يتن" and _freq(key) > 5e-7
        return _freq(key) < _RARE_NAME and not verb_like
    if after_link or key in _NAME_LINKS:
        return True
    if key.startswith("ال"):
        return _freq(key) < 3 * _RARE
    if position > 1 and key[0] in "يت" and key not in _first_names():
        return False  # ينقذ، تعلن: a verb after the name
    return position == 1 or _freq(key) < _RARE or key in _first_names()


def _person_hit(toks: list[_Tok], i: int) -> _Hit | None:
    """A name of 2-3 words (more with بن، عبد) after a role phrase."""
    if not _role_at(toks, i):
        return None
    start = _skip_role_complement(toks, i + 1)
    end = start
    while end < len(toks) and end - start < 5:
        if end > start and toks[end - 1].brk:
            break
        key = toks[end].key
        after_link = end > start and toks[end - 1].key in _NAME_LINKS
        if end > start and key[0] == "و" and not after_link:
            break  # ونظيره، وماكرون: a conjunction ends the name
        if not _name_word_ok(toks[end], end - start, after_link):
            break
        end += 1
    while end > start and toks[end - 1].key in _NAME_LINKS:
        end -= 1
    real = [t for t in toks[start:end] if t.key not in _NAME_LINKS]
    if len(real) < 2 or (end - start > 3 and len(real) > 3):
        return None
    return _Hit(PERSON, " ".join(t.raw for t in toks[start:end]), start, end)


# --- assembly -----------------------------------------------------------------------------


def _hits(toks: list[_Tok]) -> Iterator[_Hit]:
    """Every mention in a run of words, left to right; a person's name is nothing else."""
    i = 0
    name_span = range(0)
    # Only words that can start a mention need a look: jump from one to the next.
    for start in list(compress(range(len(toks)), map(_can_start, map(_KEY, toks)))):
        if start < i:
            continue
        i = start
        info = _info(toks[i].key)
        person = _person_hit(toks, i) if info.role else None
        if person:
            yield person
            name_span = range(person.start, person.end)
        if i in name_span or not (info.gazetteer or info.head or info.place_head):
            i += 1
            continue
        candidates = [h for h in (_gazetteer_hit(toks, i), _org_hit(toks, i)) if h]
        best = max(candidates, key=lambda h: h.end - h.start) if candidates else None
        best = best or _place_hit(toks, i)
        if best:
            yield best
            i = best.start + 1 if best.kind == PLACE and best.start > i else best.end
        else:
            i += 1


def _surname_mentions(toks: list[_Tok], surnames: dict[str, str]) -> Iterator[tuple[str, int]]:
    """(person key, word index) wherever a known surname stands alone, clitics allowed."""
    # Peeling only drops or changes a word's first letters, so a word that can be read as a
    # surname ends with all of it but its first letter: most words fail one endswith().
    tails = tuple(surname[1:] for surname in surnames)
    maybe = map(str.endswith, map(_KEY, toks), repeat(tails))
    for idx, tok in compress(enumerate(toks), maybe):
        for _, rest in _peels(tok.key):
            person = surnames.get(rest)
            if person:
                yield person, idx
                break


def _tally(tallies: dict[str, _Tally], key: str, name: str, pos: int, title: bool) -> None:
    """Count one mention of an entity."""
    entry = tallies.setdefault(key, _Tally(name, pos))
    entry.count += 1
    entry.in_title = entry.in_title or title


def _ranked(tallies: dict[str, _Tally]) -> list[str]:
    """Display names, the most mentioned (title counts double) first, then by first mention."""
    order = sorted(tallies.values(), key=lambda t: (-(t.count + 2 * t.in_title), t.first))
    return [t.display for t in order]


def _texts(title: str, paragraphs: Iterable[str]) -> Iterator[tuple[bool, list[_Tok]]]:
    """Tokenised title (flagged) and paragraphs."""
    if title.strip():
        yield True, _tokenise(title)
    for paragraph in paragraphs:
        toks = _tokenise(paragraph)
        if toks:
            yield False, toks


def extract_entities(title: str, paragraphs: list[str]) -> Entities:
    """Entities named in an article's title and body."""
    texts = list(_texts(title, paragraphs))
    found: dict[str, dict[str, _Tally]] = {PERSON: {}, PLACE: {}, ORGANISATION: {}}
    offset = 0
    for is_title, toks in texts:
        for hit in _hits(toks):
            name = _display(hit.name) if hit.kind != PERSON else hit.name
            _tally(found[hit.kind], entity_key(name), name, offset + hit.start, is_title)
        offset += len(toks)
    _count_surnames(texts, found[PERSON])
    return Entities(
        people=_ranked(found[PERSON]),
        places=_ranked(found[PLACE]),
        organisations=_ranked(found[ORGANISATION]),
    )


def _count_surnames(texts: list[tuple[bool, list[_Tok]]], people: dict[str, _Tally]) -> None:
    """Count people by their surname's occurrences (بوتين), full-name mentions included."""
    surnames = {key.split()[-1]: key for key in people if len(key.split()) > 1}
    surnames = {s: k for s, k in surnames.items() if not is_stopword(s) and len(s) > 2}
    if not surnames:
        return
    counts = dict.fromkeys(people, 0)
    for is_title, toks in texts:
        for person, _ in _surname_mentions(toks, surnames):
            counts[person] += 1
            people[person].in_title = people[person].in_title or is_title
    for key, count in counts.items():
        people[key].count = max(count, people[key].count)
