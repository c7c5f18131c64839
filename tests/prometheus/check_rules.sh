#!/usr/bin/env bash
# The ctest prometheus_rules: docker/prometheus/alerts.yml passes `promtool check rules`, and
# `promtool test rules` shows each alert firing on the series that should fire it and quiet on a
# healthy node (tests/prometheus/alerts_test.yml). Skipped (77) where promtool is not installed
# (Debian package prometheus; scripts/install-deps.sh installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v promtool > /dev/null; then
  echo "SKIP: promtool is not installed (apt-get install prometheus)"
  exit 77
fi
promtool check rules "$root/docker/prometheus/alerts.yml"
promtool test rules "$root/tests/prometheus/alerts_test.yml"
