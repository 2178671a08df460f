"""The bundle's entry point: the same `briefmap` command as the installed package."""

import multiprocessing

from briefmap.cli import run

if __name__ == "__main__":
    # The user-layer reader runs in a child process: in a frozen bundle the child is this
    # executable again, and freeze_support hands it to multiprocessing instead of the CLI.
    multiprocessing.freeze_support()
    run()
