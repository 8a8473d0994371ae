from pathlib import Path

import pytest
from repo_fixtures import write_tiny_repo

from seccal.repo.bm25 import BM25, tokenize
from seccal.repo.context import approx_tokens, build_prompt, select_context
from seccal.repo.loader import load_builtin_suite, load_repo_task


def test_tokenize_splits_identifiers() -> None:
    assert tokenize("readFileSync read_file HTTPServer x2") == [
        "read",
        "file",
        "sync",
        "read",
        "file",
        "http",
        "server",
        "x",
        "2",
    ]


def test_bm25_ranks_rare_matching_term_first() -> None:
    docs = [tokenize(t) for t in ("open file read", "sanitize path join", "open socket read")]
    scores = BM25(docs).scores(tokenize("sanitize the path"))
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0


def test_bm25_prefers_shorter_doc_with_same_tf() -> None:
    docs = [["path"] + ["x"] * 50, ["path", "y"]]
    s = BM25(docs).scores(["path"])
    assert s[1] > s[0]


def test_bm25_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="k1"):
        BM25([["a"]], b=2.0)


def test_bm25_context_respects_budget_and_excludes_target(tmp_path: Path) -> None:
    d = write_tiny_repo(tmp_path, mode="bm25", files="[]", budget=20)
    task = load_repo_task(d)
    snippets = select_context(task)
    assert sum(approx_tokens(s.text) for s in snippets) <= 20
    assert all(s.path != task.target for s in snippets)
    assert [s.path for s in snippets] == ["lib/guard.py"]
    assert snippets[0].score is not None and snippets[0].score > 0


def test_prompt_records_context_and_hides_tests() -> None:
    for task in load_builtin_suite():
        prompt = build_prompt(task)
        assert "<MASKED REGION" in prompt.text
        assert task.fixed_region.strip() not in prompt.text
        for test_text in task.test_files.values():
            if len(test_text.strip()) > 40:
                assert test_text.strip() not in prompt.text, task.id
        rec = prompt.record()
        assert rec["mode"] == task.context.mode
        if task.context.mode == "bm25":
            used = sum(approx_tokens(s.text) for s in prompt.context)
            assert used <= task.context.token_budget
            # The helper whose use decides safety must be retrieved.
            dep = task.safety_depends_on.split(":")[0]
            assert dep in {s.path for s in prompt.context}, task.id
