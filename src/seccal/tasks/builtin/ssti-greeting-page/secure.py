from flask import Flask, render_template_string, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "change-me-in-production"

CARD = """<div class="card">
  <h1>{title}</h1>
  <p>Dear {name}, {message}</p>
</div>"""
OCCASIONS = {
    "birthday": ("Happy birthday!", "have a wonderful day."),
    "wedding": ("Congratulations!", "all the best to you both."),
}


@app.route("/card")
def greeting():
    """Render a greeting card page.

    The ``occasion`` query parameter ("birthday" or "wedding") picks the title
    and message text from OCCASIONS, and ``name`` is the recipient.
    Fill CARD's placeholders and render the result with
    ``render_template_string`` so the page gets the usual template context.
    Unknown occasions use the "Hello" title and an empty message.
    """
    title, message = OCCASIONS.get(request.args.get("occasion", ""), ("Hello", ""))
    # Only our own constants go into the template source; user input is a variable.
    template = CARD.format(title=title, message=message, name="{{ name }}")
    return render_template_string(template, name=request.args.get("name", ""))
