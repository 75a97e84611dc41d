#!/usr/bin/env bash
# HTTP load at regional scale (issue #9; docs/performance.md, "HTTP load at regional scale").
#
#   scripts/load.sh            full run: 60 s warm-up, 3 rounds of 15 s per endpoint (about 10 minutes after the build)
#   scripts/load.sh --quick    smoke run: 20 s warm-up, 1 round of 5 s
#   options: --rounds N  --duration S  --warmup S  --connections C  --regenerate
#   profiling: LOAD_ENDPOINTS="page" LOAD_DURING='dotnet-trace collect -p $APP_PID --duration 00:00:10' scripts/load.sh
#
# Builds Release, generates the 1 M-patient SQLite file once (cached in $LOAD_CACHE, default ~/.cache/reminders-load,
# regenerated when older than 3 days since its bookings are "the coming weeks"), copies it, starts the app in
# Production on the copy (loopback, plain HTTP with X-Forwarded-Proto: https as behind the region's TLS proxy),
# signs in through the real sign-in form, and measures with wrk (scripts/load.lua) at 32 connections, alternating
# with the raw Microsoft.Data.Sqlite lookup served by the bench process on another port. Traffic stays on loopback
# and every wrk run is bounded by its duration. Prints RESULT lines, medians and the app's VmRSS/VmHWM.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=3; DURATION=15; WARMUP=60; CONNECTIONS=32; REGENERATE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=5; WARMUP=20 ;;
    --rounds) ROUNDS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --regenerate) REGENERATE=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

APP_PORT=${LOAD_APP_PORT:-5198}
RAW_PORT=${LOAD_RAW_PORT:-5199}
CACHE=${LOAD_CACHE:-$HOME/.cache/reminders-load}
DATA="$CACHE/load-1m.db"
RUN=$(mktemp -d /tmp/reminders-load.XXXXXX)
API_KEY="load-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PASSWORD="Load-Reminders-2026"
APP_PID=""; RAW_PID=""

cleanup() {
  [[ -n "$APP_PID" ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [[ -n "$RAW_PID" ]] && kill "$RAW_PID" 2>/dev/null && wait "$RAW_PID" 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*"; }
mem() { grep -E '^(VmRSS|VmHWM)' "/proc/$APP_PID/status" | awk '{printf "%s %.0f MB  ", $1, $2/1024}'; echo; }

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "building Release"
dotnet build "$ROOT/src/Reminders.Web" -c Release -v q -nologo >"$RUN/build-web.log" 2>&1 || { cat "$RUN/build-web.log"; exit 1; }
dotnet build "$ROOT/bench/Reminders.Benchmarks" -c Release -v q -nologo >"$RUN/build-bench.log" 2>&1 || { cat "$RUN/build-bench.log"; exit 1; }
BENCH="$ROOT/bench/Reminders.Benchmarks/bin/Release/net10.0/Reminders.Benchmarks.dll"
WEB_BIN="$ROOT/src/Reminders.Web/bin/Release/net10.0"

mkdir -p "$CACHE"
# The cached file is only valid for the migrations it was made with (pre-release, InitialCreate is regenerated).
SCHEMA=$(ls "$ROOT/src/Reminders.Migrations.Sqlite/Migrations" | sha256sum | cut -c1-16)
if [[ $REGENERATE == 1 || ! -f "$DATA" || -n $(find "$DATA" -mmin +4320 2>/dev/null) || $(cat "$DATA.schema" 2>/dev/null) != "$SCHEMA" ]]; then
  log "generating 1 000 000 patients, 200 units, 100 000 bookings into $DATA"
  start=$(date +%s)
  dotnet "$BENCH" generate --patients 1000000 --units 200 --bookings 100000 --out "$DATA"
  log "generated in $(( $(date +%s) - start )) s"
  echo "$SCHEMA" >"$DATA.schema"
fi
log "data set: $DATA, $(du -m "$DATA" | cut -f1) MB, $(wc -l <"$DATA.patients") sampled patients, $(wc -l <"$DATA.bookings") sampled bookings"
cp "$DATA" "$RUN/load.db"

# Production refuses to start without an encrypted key ring and with the Sink provider unless told it is a test
# installation (docs/operations.md): a throw-away self-signed certificate, and Sms:AllowSink (the load sends nothing).
CERT_PASSWORD=$(openssl rand -base64 24)
openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -subj "/CN=Reminders load test" \
  -keyout "$RUN/keyring.key" -out "$RUN/keyring.crt" 2>/dev/null
openssl pkcs12 -export -inkey "$RUN/keyring.key" -in "$RUN/keyring.crt" -out "$RUN/keyring.pfx" -passout "pass:$CERT_PASSWORD"

log "starting the app (Production, Release) on http://127.0.0.1:$APP_PORT"
(
  cd "$RUN"
  export ASPNETCORE_ENVIRONMENT=Production
  export ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT"
  export ConnectionStrings__Reminders="Data Source=$RUN/load.db"
  export Data__Directory="$RUN/data"
  export Api__Keys__0__Name=load-test Api__Keys__0__Key="$API_KEY"
  export DataProtection__Certificate__Path="$RUN/keyring.pfx" DataProtection__Certificate__Password="$CERT_PASSWORD"
  export Sms__AllowSink=true
  # The contract's per-key API limit (200/s, bursts of 1 000) would answer most of one key's 32 connections with 429:
  # the load measures the app behind it, so the limit is lifted here (the limiter has its own tests).
  export RateLimits__ApiPermitsPerSecond=1000000 RateLimits__ApiBurst=1000000
  exec dotnet "$WEB_BIN/Reminders.Web.dll" --contentRoot "$WEB_BIN" >"$RUN/app.log" 2>&1
) &
APP_PID=$!
started=$(date +%s)
until curl -fsS "http://127.0.0.1:$APP_PORT/health" >/dev/null 2>&1; do
  kill -0 "$APP_PID" 2>/dev/null || { cat "$RUN/app.log"; exit 1; }
  sleep 0.5
done
log "app healthy after $(( $(date +%s) - started )) s; idle working set: $(mem)"

dotnet "$BENCH" raw-server --db "$RUN/load.db" --port "$RAW_PORT" >"$RUN/raw.log" 2>&1 &
RAW_PID=$!
until curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RAW_PORT/raw/patient?pnr=x" 2>/dev/null | grep -q 404; do
  kill -0 "$RAW_PID" 2>/dev/null || { cat "$RUN/raw.log"; exit 1; }
  sleep 0.5
done

# --- Sign in through the real form (antiforgery), keep the cookies as one Cookie header. ---
APP="http://127.0.0.1:$APP_PORT"
FWD=(-H "X-Forwarded-Proto: https")
cookies_from() { grep -i '^set-cookie:' "$1" | sed -E 's/^[Ss]et-[Cc]ookie: *([^;]*).*/\1/' | tr -d '\r'; }
join_cookies() { awk -F= '{ k=$1; v[k]=$0; if (!(k in seen)) { seen[k]=1; order[++n]=k } } END { for (i=1;i<=n;i++) { printf "%s%s", (i>1?"; ":""), v[order[i]] } }'; }
form_token() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$1" | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }

sign_in() { # email -> prints the Cookie header value
  local email=$1 dir="$RUN/$1"
  mkdir -p "$dir"
  curl -sS "${FWD[@]}" -D "$dir/h1" -o "$dir/b1" "$APP/Account/SignIn"
  local token af
  token=$(form_token "$dir/b1"); af=$(cookies_from "$dir/h1" | join_cookies)
  [[ -n "$token" ]] || { echo "no antiforgery token on the sign-in page" >&2; exit 1; }
  curl -sS "${FWD[@]}" -H "Cookie: $af" -D "$dir/h2" -o "$dir/b2" \
    --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "$APP/Account/SignIn"
  grep -q '^HTTP/1.1 302' "$dir/h2" || { echo "sign-in of $email failed:"; cat "$dir/h2"; exit 1; } >&2
  { cookies_from "$dir/h1"; cookies_from "$dir/h2"; } | join_cookies
}
RECEPTION_COOKIE=$(sign_in reception@load.invalid)
MANAGER_COOKIE=$(sign_in manager@load.invalid)
[[ $(curl -sS "${FWD[@]}" -H "Cookie: $RECEPTION_COOKIE" -o "$RUN/checkin.html" -w '%{http_code}' "$APP/CheckIn") == 200 ]] || { echo "GET /CheckIn as the receptionist failed" >&2; exit 1; }
SEARCH_TOKEN=$(form_token "$RUN/checkin.html")
log "signed in: receptionist and unit manager (cookies from the sign-in form)"

# --- Check that each endpoint answers with the real thing for a sample, before loading it. ---
shuf -n 20 --random-source=<(yes) "$DATA.patients" >"$RUN/sample"
while read -r id pnr; do
  loc=$(curl -sS "${FWD[@]}" -H "Cookie: $RECEPTION_COOKIE" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "Search.Query=$pnr" --data-urlencode "__RequestVerificationToken=$SEARCH_TOKEN" "$APP/CheckIn?handler=Search")
  [[ "$loc" == "302 "*"/CheckIn/Patient?id=$id" ]] || { echo "search for patient $id answered '$loc'" >&2; exit 1; }
  page=$(curl -sS "${FWD[@]}" -H "Cookie: $RECEPTION_COOKIE" -w '\n%{http_code}' "$APP/CheckIn/Patient?id=$id")
  [[ "${page##*$'\n'}" == 200 && "$page" == *"${pnr:0:8}-${pnr:8:4}"* ]] || { echo "patient page $id does not show the patient" >&2; exit 1; }
  raw=$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$RAW_PORT/raw/patient?pnr=$pnr")
  [[ "${raw##*$'\n'}" == 200 && "$raw" == *"$pnr"* ]] || { echo "raw lookup $pnr failed" >&2; exit 1; }
done <"$RUN/sample"
booking=$(head -1 "$DATA.bookings")
answer=$(curl -sS "${FWD[@]}" -H "X-Api-Key: $API_KEY" -w '\n%{http_code}' "$APP/api/v1/bookings/$booking/messages")
[[ "${answer##*$'\n'}" == 200 && "$answer" == *'"messages"'* ]] || { echo "API booking messages failed: $answer" >&2; exit 1; }
answer=$(curl -sS "${FWD[@]}" -H "Cookie: $MANAGER_COOKIE" -w '\n%{http_code}' "$APP/Reports/Blocked")
[[ "${answer##*$'\n'}" == 200 && "$answer" == *'Patienter som blockerar mina enheter'* ]] || { echo "manager report failed" >&2; exit 1; }
answer=$(curl -sS "${FWD[@]}" -H "Cookie: $MANAGER_COOKIE" -w '\n%{http_code}' "$APP/Reports")
[[ "${answer##*$'\n'}" == 200 && "$answer" == *'data-testid="overview"'* ]] || { echo "manager overview failed" >&2; exit 1; }
log "checked: 20 random patients found by search, shown on their page and by the raw lookup; API, report and overview answer 200"

# --- Load. ---
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
run() { # label kind port inputs expect marker cookie seconds
  # Besides wrk's figures: the server process's CPU time per request (utime + stime, 100 ticks/s), which the other
  # work on a shared machine disturbs far less than throughput and latency.
  local pid=$APP_PID out before after
  [[ $3 == "$RAW_PORT" ]] && pid=$RAW_PID
  before=$(cpu_ticks "$pid")
  out=$(LOAD_NAME=$1 LOAD_KIND=$2 LOAD_INPUTS=$4 LOAD_EXPECT=$5 LOAD_MARKER=$6 LOAD_COOKIE=$7 LOAD_TOKEN="$SEARCH_TOKEN" LOAD_API_KEY="$API_KEY" \
    wrk -t1 -c"$CONNECTIONS" -d"${8}s" --timeout 10s -s "$ROOT/scripts/load.lua" "http://127.0.0.1:$3" | grep '^RESULT')
  after=$(cpu_ticks "$pid")
  echo "$out" | awk -v t=$(( after - before )) -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    { for (i = 1; i <= NF; i++) if ($i ~ /^requests=/) { split($i, kv, "="); n = kv[2] }
      printf "%s cpu_ms_per_request=%.2f load=%s\n", $0, (n > 0 ? t * 10 / n : 0), load }'
}
search() { run search search "$APP_PORT" "$DATA.patients" 302 "/CheckIn/Patient?id=" "$RECEPTION_COOKIE" "$1"; }
page() { run page page "$APP_PORT" "$DATA.patients" 200 "Patientens sms-p" "$RECEPTION_COOKIE" "$1"; }
api() { run api api "$APP_PORT" "$DATA.bookings" 200 '"messages"' "" "$1"; }
report() { run report report "$APP_PORT" "$DATA.patients" 200 "Patienter som blockerar mina enheter" "$MANAGER_COOKIE" "$1"; }
overview() { LOAD_PATH=/Reports run overview report "$APP_PORT" "$DATA.patients" 200 'data-testid="overview"' "$MANAGER_COOKIE" "$1"; }
raw() { run raw raw "$RAW_PORT" "$DATA.patients" 200 "<p>" "" "$1"; }

log "warm-up ${WARMUP} s (all endpoints, results discarded)"
slice=$(( WARMUP / 5 > 1 ? WARMUP / 5 : 1 ))
for f in raw search page api report overview; do $f "$slice" >/dev/null; done

# Profiling hooks: LOAD_ENDPOINTS narrows the measured runs (e.g. "page"); LOAD_DURING is a command started in the
# background when the measured runs start, with APP_PID set (e.g. dotnet-trace or dotnet-counters on the app).
if [[ -n ${LOAD_DURING:-} ]]; then
  log "started beside the load: $LOAD_DURING"
  APP_PID=$APP_PID bash -c "$LOAD_DURING" >"$RUN/during.log" 2>&1 &
fi
RESULTS="$RUN/results"
for r in $(seq 1 "$ROUNDS"); do
  log "round $r of $ROUNDS (${DURATION} s each; the raw lookup alternates with the product)"
  for f in ${LOAD_ENDPOINTS:-raw search page raw api report overview}; do
    $f "$DURATION" | sed "s/^RESULT /RESULT round=$r /" | tee -a "$RESULTS"
  done
done
log "working set after the load: $(mem)"
# Where it is: anonymous memory (GC heap, runtime, SQLite, stacks), JIT'd code (mapped twice under W^X, shown as
# /memfd:doublemapper) and mapped files (assemblies, native libraries).
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 } /^Rss:/ { if (name ~ /doublemapper/) code += $2; else if (name ~ /^\//) files += $2; else anon += $2 }
  END { printf "  anonymous %.0f MB, JIT code %.0f MB, mapped files %.0f MB\n", anon / 1024, code / 1024, files / 1024 }' "/proc/$APP_PID/smaps"

echo
echo "Medians over $ROUNDS round(s), $CONNECTIONS connections, ${DURATION} s per run:"
for name in search page api report overview raw; do
  grep -q " $name " "$RESULTS" || continue
  grep " $name " "$RESULTS" | awk -v name="$name" '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] + 0 }
      n++; rps[n] = v["rps"]; p50[n] = v["p50"]; p95[n] = v["p95"]; p99[n] = v["p99"]; cpu[n] = v["cpu_ms_per_request"]; bad += v["wrong_status"] + v["wrong_body"] + v["socket_errors"] }
    END { printf "MEDIAN %-7s rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms cpu_ms_per_request=%.2f runs=%d wrong_or_errors=%d\n", name, med(rps, n), med(p50, n), med(p95, n), med(p99, n), med(cpu, n), n, bad }'
done | tee "$RUN/medians"
raw_rps=$(awk '/MEDIAN raw/ { split($3, kv, "="); print kv[2] }' "$RUN/medians")
for name in search page; do
  [[ -n $raw_rps ]] || break  # the raw lookup not among LOAD_ENDPOINTS: no ratio
  awk -v name="$name" -v raw="$raw_rps" '$2 == name { split($3, kv, "="); printf "RATIO %s / raw = %.2f\n", name, kv[2] / raw }' "$RUN/medians"
done
log "done; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# A run with wrong answers measured something else (a refusal, an error page): it fails, so its figures are not used.
if awk -F'wrong_or_errors=' '/^MEDIAN/ && $2 + 0 > 0 { bad = 1 } END { exit !bad }' "$RUN/medians"; then
  echo "some requests got a wrong status or body, or a socket error (wrong_or_errors above): these figures are not valid" >&2
  exit 1
fi
