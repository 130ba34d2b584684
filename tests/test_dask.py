"""A real Dask LocalCluster with two worker processes builds the same bytes as a local build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_files
from test_incremental import snapshot
from test_parallel import site_files

from generator.build import build
from generator.config import load_config

distributed = pytest.importorskip(
    "distributed", reason="dask is an optional extra: pip install 'arshif[dask]'"
)


def test_dask_cluster_matches_local_build(tmp_path: Path) -> None:
    local = write_files(tmp_path / "local", site_files())
    build(load_config(local), import_seeds=False, executor="serial", incremental=False)
    remote = write_files(tmp_path / "remote", site_files())
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        report = build(load_config(remote), import_seeds=False, executor=address)
    assert snapshot(remote / "site") == snapshot(local / "site")
    assert report.pages > 60
