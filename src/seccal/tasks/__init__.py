"""Tasks: the schema, built-in suites and adapters for public benchmarks."""

from seccal.tasks.model import Task, TestRole, TestSpec

__all__ = ["Task", "TestRole", "TestSpec"]
