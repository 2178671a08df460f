"""`briefmap new --bbox -10,35,5,44`: a box whose first number is negative is read as the
box, not as an unknown option."""

from __future__ import annotations

from briefmap.cli import main
from briefmap.cli.common import joined_number_lists


def test_a_negative_first_number_is_the_options_value():
    assert joined_number_lists(["new", "F", "--bbox", "-10,35,5,44", "--title", "T"]) == \
        ["new", "F", "--bbox=-10,35,5,44", "--title", "T"]
    assert joined_number_lists(["export", "-o", "x.png", "--dpi", "150"]) == ["export", "-o", "x.png", "--dpi", "150"]


def test_new_reads_the_negative_box_and_checks_it(tmp_path, capsys):
    # Parsed as the box (not "expected one argument"), then refused for its longitude.
    assert main(["new", str(tmp_path / "b"), "--title", "Iberia", "--bbox", "-200,35,5,44"]) == 2
    err = capsys.readouterr().err
    assert "west longitude -200" in err and "expected one argument" not in err
    assert not (tmp_path / "b").exists()
