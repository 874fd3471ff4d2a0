#!/usr/bin/env bash
# `npm run test:docker [MODE]`: proves the image and the compose files for real.
#
# MODE (argument, or $SUBTENSOR_DOCKER_TEST; default `all`):
#   dev      the image (contents, `key inspect //Alice`) and the one-container dev localnet
#            (docker/dev/docker-compose.yml): healthy, blocks advance and finalize, a transfer signed
#            with @polkadot/api through the published 127.0.0.1 port is finalized
#   testnet  the image and the 4-authority + RPC testnet (docker/docker-compose.yml): every node has
#            ≥ 3 peers, best and finalized advance everywhere, a transfer through the RPC node is
#            finalized and visible on every node, finality continues with one authority stopped,
#            the restarted authority catches up
#   all      dev, then testnet
#   auto     dev, then testnet if the image's `start` has the network flags (--bootnodes,
#            --node-key); says loudly when it skips. For CI until the network lands.
#
# What it does: installs Debian's docker.io and docker-compose when missing, starts dockerd when
# none runs (and stops it again at the end), builds the local base image (docker/build-local-base.sh,
# skipped when the tag exists) and the node image, then runs each mode under its own compose project
# (subtensor-ci-dev, subtensor-ci-testnet) on free 127.0.0.1 ports. Whatever happens (failure,
# Ctrl-C, TERM) it prints the containers' last log lines on failure, runs `down -v`, and checks that
# no container, network or volume of its projects is left.
#
# Environment: SUBTENSOR_CI_BLOCK_TIME_MS (testnet slot, default 3000), IMAGE (default
# subtensor-ts:latest), KEEP_DOCKERD=1 (leave a dockerd this script started running).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE="${1:-${SUBTENSOR_DOCKER_TEST:-all}}"
case "$MODE" in dev | testnet | all | auto) ;; *) echo "usage: $0 [dev|testnet|all|auto]" >&2; exit 2 ;; esac
IMAGE="${IMAGE:-subtensor-ts:latest}"
TESTNET_BLOCK_TIME_MS="${SUBTENSOR_CI_BLOCK_TIME_MS:-3000}"
DEV_BLOCK_TIME_MS=1000
CHECKER=test/docker/check.mjs
# Where the checker sits in the node image when it runs on a compose network: under /app, so that
# its imports resolve the image's own node_modules (@polkadot/api is a production dependency).
CHECKER_IN_IMAGE=/app/test/docker/check.mjs

START=$SECONDS
WORK="$(mktemp -d "${TMPDIR:-/tmp}/subtensor-docker-test.XXXXXX")"
STARTED_DOCKERD_PID=""
ACTIVE_PROJECTS=()  # compose projects this run brought up and has not yet taken down
declare -A PROJECT_FILE=()
TIMINGS=()

log() { printf '[test:docker +%ss] %s\n' "$((SECONDS - START))" "$*"; }
die() { log "FAILED: $*" >&2; exit 1; }
timed() { # timed LABEL CMD...: run CMD, remember how long it took
  local label="$1" t0=$SECONDS
  shift
  "$@"
  TIMINGS+=("$label $((SECONDS - t0)) s")
}

# ---------------------------------------------------------------- teardown, on every exit

# Every step that could wait on something outside this script is bounded: bash runs its traps only
# when the foreground command returns, so a hung command would also hang the teardown.
# --foreground keeps the command in our process group, so Ctrl-C still reaches it directly.
bounded() { # bounded SECONDS CMD...
  timeout --foreground -k 30 "$@"
}
compose_p() { # compose_p PROJECT ARGS...: compose on a project's file (up waits for the health chain)
  local p="$1"
  shift
  bounded 300 "${COMPOSE[@]}" -p "$p" -f "${PROJECT_FILE[$p]}" "$@"
}

leftovers() { # prints what is left of a project (containers, networks, volumes); nothing if clean
  # By compose's project label and by name prefix, so neither a label-less leftover nor one under
  # another label scheme escapes. Always succeeds: callers compare the output.
  local p="$1" f="label=com.docker.compose.project=$1"
  {
    docker ps -a --filter "$f" --format 'container {{.Names}}'
    docker ps -a --format 'container {{.Names}}' | grep -E "^container ${p}[-_]"
    docker network ls --filter "$f" --format 'network {{.Name}}'
    docker network ls --format 'network {{.Name}}' | grep -E "^network ${p}_"
    docker volume ls --filter "$f" --format 'volume {{.Name}}'
    docker volume ls --format 'volume {{.Name}}' | grep -E "^volume ${p}_"
  } 2>/dev/null | sort -u || true
}

teardown() { # teardown PROJECT: down -v, then prove nothing is left
  local p="$1" left
  docker rm -f "$p-check" >/dev/null 2>&1 || true  # a checker container orphaned by an interrupt
  compose_p "$p" down -v --remove-orphans --timeout 20 >"$WORK/down-$p.log" 2>&1 || { cat "$WORK/down-$p.log" >&2; return 1; }
  left="$(leftovers "$p")"
  [ -z "$left" ] || { log "after down -v, project $p still has:" >&2; echo "$left" >&2; return 1; }
  local keep=()
  for q in "${ACTIVE_PROJECTS[@]}"; do [ "$q" = "$p" ] || keep+=("$q"); done
  ACTIVE_PROJECTS=("${keep[@]+"${keep[@]}"}")
  log "$p: down -v left no container, network or volume behind"
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for p in "${ACTIVE_PROJECTS[@]+"${ACTIVE_PROJECTS[@]}"}"; do
    if [ "$rc" != 0 ]; then
      echo "---------------- $p: containers ----------------"
      compose_p "$p" ps 2>&1
      echo "---------------- $p: last log lines ----------------"
      compose_p "$p" logs --no-color --tail=40 2>&1
      echo "------------------------------------------------"
    fi
    teardown "$p" || rc=1
  done
  if [ -n "$STARTED_DOCKERD_PID" ] && [ "${KEEP_DOCKERD:-0}" != 1 ]; then
    log "stopping the dockerd this run started (pid $STARTED_DOCKERD_PID)"
    kill -TERM "$STARTED_DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$STARTED_DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$WORK"
  if [ "$rc" = 0 ]; then
    log "docker test ($MODE) passed in $((SECONDS - START)) s ($(printf '%s, ' "${TIMINGS[@]}" | sed 's/, $//'))"
  elif [ "$rc" = 130 ] || [ "$rc" = 143 ]; then
    log "docker test ($MODE) interrupted after $((SECONDS - START)) s; cleaned up" >&2
  else
    log "docker test ($MODE) FAILED after $((SECONDS - START)) s" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- docker itself

apt_install() {
  [ "$(id -u)" = 0 ] || die "need to install $* but not root; install it and run again"
  command -v apt-get >/dev/null || die "need $* and there is no apt-get; install it and run again"
  log "installing $* (Debian packages)"
  bounded 600 apt-get update -qq >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive bounded 900 apt-get install -y -qq --no-install-recommends "$@" >>"$WORK/apt.log" 2>&1 \
    || { tail -n 30 "$WORK/apt.log" >&2; die "apt-get install $* failed"; }
}

ensure_docker() {
  # dockerd is the daemon; some machines have a docker CLI but no engine.
  command -v dockerd >/dev/null || apt_install docker.io
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  else
    command -v docker-compose >/dev/null || apt_install docker-compose
    COMPOSE=(docker-compose)
  fi
  if ! docker info >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "no Docker daemon answers, and only root can start one"
    log "no Docker daemon answers: starting dockerd (log: $WORK/dockerd.log)"
    dockerd >"$WORK/dockerd.log" 2>&1 &
    STARTED_DOCKERD_PID=$!
    local deadline=$((SECONDS + 60))
    until docker info >/dev/null 2>&1; do
      kill -0 "$STARTED_DOCKERD_PID" 2>/dev/null || { tail -n 30 "$WORK/dockerd.log" >&2; die "dockerd exited"; }
      [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
      sleep 0.5
    done
  fi
  log "docker $(docker version -f '{{.Server.Version}}'), compose: ${COMPOSE[*]} $("${COMPOSE[@]}" version --short 2>/dev/null || true)"
}

# ---------------------------------------------------------------- images

build_images() {
  timed base-image bounded 1200 docker/build-local-base.sh
  log "building $IMAGE (log: $WORK/build.log)"
  local t0=$SECONDS
  bounded 1200 docker build --force-rm -f docker/Dockerfile -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
    || { tail -n 40 "$WORK/build.log" >&2; die "docker build failed (last lines above)"; }
  TIMINGS+=("node-image $((SECONDS - t0)) s")
  log "built $IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

check_image() {
  # What the issue asks of the runtime image, checked on the image itself.
  local cfg
  cfg="$(docker image inspect -f '{{json .Config}}' "$IMAGE")"
  node -e '
    const c = JSON.parse(process.argv[1]);
    const want = (ok, what) => { if (!ok) { console.error(`image check failed: ${what}`); process.exit(1); } };
    want(c.User && c.User !== "root" && c.User !== "0", `runs as a non-root user (User=${c.User})`);
    want(c.Volumes && "/data" in c.Volumes, "declares the /data volume");
    for (const p of ["9944/tcp", "30333/tcp", "9615/tcp"]) want(c.ExposedPorts && p in c.ExposedPorts, `exposes ${p}`);
    want(JSON.stringify(c.Entrypoint) === JSON.stringify(["subtensor-ts"]), `ENTRYPOINT ["subtensor-ts"] (is ${JSON.stringify(c.Entrypoint)})`);
    want(c.Healthcheck && c.Healthcheck.Test.join(" ").includes("healthcheck"), "has the system_health HEALTHCHECK");
  ' "$cfg"
  docker run --rm --entrypoint sh "$IMAGE" -c '
    set -e
    [ "$(id -u)" != 0 ] || { echo "runs as root"; exit 1; }
    [ -w /data ] || { echo "/data is not writable by the node user"; exit 1; }
    for dev in typescript vitest fast-check @types/ws; do
      [ ! -e "node_modules/$dev" ] || { echo "dev dependency $dev is in the image"; exit 1; }
    done
    ! command -v tsc >/dev/null || { echo "a TypeScript compiler is in the image"; exit 1; }
    t="$(find /app/dist -name "*.test.*" -o -name "*.test-helper.*" | head -n 3)"
    [ -z "$t" ] || { echo "test files in the image: $t"; exit 1; }
  ' || die "the image has what it should not (see above)"
  local out
  out="$(docker run --rm "$IMAGE" key inspect //Alice)" || die "docker run $IMAGE key inspect //Alice failed"
  grep -q 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY <<<"$out" || die "key inspect //Alice printed an unexpected address: $out"
  log "image: non-root, /data volume, ports, healthcheck, no dev dependencies or tests; key inspect //Alice → 5GrwvaEF…"
}

# ---------------------------------------------------------------- helpers for a running project

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

up() { # up PROJECT FILE: bring a project up from the image just built
  local p="$1"
  PROJECT_FILE[$p]="$2"
  # a previous run that was killed hard may have left this project behind
  [ -z "$(leftovers "$p")" ] || { log "$p: removing what an earlier run left"; compose_p "$p" down -v --remove-orphans --timeout 5 >/dev/null 2>&1 || true; }
  ACTIVE_PROJECTS+=("$p")
  compose_p "$p" up -d --no-build 2>&1 | sed "s/^/[$p] /" || die "$p: compose up failed"
}

wait_healthy() { # wait_healthy PROJECT TIMEOUT_S: every container of the project reports healthy
  local p="$1" deadline=$((SECONDS + $2)) ids states
  while :; do
    ids="$(compose_p "$p" ps -q)"
    [ -n "$ids" ] || die "$p: no containers"
    # shellcheck disable=SC2086
    states="$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' $ids)"
    if ! grep -qv ' running healthy$' <<<"$states"; then
      log "$p: all healthy ($(wc -l <<<"$states") containers)"
      return 0
    fi
    if grep -Eq ' (exited|dead) ' <<<"$states"; then die "$p: a container stopped: $(grep -E ' (exited|dead) ' <<<"$states" | tr '\n' ' ')"; fi
    [ $SECONDS -lt $deadline ] || die "$p: not healthy within $2 s: $(grep -v ' running healthy$' <<<"$states" | tr '\n' ' ')"
    sleep 1
  done
}

check_in_network() { # check_in_network PROJECT CHECKER-ARGS...: run the checker on the compose network
  local p="$1"
  shift
  # (the checker has its own deadlines; `bounded` only stops one that hangs regardless)
  bounded 600 docker run --rm --name "$p-check" --network "${p}_default" \
    -v "$PWD/$CHECKER:$CHECKER_IN_IMAGE:ro" --entrypoint node "$IMAGE" "$CHECKER_IN_IMAGE" "$@" 2>&1 \
    | sed "s/^/[$p] /" || die "$p: $1 checks failed"
}

# ---------------------------------------------------------------- the modes

dev_test() {
  local p=subtensor-ci-dev port
  port="$(free_port)"
  log "dev: docker/dev/docker-compose.yml as $p, RPC on 127.0.0.1:$port, ${DEV_BLOCK_TIME_MS} ms blocks"
  # Exported, not prefixed: every later compose call on this project must see the same values.
  export SUBTENSOR_RPC_PORT=$port SUBTENSOR_BLOCK_TIME_MS=$DEV_BLOCK_TIME_MS
  up "$p" docker/dev/docker-compose.yml
  wait_healthy "$p" 90
  # From the host, through the published port, exactly as the README tells users to connect.
  node docker/healthcheck.cjs "http://127.0.0.1:$port/" 2>&1 | sed "s/^/[$p] 127.0.0.1:$port /" \
    || die "$p: the published RPC port 127.0.0.1:$port does not answer system_health"
  bounded 600 node "$CHECKER" dev --node "dev=ws://127.0.0.1:$port" --block-time "$DEV_BLOCK_TIME_MS" 2>&1 \
    | sed "s/^/[$p] /" || die "$p: dev checks failed"
  teardown "$p"
}

testnet_supported() {
  local help
  help="$(docker run --rm "$IMAGE" start --help 2>&1)" || return 1
  grep -q -- --bootnodes <<<"$help" && grep -q -- --node-key <<<"$help"
}

testnet_test() {
  local p=subtensor-ci-testnet port bt=$TESTNET_BLOCK_TIME_MS
  node docker/node-keys.mjs --check docker/docker-compose.yml
  # The node's own derivation must give the peer ids written into the compose file.
  # (grep the help: `key inspect-node-key --help` would print key's help and succeed without it)
  if docker run --rm "$IMAGE" key --help 2>&1 | grep -q inspect-node-key; then
    node docker/node-keys.mjs --json | node -e '
      const rows = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const r of rows) console.log(`${r.service} ${r.key} ${r.peerId}`);' >"$WORK/keys"
    while read -r service key peer; do
      got="$(docker run --rm "$IMAGE" key inspect-node-key --node-key "$key")" || die "key inspect-node-key failed for $service"
      grep -qF "$peer" <<<"$got" || die "subtensor-ts key inspect-node-key gives $service the peer id '$got', docker/node-keys.mjs says $peer"
    done <"$WORK/keys"
    log "testnet: subtensor-ts key inspect-node-key agrees with the compose file's peer ids"
  fi

  port="$(free_port)"
  log "testnet: docker/docker-compose.yml as $p, RPC node on 127.0.0.1:$port, ${bt} ms blocks"
  SUBTENSOR_METRICS_PORT="$(free_port)"
  export SUBTENSOR_RPC_PORT=$port SUBTENSOR_METRICS_PORT SUBTENSOR_BLOCK_TIME_MS=$bt
  up "$p" docker/docker-compose.yml
  wait_healthy "$p" 120
  node docker/healthcheck.cjs "http://127.0.0.1:$port/" 2>&1 | sed "s/^/[$p] 127.0.0.1:$port /" \
    || die "$p: the RPC node's published port 127.0.0.1:$port does not answer system_health"

  local all=(--node rpc=ws://rpc:9944 --node alice=ws://alice:9944 --node bob=ws://bob:9944
    --node charlie=ws://charlie:9944 --node dave=ws://dave:9944 --block-time "$bt")
  check_in_network "$p" testnet "${all[@]}" --via rpc --min-peers 3

  log "testnet: stopping bob (one of four authorities)"
  compose_p "$p" stop bob 2>&1 | sed "s/^/[$p] /" || die "$p: could not stop bob"
  check_in_network "$p" finality --node rpc=ws://rpc:9944 --node alice=ws://alice:9944 \
    --node charlie=ws://charlie:9944 --node dave=ws://dave:9944 --block-time "$bt" --min-blocks 3

  log "testnet: starting bob again"
  compose_p "$p" start bob 2>&1 | sed "s/^/[$p] /" || die "$p: could not start bob"
  wait_healthy "$p" 90
  check_in_network "$p" catchup --node bob=ws://bob:9944 --node rpc=ws://rpc:9944 --target bob --ref rpc \
    --block-time "$bt" --min-peers 3
  teardown "$p"
}

# ---------------------------------------------------------------- main

[ -f node_modules/@polkadot/api/package.json ] || die "run npm ci first (the checker uses @polkadot/api from node_modules)"
ensure_docker
build_images
check_image
case "$MODE" in
  dev) timed dev dev_test ;;
  testnet) timed testnet testnet_test ;;
  all) timed dev dev_test; timed testnet testnet_test ;;
  auto)
    timed dev dev_test
    if testnet_supported; then
      timed testnet testnet_test
    else
      log "SKIPPED testnet: this build's \`subtensor-ts start\` has no --bootnodes/--node-key (the network, issue 8); run mode 'all' once it does"
    fi
    ;;
esac
