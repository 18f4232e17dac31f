#!/usr/bin/env bash
# Move guest traffic between versions at the ingress-nginx Ingress (the same mechanism the OCI DevOps
# blue-green and canary traffic-shift stages use), for operators working with kubectl.
#
#   traffic.sh status                 where traffic goes now
#   traffic.sh switch blue|green      blue-green: all traffic to that slot (green's canary weight 0 or 100)
#   traffic.sh canary PERCENT         canary: PERCENT of requests to booking-platform-canary (0-100)
#   traffic.sh canary-off             canary: no traffic to the canary (after promotion, or to roll back)
#
# Blue's Ingress is the primary; green's is its ingress-nginx canary (deploy/k8s/overlays/blue-green).
# The weights live only in the cluster (annotations set here), never in the manifests, so applying an
# overlay again never moves traffic. "X-Booking-Slot: always|never" and "X-Canary: always|never" reach
# the canary side / the primary side whatever the weight, for smoke tests.
set -euo pipefail
KUBECTL=${KUBECTL:-kubectl}
WEIGHT=nginx.ingress.kubernetes.io/canary-weight
BLUE=${BLUE_NAMESPACE:-booking-platform-blue}
GREEN=${GREEN_NAMESPACE:-booking-platform-green}
CANARY=${CANARY_NAMESPACE:-booking-platform-canary}

weight_of() {
  $KUBECTL -n "$1" get ingress booking-platform -o "jsonpath={.metadata.annotations.nginx\.ingress\.kubernetes\.io/canary-weight}" 2>/dev/null || true
}

set_weight() {
  local namespace=$1 percent=$2
  [[ $percent =~ ^[0-9]+$ && $percent -le 100 ]] || { echo "weight must be 0..100, got '$percent'" >&2; exit 2; }
  $KUBECTL -n "$namespace" annotate ingress booking-platform --overwrite "$WEIGHT=$percent"
}

ready_or_die() {
  local namespace=$1
  $KUBECTL -n "$namespace" rollout status deployment/booking-platform-web --timeout=10m
}

case "${1:-status}" in
  status)
    echo "blue-green: green weight=$(weight_of "$GREEN") (0 or unset: blue live, 100: green live)"
    echo "canary:     canary weight=$(weight_of "$CANARY")"
    ;;
  switch)
    case "${2:-}" in
      green) ready_or_die "$GREEN"; set_weight "$GREEN" 100 ;;
      blue) ready_or_die "$BLUE"; set_weight "$GREEN" 0 ;;
      *) echo "usage: traffic.sh switch blue|green" >&2; exit 2 ;;
    esac
    # Each slot runs the version it was deployed with; beat and workers stay in booking-platform.
    ;;
  canary)
    ready_or_die "$CANARY"
    set_weight "$CANARY" "${2:?usage: traffic.sh canary PERCENT}"
    ;;
  canary-off)
    set_weight "$CANARY" 0
    ;;
  *)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac
