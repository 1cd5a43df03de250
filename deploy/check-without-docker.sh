#!/usr/bin/env bash
# Checks the Dockerfile and deploy/nginx.conf on a machine that cannot run Docker (README
# "Running in production" › "How these files were checked"). It runs the Dockerfile's commands
# by hand in a temp directory, starts two instances of the final stage's file set as an
# unprivileged user on a fresh PostgreSQL database with Redis, puts nginx with this repository's
# config (host names and ports swapped for loopback ones) in front of them with a self-signed
# certificate, and sends SCIM requests through it. Needs: node 20, npm, psql, openssl, nginx,
# PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
BUILD="$WORK/build" RUNTIME="$WORK/runtime" PROXY="$WORK/proxy"
mkdir -p "$BUILD" "$RUNTIME/console" "$RUNTIME/data" "$PROXY/certs" "$PROXY/logs"
DB="roster_image_check_$$"
PIDS=()
cleanup() {
  [ -f "$PROXY/nginx.pid" ] && nginx -p "$PROXY" -c "$PROXY/nginx.conf" -s quit 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $DB with (force)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== stage 1 (build): npm ci, build, prune — as in the Dockerfile"
cp "$REPO/package.json" "$REPO/package-lock.json" "$BUILD/"
(cd "$BUILD" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm rebuild >/dev/null)
cp "$REPO/tsconfig.json" "$REPO/tsconfig.build.json" "$BUILD/"
cp -r "$REPO/bin" "$REPO/src" "$BUILD/"
(cd "$REPO" && tar cf - --exclude=dist --exclude=node_modules console) | (cd "$BUILD" && tar xf -)
(cd "$BUILD" && npm run build >/dev/null && npm prune --omit=dev --no-audit --no-fund --loglevel=error)
(cd "$BUILD/node_modules/better-sqlite3" && mv build/Release/better_sqlite3.node "$WORK/" && rm -rf build deps src && mkdir -p build/Release && mv "$WORK/better_sqlite3.node" build/Release/)

echo "== stage 2 (runtime): only what the final stage copies, owned by root, run as nobody"
cp "$BUILD/package.json" "$RUNTIME/"
cp -r "$BUILD/node_modules" "$BUILD/bin" "$BUILD/dist" "$RUNTIME/"
cp -r "$BUILD/console/dist" "$RUNTIME/console/"
chmod -R a+rX "$WORK" && chown nobody "$RUNTIME/data"
du -sh "$RUNTIME" | sed 's/^/   added to the base image: /'

psql -q -h 127.0.0.1 -U postgres -c "create database $DB"
ENVS=(NODE_ENV=production HOST=0.0.0.0 "ROSTER_DB=postgres://postgres@127.0.0.1:5432/$DB" ROSTER_DB_POOL=5
  ROSTER_REDIS_URL=redis://127.0.0.1:6379 PUBLIC_URL=https://127.0.0.1:18443 LOG_LEVEL=warn)
as_nobody() { (cd "$RUNTIME" && exec runuser -u nobody -- env "${ENVS[@]}" "$@"); }
# `exec`, so that $! is runuser itself, which passes SIGTERM on to Roster.
for i in 1 2; do
  (cd "$RUNTIME" && exec runuser -u nobody -- env "${ENVS[@]}" "PORT=1808$i" node bin/roster.js serve) > "$PROXY/logs/instance-$i.log" 2>&1 &
  PIDS+=($!)
done
for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:18081/readyz >/dev/null && curl -sf http://127.0.0.1:18082/readyz >/dev/null && break
  sleep 0.1
done
KEY=$(as_nobody node bin/roster.js account create --name ImageCheck --plan enterprise --json | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).apiKey)')

echo "== nginx with deploy/nginx.conf (loopback ports, self-signed certificate)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PROXY/certs/privkey.pem" -out "$PROXY/certs/fullchain.pem" -days 1 -subj /CN=localhost 2>/dev/null
{
  echo "pid $PROXY/nginx.pid;"
  echo "error_log $PROXY/logs/error.log warn;"
  sed -e 's#roster-1:8080#127.0.0.1:18081#; s#roster-2:8080#127.0.0.1:18082#' \
      -e 's#listen 80;#listen 127.0.0.1:18000;#; /listen \[::\]/d; s#listen 443 ssl;#listen 127.0.0.1:18443 ssl;#' \
      -e "s#/etc/nginx/certs#$PROXY/certs#; s#/dev/stdout#$PROXY/logs/access.log#; s#/dev/stderr#$PROXY/logs/error.log#" \
      -e "$(nginx -v 2>&1 | grep -qE '/1\.(2[0-4]|1[0-9])\.' && echo 's/^ *http2 on;//')" \
      "$REPO/deploy/nginx.conf"
} > "$PROXY/nginx.conf"
nginx -t -q -p "$PROXY" -c "$PROXY/nginx.conf"
nginx -p "$PROXY" -c "$PROXY/nginx.conf"

scim() { curl -sk -H "Authorization: Bearer $KEY" -H 'Content-Type: application/scim+json' "$@"; }
user() { printf '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true}' "$1"; }
check() { if [ "$2" = "$3" ]; then echo "   ok  $1: $2"; else echo "   FAIL $1: got $2, want $3"; exit 1; fi; }
check "http is redirected" "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18000/scim/v2/Users)" 308
for i in 1 2 3 4; do check "POST /Users #$i through the proxy" "$(scim -o /dev/null -w '%{http_code}' -X POST -d "$(user "u$i@example.com")" https://127.0.0.1:18443/scim/v2/Users)" 201; done
check "the same userName again" "$(scim -o /dev/null -w '%{http_code}' -X POST -d "$(user u1@example.com)" https://127.0.0.1:18443/scim/v2/Users)" 409
check "meta.location uses PUBLIC_URL" "$(scim 'https://127.0.0.1:18443/scim/v2/Users?count=1' | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).Resources[0].meta.location.split("/Users/")[0])')" https://127.0.0.1:18443/scim/v2
head -c 1200000 /dev/zero | tr '\0' a | sed 's/^/{"userName":"/; s/$/"}/' > "$WORK/big.json"
check "a 1.2 MB body gets Roster's SCIM 413" "$(scim -o /dev/null -w '%{http_code} %{content_type}' -X POST --data-binary @"$WORK/big.json" https://127.0.0.1:18443/scim/v2/Users)" "413 application/scim+json; charset=utf-8"
check "/readyz through the proxy" "$(curl -sk https://127.0.0.1:18443/readyz)" '{"status":"ready"}'
check "the console is served" "$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:18443/)" 200
for pid in "${PIDS[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
PIDS=()
echo "image check passed"
