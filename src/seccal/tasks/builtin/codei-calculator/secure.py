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
    import ast
    import operator

    ops = {
        ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Mod: operator.mod, ast.Pow: operator.pow,
        ast.USub: operator.neg, ast.UAdd: operator.pos,
    }

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 100:
                raise ValueError("exponent too large")
            return ops[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in ops:
            return ops[type(node.op)](ev(node.operand))
        raise ValueError("unsupported expression")

    expr = request.args.get("expr", "")
    try:
        result = ev(ast.parse(expr, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError) as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"result": result})
