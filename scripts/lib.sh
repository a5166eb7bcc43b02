# Shared by scripts/run and scripts/test: finds or installs every tool Assay needs, so a
# fresh Debian machine with rustup needs nothing else. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ASSAY_CACHE_DIR:-$HOME/.cache/assay}"
# A target directory outside the clone, reused across clones and CI runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
TOOLS="$CACHE/tools"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk maps NO_COLOR to a boolean flag and rejects "1".
if [ -n "${NO_COLOR:-}" ]; then export NO_COLOR=true; fi

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

lock_version() { # the version of crate $1 in Cargo.lock
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
    log "installing Trunk 0.21 (a few minutes, once)"
    cargo install trunk --version '^0.21' --locked
  fi
  local bindgen
  bindgen="$(lock_version wasm-bindgen)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
    log "installing wasm-bindgen-cli $bindgen (matches Cargo.lock)"
    # No --locked: its lockfile wants a crate release the registry lacks.
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing wasm-opt 132 (npm binaryen; Debian's is too old)"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent binaryen@132.0.0
  fi
  if [ "$(node -p "require('$TOOLS/node_modules/terser/package.json').version" 2>/dev/null)" != 5.51.4 ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing terser 5.51.4 (npm; minifies the web app's JavaScript in release builds)"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent --save-exact terser@5.51.4
  fi
  # Splits the client app's wasm at its lazy routes (scripts/build-wasm); the version Leptos
  # 0.8's wasm_split_helpers is made for.
  if ! cargo install --list | grep -qx 'wasm_split_cli_support v0.2.4:'; then
    log "installing wasm-split-cli 0.2.4 (a few minutes, once)"
    cargo install wasm_split_cli_support --version 0.2.4 --features build-binary --locked
  fi
  if ! command -v brotli >/dev/null; then
    log "installing brotli (the release build ships brotli copies of its assets)"
    apt_install brotli
  fi
}

build_frontend() {
  log "building the web app (trunk build --release), then the vendor portal's own bundle"
  # The portal goes into dist/portal after the main build, which empties dist/ first.
  (cd "$ROOT" && trunk build --release \
    && trunk build frontend/portal.html --release --dist dist/portal --public-url /portal-app/)
}

build_server_release() {
  log "building the server (release; embeds dist/)"
  (cd "$ROOT" && cargo build --release --locked -p assay-server)
}
