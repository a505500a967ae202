"""simulate, staff and sensitivity take a bundled scenario by name, as pathway takes a pathway."""
import pytest
from typer.testing import CliRunner

from cpmodel.cli import app


@pytest.mark.parametrize("command", ["simulate", "staff", "sensitivity"])
def test_an_unknown_scenario_name_lists_the_bundled_ones(command):
    result = CliRunner().invoke(app, [command, "small-unitry"])
    assert result.exit_code == 2
    assert "did you mean 'small-unitary'" in result.output and "bundled: county" in result.output


@pytest.mark.parametrize("command, extra", [("staff", ["--target", "visitz=0.9"]),
                                             ("sensitivity", ["--param", "no_such_parameter"])])
def test_a_bundled_name_is_loaded_as_its_file(command, extra):
    """The name resolves to scenarios/small-unitary.yaml: the run gets past loading and stops at
    the misspelt argument, not at 'file not found'."""
    result = CliRunner().invoke(app, [command, "small-unitary", *extra])
    assert result.exit_code == 2, result.output
    assert "file not found" not in result.output and result.output.startswith(f"error: {extra[0]}:")
