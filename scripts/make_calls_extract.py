"""Make the committed extract of EU funding topics used by the demo and the tests.

    .venv/bin/python scripts/make_calls_extract.py ../shared/data/calls/eu_topics_2026-08.jsonl.gz \
        data/extracts/eu-topics-extract.jsonl.gz

Keeps a spread of topics: Horizon Europe by type of action (QUOTAS), one topic of each other
programme, each picked evenly over the topic-id order; descriptions cut to 3,000 characters.
"""

import gzip
import json
import sys
from collections import defaultdict

QUOTAS = {"RIA": 8, "IA": 7, "CSA": 5, "Grant": 3, "MSCA": 2}
KEPT_FIELDS = (
    "topicId", "title", "programme", "callIdentifier", "callTitle", "actionType", "typesOfAction",
    "deadline", "deadlineModel", "callStatus", "budgetMin", "budgetMax", "expectedGrants",
    "keywords", "description", "topicConditions", "portalUrl",
)  # fmt: skip


def main(source: str, target: str) -> None:
    with gzip.open(source, "rt", encoding="utf-8") as stream:
        topics = sorted((json.loads(line) for line in stream), key=lambda t: t["topicId"])
    groups = defaultdict(list)
    for topic in topics:
        if topic.get("programme") == "Horizon Europe":
            groups["Horizon Europe", topic.get("actionType")].append(topic)
        else:
            groups[topic.get("programme"), ""].append(topic)
    chosen = []
    for (programme, action_type), members in sorted(groups.items()):
        quota = QUOTAS.get(action_type, 0) if programme == "Horizon Europe" else 1
        step = len(members) / quota if quota else 0
        chosen += [members[int(i * step)] for i in range(min(quota, len(members)))]
    kept = []
    for topic in sorted(chosen, key=lambda t: t["topicId"]):
        row = {k: topic.get(k) for k in KEPT_FIELDS}
        row["description"] = (row["description"] or "")[:3000]
        row["topicConditions"] = (row["topicConditions"] or "")[:1500]
        kept.append(row)
    with gzip.GzipFile(target, "wb", mtime=0) as raw:
        raw.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept).encode())
    print(f"{len(kept)} topics written to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
