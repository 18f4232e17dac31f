"""The delivery checks themselves can fail: the manifest rules and the rehearsal's verdict."""

from __future__ import annotations

import copy
import importlib.util
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _module(name: str) -> ModuleType:
    """deploy/ci is scripts, not a package: load one by path (registered, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(f"deploy_ci_{name}", ROOT / "deploy" / "ci" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


rules = _module("manifest_rules")
rehearsal = _module("rehearsal")

BEAT = {
    "kind": "Deployment",
    "metadata": {"name": "booking-platform-beat"},
    "spec": {
        "replicas": 1,
        "strategy": {"type": "Recreate"},
        "template": {
            "spec": {
                "automountServiceAccountToken": False,
                "containers": [{"name": "beat", "volumeMounts": [{"mountPath": "/var/run/secrets/booking-platform"}]}],
            }
        },
    },
}


def _problems(tmp_path: Path, overlay: str, *docs: dict) -> list[str]:
    (tmp_path / f"{overlay.replace('/', '--')}.yaml").write_text(yaml.safe_dump_all(docs))
    found: list[str] = []
    by_name = rules.load(tmp_path / f"{overlay.replace('/', '--')}.yaml")
    rules.check_beat(by_name, found)
    rules.check_pods(by_name, found)
    rules.check_ingress(overlay, by_name, found)
    return found


def test_a_single_recreated_beat_passes(tmp_path: Path) -> None:
    assert _problems(tmp_path, "blue-green/shared", BEAT) == []


def test_two_beats_or_a_rolling_beat_is_refused(tmp_path: Path) -> None:
    two = copy.deepcopy(BEAT)
    two["spec"]["replicas"] = 2
    rolling = copy.deepcopy(BEAT)
    rolling["spec"]["strategy"] = {"type": "RollingUpdate"}
    expected = ["beat: exactly one replica with the Recreate strategy (never two during a rollout)"]
    assert _problems(tmp_path, "blue-green/shared", two) == expected
    assert _problems(tmp_path, "blue-green/shared", rolling) == expected


def test_secret_as_env_value_and_a_weight_in_git_are_refused(tmp_path: Path) -> None:
    leaky = copy.deepcopy(BEAT)
    leaky["spec"]["template"]["spec"]["containers"][0]["env"] = [
        {"name": "DJANGO_SECRET_KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
    ]
    ingress = {
        "kind": "Ingress",
        "metadata": {
            "name": "booking-platform",
            "annotations": {
                "nginx.ingress.kubernetes.io/canary": "true",
                "nginx.ingress.kubernetes.io/canary-weight": "50",
            },
        },
    }
    assert _problems(tmp_path, "canary", leaky, ingress) == [
        "booking-platform-beat: secrets come as files (<NAME>_FILE), never as env values",
        "canary: the canary weight is set at traffic-shift time, never in the manifests",
    ]


def test_the_committed_overlays_would_fail_without_their_canary_annotation(tmp_path: Path) -> None:
    ingress = {"kind": "Ingress", "metadata": {"name": "booking-platform", "annotations": {}}}
    assert _problems(tmp_path, "blue-green/green", ingress) == [
        "blue-green/green: Ingress canary annotation must be set"
    ]
    assert _problems(tmp_path, "production", ingress) == []


class _Flaky(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(500 if self.path == "/readyz" else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def flaky_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_rehearsal_fails_on_a_5xx_and_passes_on_clean_traffic(flaky_server: int, tmp_path: Path) -> None:
    version = rehearsal.Version("new", tmp_path, {}, tmp_path, port=flaky_server)
    load = rehearsal.Load(pool=rehearsal.Pool(), key={"key": "k"})
    load.record(version, "healthz", rehearsal.http("GET", flaky_server, "/healthz")[0], (200,))
    load.record(version, "booking", 201, (201,))
    assert rehearsal.report(load, old_exit=0) == 0
    load.record(version, "readyz", rehearsal.http("GET", flaky_server, "/readyz")[0], (200,))
    assert load.failures == ["new readyz: HTTP 500 "]
    assert rehearsal.report(load, old_exit=0) == 1


def test_rehearsal_fails_when_the_old_version_did_not_stop_cleanly_or_nothing_ran(tmp_path: Path) -> None:
    version = rehearsal.Version("new", tmp_path, {}, tmp_path)
    load = rehearsal.Load(pool=rehearsal.Pool(), key={})
    assert rehearsal.report(load, old_exit=0) == 1  # no request at all proves nothing
    load.record(version, "healthz", 200, (200,))
    assert rehearsal.report(load, old_exit=0) == 0
    assert rehearsal.report(load, old_exit=-9) == 1
    assert rehearsal.http("GET", 1, "/healthz") == (0, None)  # a refused connection is status 0, a failure
