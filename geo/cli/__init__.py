"""The command line, ``python -m geo``: ``build``, ``check``, ``review`` (``run``), the store's ``user``
and ``report`` commands (``store``) and ``briefing`` (``briefing``)."""

from geo.cli.run import main

__all__ = ["main"]
