"""The ``claim_not_in_body`` check: what the headline says that the body never does.

Names (a run of capitalised words, an acronym), the actor a claim is pinned on
("Kremlin official confirms"), or most of the headline's content words, absent
from the body. The sentence quoted, with role "missing", is the closest the body
comes to the headline.
"""

from __future__ import annotations

import re

import numpy as np

from model.body.features import BodyDoc, HeadlineDoc
from model.body.rules import Finding
from model.body.text import STOP_WORDS, SUPPORT, stem, straighten_punctuation, words

# Words for whoever a claim is pinned on that name no one in particular.
_GENERIC_ACTORS = frozenset(
    "official officials source sources report reports expert experts people "
    "man woman study studies scientist scientists police insider insiders "
    "spokesman spokeswoman spokesperson government video photo new top senior "
    "former chief head leader leaders".split()
)
# A name is in the body when a body word shares its first letters: "Russian"
# with "Russia", "Kremlin's" with "Kremlin".
NAME_PREFIX = 5
_ATTRIBUTION = re.compile(
    r"((?:[\w'-]+\s+){0,2}[\w'-]+)\s+(?:confirms|confirmed|admits|admitted|reveals|"
    r"revealed|announces|announced|says|said|claims|claimed|warns|denies|insists)\b",
    re.IGNORECASE,
)
_CASED = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")


def is_title_case(text: str) -> bool:
    """Whether most words are capitalised, so that capitals do not mark names."""
    letters = [w for w in _CASED.findall(text) if w[0].isalpha()]
    return sum(w[0].isupper() for w in letters) >= 0.7 * max(len(letters), 1)


def headline_names(headline: str) -> list[list[str]]:
    """Capitalised runs of words that name someone or something.

    An acronym ("NATO") anywhere; in a sentence-case headline also a run of two
    or more capitalised words ("Tim Cook") and a capitalised word that does not
    open the headline, a clause or a quotation.
    """
    text = straighten_punctuation(headline)
    # A short kicker ("Breaking:", "NET Extra:") and asides in brackets
    # ("(GRAPHIC PICTURES)") are no part of the claim.
    kicker = re.match(r"^\W*(?:\S+\s+){0,2}\S+:\s", text)
    if kicker:
        text = " " * kicker.end() + text[kicker.end() :]
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", lambda m: " " * len(m.group()), text)
    tokens = list(_CASED.finditer(text))
    title_case = is_title_case(text)
    runs: list[list[re.Match]] = []
    previous_end = None
    for m in tokens:
        word = m.group()
        if not word[0].isupper() or word.lower() in STOP_WORDS:
            previous_end = None
            continue
        if previous_end is not None and not text[previous_end : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
        previous_end = m.end()
    names = []
    for run in runs:
        parts = [m.group() for m in run]
        # Not the first word of the headline, of a clause or of a quotation.
        before = text[: run[0].start()].rstrip()
        mid_sentence = (
            not title_case and before != "" and before[-1] not in "\"'([:;?!.-"
        )
        # In Title Case every word is capitalised: only acronyms stand out.
        shouted = all(p.isupper() for p in parts)
        if len(parts) >= 2 and not shouted and not title_case:
            names.append(parts)
        elif len(parts) == 1 and mid_sentence:
            names.append(parts)
        elif not shouted or len(parts) == 1:
            names.extend([p] for p in parts if p.isupper() and len(p) >= 2)
    return names


def _absent(parts: list[str], b: BodyDoc) -> bool:
    return not any(_present(p.lower(), b) for p in parts)


def _present(word: str, b: BodyDoc) -> bool:
    if stem(word) in b.stems or word in b.words:
        return True
    if len(word) < NAME_PREFIX + 1 or not word.isalpha():
        return False
    prefix = word[:NAME_PREFIX]
    return any(w.startswith(prefix) for w in b.words)


def missing_names(headline: str, b: BodyDoc) -> list[str]:
    """The headline's names that the body never mentions.

    A one-word name is missing when absent; in a longer run ("Apple CEO Tim
    Cook") two or more absent words in a row are ("Tim Cook"), while one absent
    word is not, as a body may call "Steve Jobs" just "Jobs".
    """
    missing = []
    for parts in headline_names(headline):
        if len(parts) == 1:
            if _absent(parts, b):
                missing.append(parts[0])
            continue
        run: list[str] = []
        for part in [*parts, None]:
            if part is not None and _absent([part], b):
                run.append(part)
                continue
            if len(run) >= 2:
                missing.append(" ".join(run))
            run = []
    return missing


def claim_not_in_body(
    h: HeadlineDoc, b: BodyDoc, similarity: np.ndarray, related: bool
) -> list[Finding]:
    if not b.sentences or not related:  # body_unrelated says it all
        return []
    missing = missing_names(h.text, b)
    actors = []
    for match in _ATTRIBUTION.finditer(straighten_punctuation(h.text)):
        # Whoever the claim is pinned on: the words before the verb, at least
        # one of them capitalised ("Kremlin official", "Russian spy chief"),
        # two in a Title Case headline. It is absent when most of its specific
        # words are ("spy" for a body that names only "Russia").
        said = [
            w
            for w in _CASED.findall(match.group(1))
            if w.lower() not in STOP_WORDS and w.lower() not in SUPPORT
        ]
        # From its first capitalised word: "build-up as Kremlin denies" pins
        # the denial on the Kremlin.
        first = next((k for k, w in enumerate(said) if w[0].isupper()), len(said))
        said = said[first:]
        cased = [w for w in said if w[0].isupper()]
        specific = [w for w in said if w.lower() not in _GENERIC_ACTORS]
        enough = len(cased) >= (2 if is_title_case(h.text) else 1) and specific
        named = any(name in match.group(1) for name in missing)
        absent = [w for w in specific if _absent([w], b)]
        if enough and not named and 2 * len(absent) >= len(specific):
            actors.append(" ".join(said))
    absent_words = sorted(
        {w for w in words(h.text) if w not in STOP_WORDS and stem(w) not in b.stems}
    )
    mostly_absent = len(absent_words) >= 3 and (
        len(absent_words) >= 0.6 * max(len(h.content), 1)
    )
    if not (missing or actors or mostly_absent):
        return []
    parts = []
    if missing:
        parts.append(
            "the headline names "
            + ", ".join(f'"{n}"' for n in missing)
            + ", not mentioned in the article"
        )
    if actors:
        parts.append(
            "it pins its claim on "
            + ", ".join(f'"{a}"' for a in actors)
            + ", who does not appear in the article"
        )
    if mostly_absent and not (missing or actors):
        parts.append(
            "words the headline rests on are not in the article: "
            + ", ".join(f'"{w}"' for w in absent_words[:6])
        )
    message = "; ".join(parts)
    # What the body says instead: its sentences closest to the headline.
    closest = [
        int(i) for i in np.argsort(-similarity, kind="stable")[:3] if similarity[i] > 0
    ]
    # Whom the claim is pinned on is the claim's source; a missing name may be
    # one the body spells otherwise ("Islamic State" for "ISIS").
    if actors:
        evidence = "missing_actor"
    elif missing:
        evidence = "missing_name"
    else:
        evidence = "missing_words"
    return [
        Finding(
            "claim_not_in_body",
            message[0].upper()
            + message[1:]
            + ("; what it says instead" if closest else ""),
            tuple(b.sentences[i] for i in closest),
            "missing" if closest else None,
            evidence,
        )
    ]
