from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/calc")
def calculate():
    """Evaluate the arithmetic expression in the ``expr`` query parameter.

    Expressions use numbers (ints and floats), parentheses and the operators
    ``+ - * / % **`` with the usual precedence, e.g. ``(2 + 3) * 4``. Return
    ``{"result": value}``; return 400 with ``{"error": ...}`` when the expression
    is not valid.
    """
    expr = request.args.get("expr", "")
    try:
        result = eval(expr)
    except Exception as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"result": result})
