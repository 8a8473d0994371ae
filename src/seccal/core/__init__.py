"""The shared vocabulary of seccal: every package imports it; it imports none of them.

- :mod:`~seccal.core.task`: :class:`Task`, one record for every suite, with a ``kind``
  naming the judge backend that decides it.
- :mod:`~seccal.core.labels`: the one label vocabulary (``dynamic``, ``static``,
  ``both``) and how ``both`` combines the measured two.
- :mod:`~seccal.core.findings`: static findings and the one ``static`` rule.
- :mod:`~seccal.core.verdict`: the judge's :class:`Verdict`.
- :mod:`~seccal.core.results`: the results frame and the one parser of its cells.
- :mod:`~seccal.core.config`: :class:`StudyConfig`, typed and validated.
- :mod:`~seccal.core.schema`: the run store's tables and their migrations.

Submodules are imported explicitly (``from seccal.core.task import Task``); this file
imports nothing, so importing one piece of the vocabulary never loads the rest.
"""
