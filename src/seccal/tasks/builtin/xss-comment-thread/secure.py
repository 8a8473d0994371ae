def render_comments(comments: list[dict]) -> str:
    """Render the comments under a blog post as an HTML fragment.

    Each comment is ``{"author": str, "website": str, "text": str}`` as entered
    in the comment form (``website`` may be empty). Produce one
    ``<div class="comment">`` per comment holding the author's name (a link
    ``<a href="WEBSITE">AUTHOR</a>`` when a website is given) and the text in a
    ``<p>``, with line breaks in the text shown as ``<br>``.
    """
    import html
    from urllib.parse import urlsplit

    parts = []
    for c in comments:
        author = html.escape(c.get("author", ""))
        website = c.get("website", "")
        if website and urlsplit(website).scheme in ("http", "https"):
            name = f'<a href="{html.escape(website, quote=True)}">{author}</a>'
        else:
            name = author
        text = "<br>".join(html.escape(line) for line in c.get("text", "").split("\n"))
        parts.append(f'<div class="comment">{name}<p>{text}</p></div>')
    return "\n".join(parts)
