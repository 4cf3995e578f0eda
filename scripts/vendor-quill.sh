#!/bin/sh
# Re-create static/vendor/quill/ from the npm registry and check the tarball's integrity.
# Usage: scripts/vendor-quill.sh static/vendor/quill   (needs npm and openssl; see VENDOR.md there)
set -eu
VERSION=2.0.3
INTEGRITY='sha512-xEYQBqfYx/sfb33VJiKnSJp8ehloavImQ2A6564GAbqG55PGw1dAWUn1MUbQB62t0azawUS2CZZhWCjO8gRvTw=='
DEST=${1:?destination directory}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "quill@$VERSION" >/dev/null)
GOT="sha512-$(openssl dgst -sha512 -binary "$TMP/quill-$VERSION.tgz" | base64 -w0)"
[ "$GOT" = "$INTEGRITY" ] || { echo "integrity mismatch: $GOT" >&2; exit 1; }
tar xzf "$TMP/quill-$VERSION.tgz" -C "$TMP"
mkdir -p "$DEST"
for f in quill.js quill.js.map quill.js.LICENSE.txt quill.snow.css quill.snow.css.map; do
  cp "$TMP/package/dist/$f" "$DEST/$f"
done
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
(cd "$DEST" && sha256sum -c SHA256SUMS --ignore-missing)
