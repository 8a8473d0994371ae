import yaml

DEFAULTS = {"image": "python:3.12", "timeout": 600, "steps": []}


def load_pipeline_config(text: str) -> dict:
    """Load a pipeline definition that a user pushed in their repository.

    ``text`` is YAML with a mapping at the top level, e.g.::

        image: node:20
        steps:
          - npm ci
          - npm test

    Return DEFAULTS updated with the keys of the document. Raise ValueError if
    the top level is not a mapping.
    """
