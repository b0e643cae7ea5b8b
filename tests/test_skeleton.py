import subprocess
import sys

from connector.errors import ConfigError, Problem


def test_cli_help_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "connector", "--help"], capture_output=True,
                         text=True, check=True)
    assert "connector" in out.stdout


def test_config_error_collects_every_problem() -> None:
    err = ConfigError([Problem("a.toml", "x", "bad"), Problem("b.toml", "y", "worse", line=3)])
    assert "a.toml: [x]" in str(err) and "b.toml:3: [y]" in str(err)
    assert len(err.problems) == 2
