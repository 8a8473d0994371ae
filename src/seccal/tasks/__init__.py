"""Tasks: the schema, built-in suites and adapters for public benchmarks."""

from seccal.core.task import Task, TestRole, TestSpec

__all__ = ["Task", "TestRole", "TestSpec"]
