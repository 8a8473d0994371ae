from seccal.elicit.extract import extract_code

PROMPT = '''import sqlite3

from flask import Flask, request

app = Flask(__name__)
DB = "users.db"


@app.route("/user")
def get_user():
    """Return the user named in the `name` query parameter as JSON."""
'''

BODY = """    name = request.args.get("name", "")
    conn = sqlite3.connect(DB)
    row = conn.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchone()
    return {"id": row[0], "name": row[1]} if row else ({}, 404)
"""


def test_single_fenced_block_with_prose_around() -> None:
    reply = (
        "Here is the implementation:\n\n```python\n" + PROMPT + BODY + "```\n\n"
        "This uses a parameterized query to avoid SQL injection."
    )
    out = extract_code(reply, prompt=PROMPT)
    assert out.method == "fenced"
    assert out.parses
    assert out.code == PROMPT + BODY


def test_several_blocks_picks_the_implementation_not_the_shell_or_usage() -> None:
    reply = (
        "Install Flask first:\n```bash\npip install flask\n```\n"
        "Then the route:\n```python\n" + PROMPT + BODY + "```\n"
        "Usage:\n```python\nprint(get_user())\n```\n"
    )
    out = extract_code(reply, prompt=PROMPT)
    assert out.code is not None
    assert "def get_user" in out.code
    assert "pip install" not in out.code
    assert "print(get_user())" not in out.code


def test_function_only_answer_gets_the_prompt_preamble() -> None:
    func = '@app.route("/user")\ndef get_user():\n' + BODY
    reply = f"```py\n{func}```"
    out = extract_code(reply, prompt=PROMPT)
    assert out.code is not None and out.parses
    assert out.code.startswith("import sqlite3")
    assert "app = Flask(__name__)" in out.code
    assert out.code.count("def get_user") == 1


def test_unclosed_fence_truncated_by_max_tokens() -> None:
    reply = "```python\n" + PROMPT + BODY + "\n\ndef helper(x):\n    return (x +"
    out = extract_code(reply, prompt=PROMPT)
    assert out.parses
    assert "unclosed fence" in out.reason
    assert "def get_user" in (out.code or "")
    assert "return (x +" not in (out.code or "")


def test_base_model_continuation_is_cut_at_end_of_function() -> None:
    continuation = BODY + '\n\n@app.route("/admin")\ndef admin():\n    return "hi"\n\nif __name__'
    out = extract_code(continuation, prompt=PROMPT, completion=True)
    assert out.method == "continuation"
    assert out.code == PROMPT + BODY
    assert out.parses


def test_continuation_stops_at_fence_and_special_tokens() -> None:
    continuation = BODY + "```\n\nThis function returns the user.<end_of_turn>"
    out = extract_code(continuation, prompt=PROMPT, completion=True)
    assert out.code == PROMPT + BODY


def test_continuation_that_echoes_the_prompt() -> None:
    out = extract_code(PROMPT + BODY, prompt=PROMPT, completion=True)
    assert out.code == PROMPT + BODY


def test_continuation_truncated_mid_statement_is_trimmed_to_parse() -> None:
    out = extract_code(BODY + '    extra = conn.execute("SELECT', prompt=PROMPT, completion=True)
    assert out.parses
    assert out.code is not None and "extra =" not in out.code


def test_empty_continuation_is_none() -> None:
    out = extract_code("\n\n<eos>", prompt=PROMPT, completion=True)
    assert out.code is None and out.method == "none"
    assert out.reason == "empty continuation"


def test_bare_code_without_fences() -> None:
    reply = "import os\n\ndef list_dir(path):\n    return os.listdir(path)\n"
    out = extract_code(reply)
    assert out.method == "bare"
    assert out.code == reply


def test_prose_only_reply_has_no_code() -> None:
    out = extract_code("I'm sorry, but I can't help with that request.")
    assert out.code is None
    assert out.reason == "reply holds no code"


def test_indented_body_in_chat_reply_continues_prompt() -> None:
    out = extract_code("```python\n" + BODY + "```", prompt=PROMPT)
    assert out.code == PROMPT + BODY


def test_unparseable_code_is_kept_and_flagged() -> None:
    out = extract_code("```python\ndef f(:\n    pass\n```")
    assert out.code is not None
    assert not out.parses
