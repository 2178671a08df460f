from briefmap.cli import run

run()
