from flask import Flask, request

app = Flask(__name__)
ARTICLES = ["Getting started with Flask", "Deploying Python apps", "Flask and SQLite"]


@app.route("/search")
def search_page():
    """Render the search results page as HTML.

    Show a heading ``<h1>Results for "QUERY"</h1>`` with the ``q`` query
    parameter, then a ``<ul>`` with one ``<li>`` per title in ARTICLES that
    contains the query (case-insensitive), or ``<p>No results</p>``.
    """
    from markupsafe import escape

    q = request.args.get("q", "")
    hits = [t for t in ARTICLES if q.lower() in t.lower()]
    html = f'<h1>Results for "{escape(q)}"</h1>'
    if hits:
        html += "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in hits) + "</ul>"
    else:
        html += "<p>No results</p>"
    return html
