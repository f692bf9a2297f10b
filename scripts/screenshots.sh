#!/bin/sh
# Renders every postdesk mail kind (zh-CN and en, customer and staff, and
# the text alternative of each customer mail) and every page state to PNG
# at 390 px (a phone) and 1280 px (a desktop) with headless Chromium, so a
# person can look at them.
#
#   scripts/screenshots.sh [OUTDIR]      (default: screenshots/)
#   ONLY='zh-CN-mail-*' scripts/screenshots.sh /tmp/shots   (a subset)
#
# Each customer HTML mail is also shot at 390 px with Chromium's automatic
# dark mode (as the Gmail and Outlook apps darken mail), and each page in
# its own dark theme: NAME-390-dark.png.
#
# Installs Chromium and the CJK fonts from Debian packages when they are
# missing (needs root or sudo). The HTML comes from `go run ./scripts/preview`,
# which plays a real conversation through a real desk in process.
set -eu
out=${1:-screenshots}
cd "$(dirname "$0")/.."

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji
	chromium=$(command -v chromium)
fi

html=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$html" "$profile"' EXIT
go run ./scripts/preview "$html"
mkdir -p "$out"

# shoot FILE WIDTH PNG: one screenshot, tall enough for the whole mail or
# page (Chromium crops to the window; the height is generous and the
# trailing background is trimmed when ImageMagick is there).
shoot() {
	"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$profile" --force-device-scale-factor=1 \
		${5:-} --window-size="$2,$4" --screenshot="$3" "file://$1" >/dev/null 2>&1
}

# height FILE WIDTH: the document's height at that width, measured by
# Chromium itself (--dump-dom of a page that writes its own height).
height() {
	h=$("$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --window-size="$2,800" --virtual-time-budget=2000 \
		--run-all-compositor-stages-before-draw --dump-dom "file://$1" 2>/dev/null |
		sed -n 's/.*data-height="\([0-9]*\)".*/\1/p' | head -n1)
	echo "${h:-2400}"
}

n=0
for f in "$html"/*.html; do
	name=$(basename "$f" .html)
	[ "$name" = index ] && continue
	case "$name" in ${ONLY:-*}) ;; *) continue ;; esac
	for w in 390 1280; do
		# A copy that reports its own height, for the window size.
		probe="$html/.probe-$name-$w.html"
		# (Headless windows are at least 500 px wide, so the probe lays
		# the document out at the width itself.)
		{ cat "$f"; printf '<script>addEventListener("load",function(){var d=document.documentElement;d.style.width="%spx";d.style.overflow="hidden";document.fonts.ready.then(function(){d.setAttribute("data-height",Math.ceil(d.scrollHeight)+8)})})</script>' "$w"; } >"$probe"
		h=$(height "$probe" "$w")
		rm -f "$probe"
		shoot "$f" "$w" "$out/$name-$w.png" "$h"
		n=$((n + 1))
		case "$name-$w" in
		*-mail-*-text-*) ;;
		*-mail-*-390)
			if grep -q 'role="presentation"' "$f"; then
				shoot "$f" "$w" "$out/$name-$w-dark.png" "$h" "--blink-settings=forceDarkModeEnabled=true"
				n=$((n + 1))
			fi ;;
		*-page-*-390)
			# The pages' own dark theme (prefers-color-scheme: dark).
			shoot "$f" "$w" "$out/$name-$w-dark.png" "$h" "--force-dark-mode"
			n=$((n + 1)) ;;
		esac
	done
done
echo "wrote $n screenshots to $out/"
