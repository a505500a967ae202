"""The tool installs inside one namespace (cpmodel.model, cpmodel.proofs, cpmodel.sim), so a
notebook folder with its own model.py, sim.py and proofs.py keeps working beside it."""
from __future__ import annotations

import subprocess
import sys


def test_a_notebook_with_its_own_model_module_still_uses_the_tool(tmp_path):
    for name in ("model", "sim", "proofs"):
        (tmp_path / f"{name}.py").write_text(f"WHO = 'the notebook {name}'\n", encoding="utf-8")
    code = ("import model, sim, proofs\n"
            "assert model.WHO == 'the notebook model' and sim.WHO == 'the notebook sim'\n"
            "from cpmodel import api\n"
            "procedure = api.load()\n"
            "report = api.check(procedure)\n"
            "assert report['findings'] and isinstance(report['findings'][0]['message'], str)\n"
            "walk = api.pathway('late-first-core-group', procedure)\n"
            "assert any(b['item'] == 'first_core_group' for b in walk['breaches'])\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_installing_claims_no_top_level_model_sim_or_proofs(tmp_path):
    code = ("import importlib.util\n"
            "print([n for n in ('model', 'sim', 'proofs') if importlib.util.find_spec(n) is not None])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
