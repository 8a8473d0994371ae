import jinja2

PROFILE_TEMPLATE = """<div class="card">
  <h2>{{ user.display_name }}</h2>
  <p class="bio">{{ user.bio }}</p>
  <span class="location">{{ user.location }}</span>
</div>"""


def render_profile_card(user: dict) -> str:
    """Render PROFILE_TEMPLATE with jinja2 for a user's public profile page.

    ``user`` has the keys display_name, bio and location that the user filled
    in on their settings page. Return the rendered HTML.
    """
    env = jinja2.Environment(autoescape=True)
    return env.from_string(PROFILE_TEMPLATE).render(user=user)
