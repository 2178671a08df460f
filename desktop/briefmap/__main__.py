import sys

from briefmap.cli import run

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing  # only a bundle needs it (a no-op elsewhere), and it is slow to import

        multiprocessing.freeze_support()  # the bundle's user-layer reader runs in a child process
    run()
