#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test run, on loopback and a free port.
#   source test/postgres.sh; pg_start   -> exports TEST_POSTGRES_URL
#   pg_stop                             -> stops it and removes its files
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.

pg_bin() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$dir" ] && echo "$dir"
}

pg_as() {
	if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

pg_start() {
	local bin
	bin=$(pg_bin) || { echo "PostgreSQL is not installed" >&2; return 1; }
	PG_TEST_DIR=$(mktemp -d /tmp/lantern-pg.XXXXXX)
	PG_TEST_PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
	[ "$(id -u)" = "0" ] && chown postgres "$PG_TEST_DIR"
	pg_as "'$bin/initdb' -D '$PG_TEST_DIR/data' -U postgres -A trust --no-sync -E UTF8" >"$PG_TEST_DIR.log" 2>&1 || { cat "$PG_TEST_DIR.log"; return 1; }
	pg_as "'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -l '$PG_TEST_DIR/server.log' -w -o \"-p $PG_TEST_PORT -k '$PG_TEST_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start" >>"$PG_TEST_DIR.log" 2>&1 || { cat "$PG_TEST_DIR.log" "$PG_TEST_DIR/server.log"; return 1; }
	export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_TEST_PORT/postgres"
	export PG_TEST_DIR PG_TEST_PORT
	echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$PG_TEST_PORT"
}

pg_stop() {
	local bin
	bin=$(pg_bin) || return 0
	[ -n "${PG_TEST_DIR:-}" ] || return 0
	pg_as "'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -m immediate stop" >/dev/null 2>&1 || true
	rm -rf "$PG_TEST_DIR" "$PG_TEST_DIR.log"
	unset TEST_POSTGRES_URL PG_TEST_DIR PG_TEST_PORT
}
