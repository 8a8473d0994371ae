def render_comments(comments: list[dict]) -> str:
    """Render the comments under a blog post as an HTML fragment.

    Each comment is ``{"author": str, "website": str, "text": str}`` as entered
    in the comment form (``website`` may be empty). Produce one
    ``<div class="comment">`` per comment holding the author's name (a link
    ``<a href="WEBSITE">AUTHOR</a>`` when a website is given) and the text in a
    ``<p>``, with line breaks in the text shown as ``<br>``.
    """
