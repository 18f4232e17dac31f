"""Rules of this project that schemas and checkov do not know, checked on the rendered overlays.

Usage: manifest_rules.py RENDER_DIR (one <overlay name with / as ->.yaml per overlay).
"""

# ruff: noqa: T201 - a CI script that prints what is wrong

from __future__ import annotations

import sys
from pathlib import Path

import yaml

GUNICORN_GRACEFUL_TIMEOUT = 25


def load(path: Path) -> dict[tuple[str, str], dict]:
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(path.read_text()) if d}


def pod(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def check_web(docs: dict, problems: list[str]) -> None:
    web = docs.get(("Deployment", "booking-platform-web"))
    if web is None:
        return
    spec = pod(web)
    container = spec["containers"][0]
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    if spec["terminationGracePeriodSeconds"] <= pause + GUNICORN_GRACEFUL_TIMEOUT:
        problems.append(
            "web: terminationGracePeriodSeconds must exceed the preStop pause + gunicorn's graceful timeout"
        )
    if (
        container["readinessProbe"]["httpGet"]["path"] != "/readyz"
        or container["livenessProbe"]["httpGet"]["path"] != "/healthz"
    ):
        problems.append("web: readiness must probe /readyz and liveness /healthz")
    if web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] != 0:
        problems.append("web: a rollout must not drop capacity (maxUnavailable 0)")
    for kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget"):
        if (kind, "booking-platform-web") not in docs:
            problems.append(f"web: no {kind}")


def check_beat(docs: dict, problems: list[str]) -> None:
    beat = docs.get(("Deployment", "booking-platform-beat"))
    if beat is None:
        return
    if beat["spec"]["replicas"] != 1 or beat["spec"]["strategy"]["type"] != "Recreate":
        problems.append("beat: exactly one replica with the Recreate strategy (never two during a rollout)")
    if ("HorizontalPodAutoscaler", "booking-platform-beat") in docs:
        problems.append("beat: must not autoscale")


def check_pods(docs: dict, problems: list[str]) -> None:
    for (kind, name), doc in docs.items():
        if kind not in ("Deployment", "Job"):
            continue
        spec = pod(doc)
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: service account token must not be mounted")
        for container in spec["containers"]:
            if any(e.get("valueFrom", {}).get("secretKeyRef") for e in container.get("env", [])):
                problems.append(f"{name}: secrets come as files (<NAME>_FILE), never as env values")
            if not any(m["mountPath"] == "/var/run/secrets/booking-platform" for m in container["volumeMounts"]):
                problems.append(f"{name}: the secrets volume is not mounted")


def check_ingress(overlay: str, docs: dict, problems: list[str]) -> None:
    ingress = docs.get(("Ingress", "booking-platform"))
    notes = (ingress or {}).get("metadata", {}).get("annotations", {})
    wants_canary = overlay in ("canary", "blue-green/green")
    if ingress is None:
        if overlay != "blue-green/shared":
            problems.append(f"{overlay}: no Ingress booking-platform")
        return
    if (notes.get("nginx.ingress.kubernetes.io/canary") == "true") != wants_canary:
        problems.append(f"{overlay}: Ingress canary annotation must be {'set' if wants_canary else 'absent'}")
    if "nginx.ingress.kubernetes.io/canary-weight" in notes:
        problems.append(f"{overlay}: the canary weight is set at traffic-shift time, never in the manifests")


def main(render_dir: Path) -> int:
    problems: list[str] = []
    for path in sorted(render_dir.glob("*.yaml")):
        overlay = path.stem.replace("--", "/")
        docs = load(path)
        namespaced = {d["metadata"].get("namespace") for d in docs.values() if d["kind"] != "Namespace"}
        if overlay == "blue-green/web" and namespaced != {None}:
            problems.append("blue-green/web: the OCI DevOps artifact must not name a namespace")
        check_web(docs, problems)
        check_beat(docs, problems)
        check_pods(docs, problems)
        check_ingress(overlay, docs, problems)
    for problem in problems:
        print(f"manifest rule: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
