"""The bundle's entry point: the same `briefmap` command as the installed package."""

from briefmap.cli import run

run()
