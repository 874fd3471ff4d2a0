#!/usr/bin/env bash
# Builds a local stand-in for the `node:20-bookworm-slim` image on machines that cannot pull from a
# container registry (the project's machines and CI cannot). Where `docker pull
# node:20-bookworm-slim` works, this script is not needed.
#
# What it does:
#   1. debootstraps a minimal Debian bookworm root (cached as a tarball, so later runs skip the
#      download and unpacking, which are most of the time);
#   2. adds this machine's Node.js 20 (`command -v node`, plus npm from the same install prefix),
#      because Debian bookworm's own `nodejs` package is 18, too old;
#   3. adds this machine's CA bundle and points Node at it (NODE_EXTRA_CA_CERTS), so `npm ci`
#      inside `docker build` trusts whatever this machine trusts to reach the npm registry;
#   4. `docker import`s the result and tags it `node:20-bookworm-slim`, so docker/Dockerfile's
#      default BASE_IMAGE resolves locally and `docker compose build` needs no arguments.
#
# Usage: docker/build-local-base.sh [--force] [--refresh-rootfs]
#   --force           rebuild the image even if the tag exists
#   --refresh-rootfs  also run debootstrap again instead of using the cached root tarball
# Environment:
#   BASE_IMAGE_TAG  tag to produce (default node:20-bookworm-slim)
#   DEBIAN_MIRROR   Debian mirror for debootstrap (default http://deb.debian.org/debian)
#   NODE_BIN        node binary to copy (default: `command -v node`; must be Node 20)
#   CACHE_DIR       where the debootstrapped root is cached (default ~/.cache/subtensor-ts)
set -euo pipefail

TAG="${BASE_IMAGE_TAG:-node:20-bookworm-slim}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/subtensor-ts}"
ROOTFS_CACHE="$CACHE_DIR/debian-$SUITE-minbase-rootfs.tar.gz"

log() { echo "[build-local-base] $*" >&2; }
die() { log "error: $*"; exit 1; }

force=0
refresh=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --refresh-rootfs) refresh=1; force=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "cannot talk to the Docker daemon (is dockerd running? are you allowed to use it?)"

if [ "$force" = 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG already exists; nothing to do (use --force to rebuild)"
  exit 0
fi

# --- the Node.js to copy -----------------------------------------------------------------------
node_bin="$(readlink -f "${NODE_BIN:-$(command -v node || true)}")"
[ -x "$node_bin" ] || die "no node binary found (set NODE_BIN)"
node_version="$("$node_bin" -p 'process.versions.node')"
[ "${node_version%%.*}" = 20 ] || die "$node_bin is Node $node_version; the image is tagged node:20, so Node 20 is required (set NODE_BIN)"
node_prefix="$(dirname "$(dirname "$node_bin")")"
npm_dir="$node_prefix/lib/node_modules/npm"
[ -f "$npm_dir/bin/npm-cli.js" ] || die "npm not found at $npm_dir (expected beside $node_bin)"
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -s "$ca_bundle" ] || die "CA bundle $ca_bundle not found"
# The registry this machine's npm uses; written into the image so `npm ci` there uses the same.
registry="$(cd / && "$node_bin" "$npm_dir/bin/npm-cli.js" config get registry 2>/dev/null || echo https://registry.npmjs.org/)"

[ "$(id -u)" = 0 ] || die "debootstrap and the ownership of the root files need root"

work="$(mktemp -d "${TMPDIR:-/tmp}/subtensor-base.XXXXXX")"
cleanup() {
  # debootstrap mounts /proc and friends inside the target; an interrupted run can leave them
  # mounted, and rm -rf through a mounted /proc or /sys would be a disaster. Unmount first
  # (deepest first), then remove without crossing file systems.
  local m
  for m in $(awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the Debian root, cached -----------------------------------------------------------------
if [ "$refresh" = 1 ] || [ ! -s "$ROOTFS_CACHE" ]; then
  if ! command -v debootstrap >/dev/null; then
    command -v apt-get >/dev/null || die "debootstrap is not installed and apt-get is not available"
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } \
      || die "could not install debootstrap"
  fi
  log "debootstrapping Debian $SUITE (minbase) from $MIRROR (a few minutes; cached afterwards)"
  t0=$SECONDS
  debootstrap --variant=minbase --components=main "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # Trim what a container never uses, as the official -slim images do; the host-specific files
  # (resolv.conf, hostname) are provided by Docker at run time.
  rm -rf "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/cache/apt/* "$work/rootfs"/var/log/* \
    "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/* "$work/rootfs"/usr/share/info/* \
    "$work/rootfs"/debootstrap "$work/rootfs"/etc/resolv.conf "$work/rootfs"/etc/hostname
  mkdir -p "$CACHE_DIR"
  tar -C "$work/rootfs" --numeric-owner -czf "$ROOTFS_CACHE.tmp" .
  mv "$ROOTFS_CACHE.tmp" "$ROOTFS_CACHE"
  rm -rf --one-file-system "$work/rootfs"
  log "cached the root in $ROOTFS_CACHE ($((SECONDS - t0)) s)"
else
  log "using the cached root $ROOTFS_CACHE"
fi

# --- 2 and 3. Node, npm, CA bundle --------------------------------------------------------------
root="$work/root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xzf "$ROOTFS_CACHE"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
# The same layout as the official image: npm and npx are symlinks into npm's package.
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
install -D -m 0644 "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
# npm's global config for prefix /usr/local. update-notifier off: no extra request in builds.
mkdir -p "$root/usr/local/etc"
printf 'registry=%s\nupdate-notifier=false\n' "$registry" >"$root/usr/local/etc/npmrc"

# --- 4. import -----------------------------------------------------------------------------------
log "importing as $TAG (Node $node_version, npm from $npm_dir, registry $registry)"
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  --message "local stand-in for node:20-bookworm-slim: debootstrap $SUITE minbase + Node $node_version (docker/build-local-base.sh)" \
  - "$TAG" >/dev/null

got="$(docker run --rm "$TAG" node -p 'process.versions.node')" || die "the imported image does not run node"
[ "$got" = "$node_version" ] || die "the imported image runs Node $got, expected $node_version"
docker run --rm "$TAG" npm --version >/dev/null || die "npm does not run in the imported image"
log "done: $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
