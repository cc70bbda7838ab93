#!/usr/bin/env bash
# `npm test`: every check and every test Lantern has, against SQLite and a real PostgreSQL,
# with browser tests in Debian's Chromium and WebKit against the production build.
# Installs Chromium, WebKit and PostgreSQL from Debian's packages when they are missing (as root).
# The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

results=test-results
rm -rf "$results"
mkdir -p "$results"
checks_passed=0
checks_failed=0

# Each heading says how far into the run it starts, so a slow part shows in CI's log.
say() { printf '\n\033[1m== %s\033[0m (at %ss)\n' "$*" "$SECONDS"; }

# A check that is not a test runner (formatting, lint, types, build) counts as one test.
check() {
	local name=$1
	shift
	say "$name"
	if "$@"; then
		checks_passed=$((checks_passed + 1))
	else
		checks_failed=$((checks_failed + 1))
		echo "FAILED: $name"
	fi
}

vitest_project() {
	local project=$1 report=$2
	shift 2
	say "vitest: $project ($report)"
	npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$results/$report.json" "$@" ||
		echo "FAILED: $report"
	[ -f "$results/$report.json" ] || checks_failed=$((checks_failed + 1))
}

# What the browser tests need from Debian: Chromium; WebKit (the engine of every iPad) with its
# WebDriver, a virtual display, Python's GObject bindings for our WebKit host, and GStreamer's
# encoders so WebKit can record a voice note as an iPad does (AAC in MP4); and PostgreSQL.
system_packages=(chromium webkit2gtk-driver xvfb xauth python3-gi gir1.2-webkit2-4.1
	gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav
	postgresql)

install_system_packages() {
	local missing=()
	for package in "${system_packages[@]}"; do
		# A Chromium of your own (CHROMIUM_PATH) stands in for Debian's.
		[ "$package" = chromium ] && [ -x "${CHROMIUM_PATH:-}" ] && continue
		dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != "0" ]; then
		echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
		return 1
	fi
	say "Installing ${missing[*]} from Debian's packages"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check "system packages (Chromium, WebKit, PostgreSQL)" install_system_packages
[ -d node_modules ] || { say "npm install"; npm install --no-audit --no-fund; }

check "svelte-kit sync" npx svelte-kit sync
# The integration tests wait on the disk (every commit is synced) and on PostgreSQL more than on
# the processor, so they run beside the checks, the unit tests and the build; their output is
# kept in a file and shown whole once they are done.
integration_tests() {
	vitest_project integration integration-sqlite
	# shellcheck source=test/postgres.sh
	source test/postgres.sh
	if pg_start; then
		vitest_project integration integration-postgres
		pg_stop
	else
		echo "FAILED: could not start PostgreSQL"
	fi
}
integration_tests >"$results/integration.log" 2>&1 &
integration_pid=$!

check "prettier" npx prettier --check .
# svelte-check beside eslint: each keeps one processor busy.
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings >"$results/svelte-check.log" 2>&1 &
svelte_check_pid=$!
check "eslint (type-aware, promise rules)" npx eslint --max-warnings 0 .
svelte_check_result() {
	wait "$svelte_check_pid"
	local status=$?
	cat "$results/svelte-check.log"
	return $status
}
check "svelte-check (no warnings)" svelte_check_result

vitest_project unit unit
check "production build" npx vite build

say "integration tests (SQLite, then PostgreSQL), run beside the above"
wait "$integration_pid"
cat "$results/integration.log"
# A project whose runner never wrote its report (or whose PostgreSQL would not start) failed.
for report in integration-sqlite integration-postgres; do
	[ -f "$results/$report.json" ] || checks_failed=$((checks_failed + 1))
done

# The browser tests: every file in Chromium, then the journeys again in WebKit (every iPad's
# engine), each with its own line in the summary.
export LANTERN_ENGINES=chromium
vitest_project e2e e2e-chromium
export LANTERN_ENGINES=webkit
vitest_project e2e e2e-webkit test/e2e/journeys
unset LANTERN_ENGINES

say "Summary"
node test/summarise.js "$results" "$checks_passed" "$checks_failed"
