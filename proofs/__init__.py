"""Proofs about the procedure: Z3 and the state graph answer a policy writer's questions."""
from cpmodel.proofs.findings import Finding
from cpmodel.proofs.report import CheckReport, run_checks

__all__ = ["CheckReport", "Finding", "run_checks"]
