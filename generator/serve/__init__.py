"""The live-reload dev server (`arshif serve`) and its change planner."""

from __future__ import annotations

from generator.serve.plan import Kind, Plan, Step, classify, plan_changes
from generator.serve.server import LiveServer, serve

__all__ = ["Kind", "LiveServer", "Plan", "Step", "classify", "plan_changes", "serve"]
