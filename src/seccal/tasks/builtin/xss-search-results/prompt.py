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
