"""Checks links.json against the two gold files and the two truth texts, and
shows how a bag-of-words matcher ranks the 2019 records for each commitment.

    python3 check_links.py [--bow]

Checks: every `from` is a 2018 gold goal phrase or activity `contains`, the
list covers every 2018 goal and every planned/ongoing 2018 activity exactly
once, every `to.contains` is a 2019 gold goal phrase or activity `contains`
that occurs exactly once in truth/resultatrapport-2019.txt, goal links go to
goals and activity links to activities, and every `to_status` is the 2019
gold status (null for goals).
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

PAIR = Path(__file__).resolve().parent.parent
# ../shared/corpus beside the project root (tests/data/follow is three levels below it).
SHARED = PAIR.parent.parent.parent.parent / "shared" / "corpus"


def norm(t):
    t = unicodedata.normalize("NFC", t).replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", t).strip().lower()


def records(gold, truth):
    """(kind, key, sentence) for every gold goal and activity; the sentence is
    the stretch of the truth between sentence ends (or ';' for goals)."""
    text = norm(truth)
    out = []
    for kind, keys in (("goal", gold["goals"]), ("activity", [a["contains"] for a in gold["activities"]])):
        for k in keys:
            nk = norm(k)
            assert text.count(nk) == 1, (kind, k, text.count(nk))
            i = text.index(nk)
            ends = r"[.!?:]\s|\n|•" + (r"|;" if kind == "goal" else "")
            starts = [m.end() for m in re.finditer(ends, text[:i])]
            s = starts[-1] if starts else 0
            m = re.search(ends, text[i + len(nk):])
            e = i + len(nk) + (m.start() if m else len(text))
            out.append((kind, k, text[s:e].strip()))
    return out


def main():
    g18 = json.loads((SHARED / "gold" / "resultatrapport-2018.json").read_text())
    g19 = json.loads((PAIR / "gold" / "resultatrapport-2019.json").read_text())
    t18 = (SHARED / "truth" / "resultatrapport-2018.txt").read_text()
    t19 = (PAIR / "truth" / "resultatrapport-2019.txt").read_text()
    links = json.loads((PAIR / "links.json").read_text())
    r18, r19 = records(g18, t18), records(g19, t19)
    status19 = {a["contains"]: a["status"] for a in g19["activities"]}
    kind19 = {k: kind for kind, k, _ in r19}

    expected = [("goal", g, None) for g in g18["goals"]] + [
        ("activity", a["contains"], a["status"]) for a in g18["activities"] if a["status"] in ("planned", "ongoing")]
    got = [(c["kind"], c["from"], c["from_status"]) for c in links["commitments"]]
    assert sorted(got) == sorted(expected), set(got) ^ set(expected)
    for c in links["commitments"]:
        for t in c["to"]:
            assert t["contains"] in kind19, t
            assert kind19[t["contains"]] == c["kind"], (c["from"], t)
            assert t["to_status"] == status19.get(t["contains"]), (c["from"], t)
        assert len({t["contains"] for t in c["to"]}) == len(c["to"]), c["from"]
    # no gold key of 2019 lies inside another's sentence
    sents = [s for _, _, s in r19]
    for kind, k, s in r19:
        hits = [s2 for s2 in sents if norm(k) in s2]
        assert len(hits) == 1 or all(h == s for h in hits), k
    targets = {t["contains"] for c in links["commitments"] for t in c["to"]}
    c = links["commitments"]
    print(f"ok: {len(c)} commitments, {sum(1 for x in c if x['to'])} linked, "
          f"{sum(1 for x in c if not x['to'])} unlinked, {sum(len(x['to']) for x in c)} links, "
          f"{len(r19) - len(targets)} of {len(r19)} 2019 records are no commitment's target")

    if "--bow" in sys.argv:
        stop = set("och i att en ett av för på som med till om de den det har är under sin sina var även "
                   "också samt från kan ska inom hur nu denna dessutom".split())
        words = lambda s: {w for w in re.findall(r"\w+", s) if w not in stop and not w.isdigit()}
        s18 = {k: s for _, k, s in r18}
        for cm in c:
            a = words(s18[cm["from"]])
            cands = [(len(a & words(s)) / len(a | words(s)), k) for kind, k, s in r19 if kind == cm["kind"]]
            cands.sort(reverse=True)
            gold_to = {t["contains"] for t in cm["to"]}
            ranks = [i + 1 for i, (_, k) in enumerate(cands) if k in gold_to]
            top = cands[0]
            flag = "" if (not gold_to and top[0] < 0.1) or (ranks and ranks[0] == 1) else "  <- fooled"
            print(f"{cm['from'][:48]:48} gold ranks {ranks or '-'}; top {top[0]:.2f} {top[1][:50]}{flag}")


main()
