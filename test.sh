#!/usr/bin/env bash
# postdesk's test command: installs what the tests need (Dovecot, for the
# real-IMAP-server tests) when it can, then vets and tests everything, runs
# each fuzz target briefly and the benchmarks once (a smoke run: no timing
# is asserted); the full test run comes last. Usage: ./test.sh   (CI=true makes missing Dovecot an error)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    bash .ci/dovecot-setup.sh
  else
    echo "test.sh: Dovecot is not installed; the real-IMAP-server tests will be skipped (apt-get install dovecot-imapd)" >&2
  fi
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y --no-install-recommends systemd >/dev/null || echo "test.sh: could not install systemd (systemd-analyze)" >&2
  else
    echo "test.sh: systemd-analyze is missing; packaging/postdesk.service is checked by structure only (apt-get install systemd)" >&2
  fi
fi

corpus="${POSTDESK_CORPUS:-../shared/corpus}"
if [ ! -d "$corpus" ]; then
  if [ -n "${CI:-}" ]; then
    echo "test.sh: no corpus at $corpus (set POSTDESK_CORPUS): the corpus tests will fail under CI" >&2
  else
    echo "test.sh: no corpus at $corpus (set POSTDESK_CORPUS): the corpus tests in mail, mail/reply and mail/auto will be SKIPPED (go test -v lists them)" >&2
  fi
fi

echo "== go mod tidy"
if ! go mod tidy -diff; then
  echo "go.mod/go.sum are not tidy: run go mod tidy" >&2
  exit 1
fi

echo "== go vet"
go vet ./...
echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi

echo "== benchmarks (smoke run, one iteration each)"
bench_out=$(mktemp)
if ! go test -run '^$' -bench . -benchtime 1x ./... >"$bench_out" 2>&1; then
  cat "$bench_out"; exit 1
fi
grep '^Benchmark' "$bench_out" || true
rm -f "$bench_out"

echo "== fuzz (brief)"
fuzz() { # package target
  go test -run '^$' -fuzz "^$2\$" -fuzztime "${FUZZTIME:-5s}" "$1"
}
while read -r pkg; do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    fuzz "$pkg" "$target"
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u)

echo "== docker build"
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker build -f packaging/Dockerfile -t postdesk:test .
else
  echo "docker build: NOT RUN, no Docker engine on this machine; packaging/Dockerfile is checked by structure in go test ./packaging"
fi

echo "== go test"
go test -count=1 -timeout 20m ./...
