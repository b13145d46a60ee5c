#!/usr/bin/env python3
"""Writes the compound splitter's lexicon from hunspell-sv's sv_SE.dic and sv_SE.aff.

Usage: make-lexicon.py DIR, where DIR holds sv_SE.dic and sv_SE.aff
(Debian: `apt-get download hunspell-sv && dpkg-deb -x hunspell-sv_*.deb x`, DIR = x/usr/share/hunspell).
Writes sv_SE.dic and sv_SE.aff here.

sv_SE.dic keeps every entry written in lower-case letters only (no names, abbreviations, hyphenated
or multi-word entries), with its flags, and drops forbidden ones (flag %). sv_SE.aff keeps the suffix
rules (SFX), the only part of the affix file the splitter reads.
"""
import re
import sys
from pathlib import Path

source = Path(sys.argv[1])
here = Path(__file__).parent
WORD = re.compile(r"^[a-zåäöéèüæø]+$")

entries = []
with open(source / "sv_SE.dic", encoding="utf-8") as dic:
    next(dic)  # the entry count
    for line in dic:
        word, _, flags = line.strip().partition("/")
        if WORD.match(word) and "%" not in flags:
            entries.append(word + ("/" + flags if flags else ""))
(here / "sv_SE.dic").write_text("\n".join(sorted(set(entries))) + "\n", encoding="utf-8")

rules = [l.rstrip("\n") for l in open(source / "sv_SE.aff", encoding="utf-8") if l.startswith("SFX")]
(here / "sv_SE.aff").write_text("\n".join(rules) + "\n", encoding="utf-8")
