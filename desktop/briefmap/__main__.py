import multiprocessing

from briefmap.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the bundle's user-layer reader runs in a child process
    run()
