#!/usr/bin/env bash
# Delivery checks (called by .ci/run; runs alone too: `bash deploy/ci/check.sh`).
#   1. every kustomize overlay renders and validates against the Kubernetes schemas (--strict)
#   2. the project's own manifest rules (beat singleton, grace periods, canary weights, secrets as files)
#   3. yamllint over deploy/
#   4. checkov over the rendered manifests, the Dockerfile and the Terraform (skips only from
#      deploy/ci/checkov-skips.yaml, each with its reason); terraform fmt when terraform is installed
#   5. lint_migrations against the previous migration state (expand now, contract next release)
#   6. the rolling-release rehearsal (old and new code side by side on PostgreSQL, under load)
# Set DEPLOY_CHECK_SKIP_REHEARSAL=1 to leave out step 6 (it needs PostgreSQL on 127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TOOLS=.venv-deploy
K8S_VERSIONS=${K8S_VERSIONS:-"1.31.0 1.34.0"}
OVERLAYS=(production canary blue-green/web blue-green/blue blue-green/green blue-green/shared)
RENDER=$(mktemp -d /tmp/bp-deploy-render.XXXXXX)
trap 'rm -rf "$RENDER"' EXIT
say() { printf -- '--- deploy: %s\n' "$*"; }

say "tools (.venv-deploy from deploy/requirements-deploy.txt)"
if [[ ! -f $TOOLS/.installed ]] || ! cmp -s deploy/requirements-deploy.txt $TOOLS/.installed; then
  test -x $TOOLS/bin/python || "${PYTHON:-python3.11}" -m venv $TOOLS
  { $TOOLS/bin/python -m pip install --quiet --upgrade pip \
      && $TOOLS/bin/python -m pip install --quiet -r deploy/requirements-deploy.txt; } > "$RENDER/pip.log" 2>&1 \
    || { cat "$RENDER/pip.log"; exit 1; }
  cp deploy/requirements-deploy.txt $TOOLS/.installed
fi

say "render and validate overlays (Kubernetes ${K8S_VERSIONS})"
for overlay in "${OVERLAYS[@]}"; do
  out="$RENDER/${overlay//\//--}.yaml"
  $TOOLS/bin/kubectl kustomize "deploy/k8s/overlays/$overlay" > "$out"
  for version in $K8S_VERSIONS; do
    # External Secrets' CRDs have no schema here; any other unknown kind is an error (a typo).
    report=$($TOOLS/bin/kubernetes-validate --strict --quiet -k "$version" "$out" 2>&1) || { echo "$report"; exit 1; }
    if grep -v -E "Couldn't find schema for kind (ExternalSecret|SecretStore) with api version external-secrets.io/v1 " <<<"$report" | grep -q .; then
      echo "$report"; exit 1
    fi
  done
  echo "$overlay: $(grep -c '^kind:' "$out") resources valid"
done
$TOOLS/bin/python deploy/ci/manifest_rules.py "$RENDER"

say "yamllint"
$TOOLS/bin/yamllint --strict -c deploy/.yamllint.yaml deploy/

say "checkov (reviewed skips: deploy/ci/checkov-skips.yaml)"
skips_for() {
  $TOOLS/bin/python - "$1" <<'PY'
import sys, yaml
target = sys.argv[1]
entries = yaml.safe_load(open("deploy/ci/checkov-skips.yaml"))["skips"]
assert all(e.get("reason", "").strip() for e in entries), "every checkov skip needs a reason"
print(",".join(e["check"] for e in entries if target in e["targets"]) or "NONE")
PY
}
# Two runs (checkov starts slowly): the namespaced renders with the Terraform, then the namespace-less
# OCI DevOps artifact with the Dockerfile.
# A skip applies to the run of every target that lists it; checks are framework-specific, so a
# Kubernetes skip never hides a Terraform or Dockerfile finding.
run_checkov() {
  local skips=$1; shift
  $TOOLS/bin/checkov "$@" --compact --quiet --skip-download --skip-check "$skips" > "$RENDER/checkov.out" 2>&1 \
    || { cat "$RENDER/checkov.out"; echo "checkov failed"; exit 1; }
  grep -E '(scan results|Passed checks)' "$RENDER/checkov.out" | paste - - | sed 's/ scan results://'
}
union() { tr ',' '\n' <<<"$*" | grep -v -e '^$' -e '^NONE$' | sort -u | paste -sd, - | sed 's/^$/NONE/'; }
mkdir -p "$RENDER/namespaced"
skips=""
for overlay in "${OVERLAYS[@]}"; do
  [[ $overlay == blue-green/web ]] && continue
  cp "$RENDER/${overlay//\//--}.yaml" "$RENDER/namespaced/"
  skips="$skips,$(skips_for "$overlay")"
done
echo "namespaced overlays and Terraform:"
run_checkov "$(union "$skips,$(skips_for terraform)")" -d "$RENDER/namespaced" -d deploy/terraform --framework kubernetes terraform
echo "blue-green/web (the namespace-less OCI DevOps artifact) and the Dockerfile:"
run_checkov "$(union "$(skips_for blue-green/web),$(skips_for dockerfile)")" \
  -f "$RENDER/blue-green--web.yaml" -f Dockerfile --framework kubernetes dockerfile
if command -v terraform >/dev/null 2>&1; then
  TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive deploy/terraform && echo "terraform fmt: clean"
else
  echo "terraform fmt: skipped (terraform is not in the registries this CI installs from)"
fi

say "migrations since the previous migration state only expand the schema"
newest=$(git log -1 --format=%H --diff-filter=A -- '*/migrations/0*.py')
base=${MIGRATION_LINT_BASE:-$newest^}
DJANGO_SECRET_KEY=lint-only DATABASE_URL=sqlite://:memory: .venv/bin/python manage.py lint_migrations --base "$base"

if [[ "${DEPLOY_CHECK_SKIP_REHEARSAL:-}" == "1" ]]; then
  say "rehearsal skipped (DEPLOY_CHECK_SKIP_REHEARSAL=1)"
else
  say "rolling-release rehearsal"
  .venv/bin/python deploy/ci/rehearsal.py
fi
say "all delivery checks passed"
