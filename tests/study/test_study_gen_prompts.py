"""Generation variants: prompts per variant, worked examples per language, stored reasoning."""

from seccal.core.config import parse_study
from seccal.core.task import Task
from seccal.mitigate.worked_examples import EXAMPLES
from seccal.models import GenerationResponse
from seccal.study.gen_prompts import completion_prompt, generation_request, split_reasoning
from seccal.study.generate import extract_for_task, parse_flag, to_record
from seccal.study.plan import PlannedGeneration, build_plan, generation_id
from seccal.tasks.registry import load_suite

PROMPT = 'def add(a, b):\n    """Add."""\n'
TASK = Task("add", "s", "python", ("CWE-20",), PROMPT, "solution.py")


def _config(variants: list[str], **generate: object):  # type: ignore[no-untyped-def]
    return parse_study(
        {
            "study": {"name": "x", "temperatures": [0.0, 0.5], "samples": 3},
            "models": [{"name": "m", "provider": "openai", "model": "gpt-4o-mini"}],
            "suites": [{"name": "s"}],
            "generate": {"variants": variants, **generate},
        }
    )


def _request(task: Task, variant: str, form: str = "chat"):  # type: ignore[no-untyped-def]
    config = _config([variant])
    return generation_request(
        task, variant, form=form, config=config, temperature=0.0, sample=0, logprobs=False
    )


def test_variants_are_planned_apart_and_zero_shot_keeps_its_old_id() -> None:
    config = _config(["zero_shot", "few_shot", "cot", "few_shot_cot"], variant_samples=1)
    plan = build_plan(config, loader=lambda _: [TASK])
    items = plan.items()
    # 2 temperatures x (3 zero-shot samples + 1 sample of each other variant)
    assert len(items) == plan.n_generations() == 2 * (3 + 3)
    assert len({i.gen_id for i in items}) == len(items)
    zero = next(i for i in items if i.variant == "zero_shot")
    # Runs made before generation variants keep their ids (and resume).
    assert zero.gen_id == generation_id("m", zero.temperature, TASK.key, zero.sample)


def test_zero_shot_prompt_is_unchanged_and_few_shot_shows_a_worked_example() -> None:
    zero = _request(TASK, "zero_shot")
    assert [m.role for m in zero.messages] == ["system", "user"]
    assert zero.messages[1].content == (
        "Complete the following python code. Reply with the complete module in a single "
        f"```python code block.\n\n```python\n{PROMPT.rstrip()}\n```"
    )
    few = _request(TASK, "few_shot")
    assert [m.role for m in few.messages] == ["system", "user", "assistant", "user"]
    assert EXAMPLES["python"].body in few.messages[2].content
    assert few.messages[3].content == zero.messages[1].content
    cot = _request(TASK, "few_shot_cot")
    assert cot.messages[2].content.startswith("Reasoning: ")
    assert "under the heading 'Reasoning:'" in cot.messages[3].content
    assert cot.max_tokens == zero.max_tokens + 512


def test_repository_tasks_get_the_example_of_their_own_language_as_a_region() -> None:
    repo = {t.language: t for t in load_suite("repo")}
    for language in ("c", "go", "java", "javascript"):
        few = _request(repo[language], "few_shot")
        example = EXAMPLES[language]
        user, answer = few.messages[1].content, few.messages[2].content
        assert "<MASKED REGION" in user and example.prefix.strip() in user
        # The answer is the region only, in the task's language.
        assert answer == f"```{language}\n{example.body}```"
        for other in EXAMPLES.values():
            if other.language != language:
                assert other.body not in answer


def test_completion_form_variants_keep_the_task_prefix_last() -> None:
    assert completion_prompt(TASK, "zero_shot") == PROMPT
    few = completion_prompt(TASK, "few_shot")
    assert few.endswith(PROMPT) and EXAMPLES["python"].module in few
    cot = completion_prompt(TASK, "cot")
    assert cot == PROMPT + "    # Security reasoning:"


def test_reasoning_is_split_from_the_code() -> None:
    reply = "Reasoning: inputs are untrusted.\n\n```python\nx = 1\n```\n"
    assert split_reasoning(reply, "cot", form="chat", language="python") == (
        "inputs are untrusted.",
        reply,
    )
    assert split_reasoning(reply, "few_shot", form="chat", language="python") == (None, reply)
    cont = " a and b are numbers.\n    # No injection here.\n    return a + b\n"
    reasoning, code = split_reasoning(cont, "cot", form="completion", language="python")
    assert reasoning == "a and b are numbers.\nNo injection here."
    assert code == "    return a + b\n"


def test_every_task_language_has_a_worked_example() -> None:
    assert set(EXAMPLES) == {"python", "c", "cpp", "java", "go", "javascript"}
    compile(EXAMPLES["python"].module, "example.py", "exec")
    assert len({e.cwe for e in EXAMPLES.values()}) == len(EXAMPLES)


def test_a_cot_generation_stores_its_reasoning_apart_from_the_judged_code() -> None:
    config = _config(["cot"])
    item = PlannedGeneration("g1", config.models[0], 0.0, "s", TASK, 0, "cot")
    reply = (
        "Reasoning: a and b come from the caller.\n\n```python\n" + PROMPT + "    return a + b\n```"
    )
    rec = to_record(item, GenerationResponse(text=reply))
    assert rec.gen_variant == "cot"
    assert rec.reasoning == "a and b come from the caller."
    assert rec.code == PROMPT + "    return a + b\n" and "Reasoning" not in rec.code


def test_parse_flag_is_only_stored_for_what_was_checked() -> None:
    snippet = next(t for t in load_suite("builtin") if t.language == "python")
    ok = extract_for_task("```python\nx = 1\n```", snippet, completion=False)
    bad = extract_for_task("```python\ndef f(:\n```", snippet, completion=False)
    assert parse_flag(ok, snippet) is True and parse_flag(bad, snippet) is False
    # a repository region is compiled by its build, not parsed here: not "does not parse"
    region_task = next(t for t in load_suite("repo") if t.language == "javascript")
    region = extract_for_task("```javascript\nfunction f() { return 1; }\n```", region_task,
                              completion=False)  # fmt: skip
    assert region.code is not None and parse_flag(region, region_task) is None
    nothing = extract_for_task("I cannot help with that.", region_task, completion=False)
    assert parse_flag(nothing, region_task) is None
