"""Snapshot every code signal of a fixed corpus, or compare with a snapshot: for speeding up
`diagnosis/core/code_signals.py` without changing a single feature a model was trained on.

The corpus: the synthetic generator's programs (seed 11; 400 learners give 7,537 attempts in
Python, C++, Java and JavaScript, bugs and look-alikes included), the benchmark's 100-line
program, and junk inputs in every language. Each program's whole `CodeSignals` (findings,
counts, risks, profile) is compared, not a summary. The timing printed is the whole corpus's
extraction, a rough before/after figure (use bench/diagnose.py for the decision path).

    .venv/bin/python bench/code_signals_snapshot.py --save /tmp/signals.json   # before
    .venv/bin/python bench/code_signals_snapshot.py --compare /tmp/signals.json  # after
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path

from common import ROOT  # noqa: F401  (puts the project on sys.path)
from diagnose import hundred_line_program

JUNK = ("", "((((", "def f(:\n  pass", "x = '''", "\x00\x01", "for(;;){", "}}}}")
LANGUAGES = ("python", "cpp", "java", "javascript")


def corpus(learners: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
    from training.core.synthetic import generate

    data = generate(learners=learners, seed=11)
    tags = {problem.external_id: tuple(problem.tags) for problem in data.problems}
    items = [(a.code, a.language, a.verdict, tags.get(a.problem_id, ())) for a in data.attempts]
    items.append((hundred_line_program(), "python", "wrong_answer", ("arrays",)))
    items += [(junk, lang, "wrong_answer", ("math",)) for junk in JUNK for lang in LANGUAGES]
    items += [("if a < b and b <= c: pass\n" * 50, lang, "wrong_answer", ()) for lang in LANGUAGES]
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the snapshot here")
    action.add_argument("--compare", type=Path, help="compare with this snapshot")
    parser.add_argument("--learners", type=int, default=400)
    args = parser.parse_args()

    from diagnosis.core.code_signals import extract_code_signals

    items = corpus(args.learners)
    started = time.perf_counter()
    signals = [
        asdict(extract_code_signals(code=code, language=lang, verdict=verdict, problem_tags=tags))
        for code, lang, verdict, tags in items
    ]
    seconds = time.perf_counter() - started
    blob = json.dumps(signals, sort_keys=True, default=str)
    digest = hashlib.sha256(blob.encode()).hexdigest()[:16]
    print(f"{len(items)} programs in {seconds:.2f} s, sha256 {digest}")
    if args.save:
        args.save.write_text(blob)
        return
    before = json.loads(args.compare.read_text())
    after = json.loads(blob)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    print(f"{len(differing)} programs differ" + (f", first: {differing[:10]}" if differing else ""))
    if differing:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
