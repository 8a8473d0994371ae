import math

from seccal.core.config import parse_study
from seccal.core.task import Task
from seccal.models import FinishReason, GenerationResponse, TokenLogprob, TopLogprob
from seccal.models.response import ErrorInfo, ErrorKind
from seccal.study.elicit_stage import plan_elicitations
from seccal.study.generate import code_logprobs, generation_request, to_record
from seccal.study.plan import PlannedGeneration
from seccal.study.store import GenerationRecord

PROMPT = 'def add(a, b):\n    """Add."""\n'
TASK = Task(
    id="add",
    suite="s",
    language="python",
    cwes=("CWE-20",),
    prompt=PROMPT,
    module_name="solution.py",
)


def _config(form: str, **elicit: object):  # type: ignore[no-untyped-def]
    return parse_study(
        {
            "study": {"name": "x", "temperatures": [0.5]},
            "models": [{"name": "m", "provider": "llamacpp", "model": "g", "form": form}],
            "suites": [{"name": "s"}],
            "elicit": elicit,
        }
    )


def _item(form: str) -> PlannedGeneration:
    return PlannedGeneration("g1", _config(form).models[0], 0.5, "s", TASK, 0)


def test_completion_request_continues_the_prompt_and_stops_at_top_level() -> None:
    req = generation_request(_item("completion"), _config("completion"), logprobs=True)
    assert req.prompt == PROMPT and req.logprobs and "\ndef " in req.stop
    chat = generation_request(_item("chat"), _config("chat"), logprobs=False)
    assert chat.prompt is None and PROMPT.strip() in chat.messages[-1].content


def test_sequence_likelihood_uses_only_the_code_tokens() -> None:
    tokens = (
        TokenLogprob("    return", math.log(0.5)),
        TokenLogprob(" a + b", math.log(0.5)),
        TokenLogprob("\n\n\nprint", math.log(0.01)),
    )
    response = GenerationResponse(text="    return a + b\n\n\nprint(add(1, 2))", logprobs=tokens)
    rec = to_record(_item("completion"), response)
    assert rec.code == PROMPT + "    return a + b\n"
    assert rec.seq_logprob is not None and math.isclose(rec.seq_logprob, math.log(0.5))
    assert rec.n_tokens == 2
    assert code_logprobs("abc", tokens, None) == [t.logprob for t in tokens]


def test_failed_generation_records_the_cause_without_code() -> None:
    err = ErrorInfo(ErrorKind.BAD_REQUEST, "context too long", 400)
    rec = to_record(_item("chat"), GenerationResponse.failure(err))
    assert rec.code is None and rec.error == "bad_request: context too long"
    assert rec.finish_reason == str(FinishReason.ERROR)


def _gen(code: str | None, seq: float | None = None) -> GenerationRecord:
    return GenerationRecord(
        "g1", "m", "llamacpp", "g", 0.5, 0, "s", "s/add", code=code, seq_logprob=seq
    )


def test_elicitation_plan_shapes() -> None:
    config = _config("completion", targets=["security", "joint"], consistency_samples=4)
    asked: list[str] = []

    def support(name: str) -> int:
        asked.append(name)
        return 5

    plan = plan_elicitations(
        [_gen(PROMPT + "    return a + b\n", -0.1)], {"s/add": TASK}, config, support
    )
    by_method = {c.method: c for c in plan.calls}
    # A base model answers one number per prompt: the joint question is two prompts.
    assert len(by_method["verbal_joint"].requests) == 2
    assert len(by_method["consistency"].requests) == 4
    assert [r.sample_index for r in by_method["consistency"].requests] == [0, 1, 2, 3]
    ptrue = by_method["ptrue"].requests[0]
    assert ptrue.max_tokens == 1 and ptrue.top_logprobs == 5
    assert [(r.method, r.value) for r in plan.direct] == [("likelihood", math.exp(-0.1))]
    assert set(asked) == {"m"}
    # Reading the answers: the first non-empty line of a base model's reply.
    answers = [GenerationResponse(text="\n 30%\n"), GenerationResponse(text="# 0.9")]
    records = by_method["verbal_joint"].finish(answers)
    assert [(r.target, r.value) for r in records] == [("security", 0.3), ("functional", 0.9)]
    top = (
        TokenLogprob(
            " Yes",
            math.log(0.6),
            (TopLogprob(" Yes", math.log(0.6)), TopLogprob(" No", math.log(0.2))),
        ),
    )
    (p,) = by_method["ptrue"].finish([GenerationResponse(text=" Yes", logprobs=top)])
    assert math.isclose(p.value or 0, 0.75)


def test_no_code_and_no_logprobs_are_unknown_without_calls() -> None:
    config = _config("completion")
    plan = plan_elicitations([_gen(None)], {"s/add": TASK}, config, lambda name: 0)
    assert plan.calls == []
    assert all(r.value is None and r.reason for r in plan.direct)
    with_code = plan_elicitations([_gen("x = 1\n")], {"s/add": TASK}, config, lambda name: 0)
    ptrue = [r for r in with_code.direct if r.method == "ptrue"]
    assert ptrue and ptrue[0].reason == "provider returned no log-probs"


def test_finished_elicitations_are_skipped_without_asking_the_provider() -> None:
    config = _config("completion", methods=["ptrue"])

    def support(name: str) -> int:
        raise AssertionError("provider created although nothing is left to do")

    plan = plan_elicitations(
        [_gen("x = 1\n")],
        {"s/add": TASK},
        config,
        support,
        {("g1", "ptrue", "default", "security")},
    )
    assert plan.done == 1 and plan.calls == [] and plan.direct == []


def test_repository_task_keeps_only_the_masked_region() -> None:
    from seccal.tasks.registry import load_suite

    repo_task = next(t for t in load_suite("repo") if t.language == "c")
    item = PlannedGeneration("g1", _config("chat").models[0], 0.5, "repo", repo_task, 0)
    reply = "Here is the region:\n```c\n    size_t n = strlen(name);\n```\nIt is bounded."
    rec = to_record(item, GenerationResponse(text=reply))
    assert rec.code == "    size_t n = strlen(name);\n"
    assert rec.extraction == "fenced"
    empty = to_record(item, GenerationResponse(text="   "))
    assert empty.code is None and "no code" in (empty.extraction_note or "")


def test_elicitation_killed_between_targets_still_asks_the_other() -> None:
    # Verbal security and functional confidence are two calls under one method and
    # variant: with only the security one stored, the functional one is still owed.
    config = _config("chat", methods=["verbal"], targets=["security", "functional"])
    gen = _gen(PROMPT + "    return a + b\n")
    done = {("g1", "verbal", "zero_shot", "security")}
    plan = plan_elicitations([gen], {"s/add": TASK}, config, lambda _: 0, done)
    assert [(c.method, c.variant) for c in plan.calls] == [("verbal", "zero_shot")]
    assert plan.done == 1
    full = done | {("g1", "verbal", "zero_shot", "functional")}
    assert plan_elicitations([gen], {"s/add": TASK}, config, lambda _: 0, full).calls == []
