"""Repository-level tasks: suite size, validation time and pass rate, static analysis, CWEval.

Usage::

    PYTHONPATH=src python benchmarks/bench_repo.py            # built-in suite + static
    PYTHONPATH=src python benchmarks/bench_repo.py --cweval   # also CWEval C/C++/JS/Go references

Prints plain numbers; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from seccal.core.findings import DEFAULT_MIN_SEVERITY, static_label
from seccal.judge.analyzers import create_analyzers
from seccal.judge.config import JudgeConfig
from seccal.repo.judge import validate_task
from seccal.repo.loader import load_builtin_suite
from seccal.repo.static import analyze_regions


def bench_suite() -> None:
    tasks = load_builtin_suite()
    sizes = Counter(t.language for t in tasks)
    print("suite size:", dict(sorted(sizes.items())), "total", len(tasks))
    status: dict[str, Counter[str]] = defaultdict(Counter)
    seconds: dict[str, float] = defaultdict(float)
    start = time.monotonic()
    for t in tasks:
        v = validate_task(t)
        status[t.language][v.status] += 1
        seconds[t.language] += v.seconds
    total = time.monotonic() - start
    ok = sum(c["ok"] for c in status.values())
    print(f"validation: {ok}/{len(tasks)} ok in {total:.1f}s")
    for lang in sorted(status):
        print(f"  {lang:11s} {dict(status[lang])} {seconds[lang]:.1f}s")

    items = [(t, t.fixed_region) for t in tasks] + [(t, t.vulnerable_region) for t in tasks]
    start = time.monotonic()
    report = analyze_regions(items, create_analyzers(JudgeConfig()))
    found = [report.findings[str(i)] for i in range(len(items))]
    took = time.monotonic() - start
    n = len(tasks)
    fixed_clean = sum(1 for f in found[:n] if not f)
    vuln_any = sum(1 for f in found[n:] if f)
    vuln_cwe = sum(
        1
        for t, f in zip(tasks, found[n:], strict=True)
        if static_label(f, t.cwes, DEFAULT_MIN_SEVERITY) == "vulnerable"
    )
    print(
        f"static analysis of {len(items)} regions in one batch: {took:.1f}s "
        f"({len(items) / took:.1f} regions/s)"
    )
    print(f"  fixed references without findings: {fixed_clean}/{n}")
    print(f"  vulnerable references flagged: any {vuln_any}/{n}, task CWE {vuln_cwe}/{n}")


def bench_cweval() -> None:
    from seccal.repo.cweval import LANGUAGES, CwevalJudge, load_cweval

    judge = CwevalJudge()
    for lang in LANGUAGES:
        tasks = load_cweval(languages=(lang,))
        start = time.monotonic()
        c: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        for t in tasks:
            problem = judge.task_problem(t)
            if problem:
                c["cannot"] += 1
                reasons[problem] += 1
                continue
            s = judge.judge(t, t.secure_source)
            u = judge.judge(t, t.unsafe_source)
            c["secure_ok"] += s.functional == "pass" and s.security["dynamic"] == "secure"
            c["unsafe_vuln"] += u.security["dynamic"] == "vulnerable"
        run = len(tasks) - c["cannot"]
        print(
            f"cweval {lang}: {len(tasks)} tasks, {run} run here, secure reference ok "
            f"{c['secure_ok']}/{run}, unsafe detected {c['unsafe_vuln']}/{run}, "
            f"{time.monotonic() - start:.0f}s"
        )
        for reason, k in reasons.most_common():
            print(f"    cannot run ({k}): {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cweval", action="store_true", help="also run CWEval references")
    args = parser.parse_args()
    bench_suite()
    if args.cweval:
        bench_cweval()


if __name__ == "__main__":
    main()
