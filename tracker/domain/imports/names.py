"""Programme names and references as returns spell them: keys for matching, near-matches, code prefixes.

Names drift between a return and the next ("Crossrail" becomes "Crossrail Programme", "&" becomes
"and", a year is added), so an exact key matches and a loose key only suggests: a near-match is
shown to a person to confirm, never merged on its own.
"""

from __future__ import annotations

import re

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_YEAR = re.compile(r"(19|20)\d\d(\d\d)?")
_GENERIC = frozenset({"programme", "programmes", "program", "project", "projects", "the"})
_SMALL = frozenset({"and", "of", "the", "for", "in", "on", "to", "a"})
_LETTERS = re.compile(r"[A-Za-z]+")
FALLBACK_PREFIX = "IMP"


def name_key(name: str) -> str:
    """The same name whatever its case and spacing: `  WASTE  app ` is `waste app`."""
    return " ".join(name.casefold().split())


def loose_key(name: str) -> str:
    """What is left of a name without case, punctuation, brackets, `&`, a trailing year or 'programme'.

    Two names with the same loose key but different exact keys are a near-match, for a person to confirm.
    """
    text = _BRACKETED.sub(" ", name.casefold().replace("&", " and "))
    words = _NOT_WORD.sub(" ", text).split()
    while words and (words[-1] in _GENERIC or _YEAR.fullmatch(words[-1])):
        words.pop()
    while words and words[0] in _GENERIC:
        words.pop(0)
    return " ".join(words)


def code_prefix(*sources: str) -> str:
    """A code prefix of 2 to 6 capitals from the first source that gives one (a directorate, then a file).

    An acronym or short word is kept (`MOD`, `DfT`, `Place`), a long word gives its first three
    letters (`Resources` is RES) and several words their initials (`Agriculture and Agri-Food` is AAF).
    """
    for source in sources:
        words = _LETTERS.findall(source)
        if len(words) > 1:
            initials = "".join(word[0] for word in words if word.casefold() not in _SMALL).upper()
            if len(initials) >= 2:
                return initials[:6]
        if words and len(words[0]) >= 2:
            word = words[0].upper()
            return word if len(word) <= 6 else word[:3]
    return FALLBACK_PREFIX
