"""The apps depend one way (pyproject.toml [tool.importlinter]); `make lint` runs the contract.
These tests run it too: on the tree as it is, and on a copy with one upward import added."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# The apps of the contract, as pyproject.toml lists them.
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter không có")


def lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


def copy_of_the_tree(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_the_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    root = copy_of_the_tree(tmp_path)
    text = root / "courses" / "models.py"
    text.write_text(text.read_text() + "\nfrom budget.models import BudgetLine  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "courses is not allowed to import budget" in result.stdout


def test_a_circle_inside_an_app_breaks_the_contract(tmp_path):
    root = copy_of_the_tree(tmp_path)
    selectors = root / "quotas" / "selectors.py"
    selectors.write_text(selectors.read_text() + "\nfrom quotas import bulk  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "No cycles are allowed in quotas" in result.stdout
