"""Service configuration loaded from the environment."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    environment: str = "production"
    # Only development deployments may send exception details to clients;
    # production responses must stay generic.
    expose_errors: bool = False

    @classmethod
    def from_env(cls) -> "Config":
        env = os.environ.get("APP_ENV", "production")
        return cls(environment=env, expose_errors=env == "development")
