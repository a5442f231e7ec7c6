"""Recall and false-alarm rate of the identifier check on the development sets beside this file
(identifiers*.txt: each sentence holds an identifier; clean*.txt: none does).

    python benchmarks/deid/evaluate.py [--show]

An identifier sentence counts as caught when it has at least one finding; a clean sentence is a false alarm
when it has any. No pseudonyms or confirmed words are given: the check works on the sentence alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from boundary_journal.services.deidentify import scan_text

HERE = Path(__file__).parent


def sentences(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the misses and the false alarms")
    args = parser.parse_args()
    positives = [s for path in sorted(HERE.glob("identifiers*.txt")) for s in sentences(path.name)]
    negatives = [s for path in sorted(HERE.glob("clean*.txt")) for s in sentences(path.name)]
    started = time.perf_counter()
    missed = [s for s in positives if not scan_text(s, "s")]
    alarms = [(s, scan_text(s, "s")) for s in negatives]
    alarms = [(s, f) for s, f in alarms if f]
    elapsed = time.perf_counter() - started
    if args.show:
        for sentence in missed:
            print(f"MISSED  {sentence}")
        for sentence, found in alarms:
            print(f"ALARM   {sentence}  -> {[(f.kind, f.text) for f in found]}")
    recall = 1 - len(missed) / len(positives)
    false_alarms = len(alarms) / len(negatives)
    print(f"recall {recall:.1%} ({len(positives) - len(missed)}/{len(positives)}), "
          f"false alarms {false_alarms:.1%} ({len(alarms)}/{len(negatives)}), "
          f"{elapsed / (len(positives) + len(negatives)) * 1000:.2f} ms a sentence")


if __name__ == "__main__":
    main()
