import sys

from briefmap.cli import run

if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle's user-layer reader runs in a child process
        import multiprocessing

        multiprocessing.freeze_support()
    run()
