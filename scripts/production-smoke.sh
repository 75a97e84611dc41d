#!/usr/bin/env bash
# The README's production section followed step by step, from this checkout: publish, a self-signed key-ring
# certificate made with openssl, the first admin, start, GET /health/ready, stop. SQLite in a fresh data folder,
# Sms:AllowSink=true (a test installation: nothing is sent). Then the store holds the admin and no demo data.
# Exits non-zero at the first step that fails. Usage: scripts/production-smoke.sh [--keep] (keep the folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/reminders-smoke.XXXXXX)
keep=${1:-}
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  if [[ "$keep" != "--keep" ]]; then rm -rf "$work"; else echo "smoke: kept $work"; fi
}
trap cleanup EXIT
step() { echo "smoke: $*" >&2; }

step "1. publish (dotnet publish -c Release)"
dotnet publish "$root/src/Reminders.Web" -c Release -o "$work/app" --nologo -v q >&2

step "2. key-ring certificate (openssl, self-signed RSA 2048, PFX with a password)"
password=$(openssl rand -base64 24)
openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -subj "/CN=Reminders key ring" \
  -keyout "$work/keyring.key" -out "$work/keyring.crt" 2>/dev/null
openssl pkcs12 -export -inkey "$work/keyring.key" -in "$work/keyring.crt" -out "$work/keyring.pfx" -passout "pass:$password"
rm "$work/keyring.key"

step "3. configuration (environment variables, as README 'Production')"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ASPNETCORE_ENVIRONMENT=Production
export ASPNETCORE_URLS="http://127.0.0.1:$port"
export Data__Directory="$work/data"
export DataProtection__Certificate__Path="$work/keyring.pfx"
export DataProtection__Certificate__Password="$password"
export Sms__AllowSink=true

step "4. first admin (create-admin), run from the published folder"
cd "$work/app"
./Reminders.Web create-admin first.admin@region.example > "$work/admin.json"
python3 - "$work/admin.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["email"] == "first.admin@region.example", report
assert len(report["password"]) >= 16 and report["mustChangePassword"] is True, "no one-time password"
PY

step "5. start and wait for /health/ready"
./Reminders.Web > "$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" > "$work/ready.json" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$work/app.log" >&2; echo "smoke: the app exited" >&2; exit 1; }
  sleep 0.5
done
grep -q '"status":"Healthy"' "$work/ready.json" || { cat "$work/ready.json" "$work/app.log" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/health/live" > /dev/null

step "6. the store: one admin, no demo units, patients or accounts; logs under Data:Directory/logs"
python3 - "$work/data/reminders.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
count = lambda table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
assert count("AspNetUsers") == 1, "expected the admin alone"
assert count("Units") == 0 and count("Patients") == 0 and count("Bookings") == 0, "demo data in a production store"
keys = db.execute('SELECT "Xml" FROM "DataProtectionKeys"').fetchall()
assert all("EncryptedData" in xml for (xml,) in keys), "a key-ring key stored unencrypted"
PY
ls "$work/data/logs"/reminders-*.log > /dev/null

step "7. stop"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "smoke: passed (published app, Production, SQLite, Sink allowed, key ring encrypted, first admin, ready)"
