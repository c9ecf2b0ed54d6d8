#!/bin/sh
# Builds the Debian package with cpack, unpacks it into a temporary root and
# checks it: the exact file list, Package/Version/Architecture, Depends
# naming the package of every shared library the binary needs, the conffile,
# the maintainer scripts, no lintian error, and `systemd-analyze verify` on
# the unit as packaged. Fails (never skips) when a tool is missing.
# usage: deb_package.sh BUILD_DIR VERSION SOURCE_DIR
set -eu
build=$1 version=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb dpkg-shlibdeps dpkg-architecture lintian \
  systemd-analyze objdump file; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool not found (tests/install-deps.sh installs it)"
done

# Built into the temporary directory so the build tree stays as it was.
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
arch=$(dpkg --print-architecture)
deb=$tmp/out/newswired_${version}_$arch.deb
[ -f "$deb" ] || { ls "$tmp/out"; fail "no $(basename "$deb")"; }

# Exactly these files (directories aside), owned by root.
dpkg-deb -c "$deb" >"$tmp/contents"
awk '$1 !~ /^d/ { print $6 }' "$tmp/contents" | sort >"$tmp/files"
sort >"$tmp/want" <<'LIST'
./etc/newswired/newswired.conf
./usr/bin/newswired
./usr/lib/systemd/system/newswired.service
./usr/lib/sysusers.d/newswired.conf
./usr/lib/tmpfiles.d/newswired.conf
./usr/share/doc/newswired/changelog.gz
./usr/share/doc/newswired/copyright
./usr/share/doc/newswired/newswired.conf.example
./usr/share/man/man8/newswired.8.gz
LIST
diff -u "$tmp/want" "$tmp/files" >&2 || fail "file list differs (- expected, + packaged)"
awk '$2 != "root/root" { bad = 1; print } END { exit bad }' "$tmp/contents" >&2 ||
  fail "files not owned by root"
grep -q '^-rwxr-xr-x .* \./usr/bin/newswired$' "$tmp/contents" || fail "binary not 0755"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = newswired ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
[ -n "$depends" ] || fail "Depends is empty"

dpkg-deb -x "$deb" "$tmp/root"
bin=$tmp/root/usr/bin/newswired
file -L "$bin" | grep -q ', stripped' || fail "binary not stripped"

# Depends is computed: every library the binary needs is named through the
# package that ships it on this machine.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for so in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
  pkg=$(dpkg -S "*/$multiarch/$so" 2>/dev/null | sed -n '1s/[:,].*//p')
  [ -n "$pkg" ] || fail "no package ships $so"
  case ", $depends" in
  *", $pkg "* | *", $pkg,"* | *", $pkg") ;;
  *) fail "Depends lacks $pkg (for $so): $depends" ;;
  esac
done

# Control area: the conffile, and maintainer scripts that parse.
dpkg-deb -e "$deb" "$tmp/control"
[ "$(cat "$tmp/control/conffiles")" = /etc/newswired/newswired.conf ] ||
  fail "conffiles: $(cat "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
  [ -x "$tmp/control/$s" ] || fail "no executable $s"
  sh -n "$tmp/control/$s" || fail "$s does not parse"
done

# The configuration is the example and works as it is.
cmp -s "$tmp/root/etc/newswired/newswired.conf" "$src/systemd/newswired.conf.example" ||
  fail "packaged newswired.conf is not systemd/newswired.conf.example"
"$bin" check-config -c "$tmp/root/etc/newswired/newswired.conf" >/dev/null ||
  fail "packaged configuration is invalid"

lintian --allow-root --fail-on error "$deb" >"$tmp/lintian" 2>&1 ||
  { cat "$tmp/lintian"; fail "lintian reports errors"; }
cat "$tmp/lintian"

# The packaged unit, with its binary paths pointing into the unpacked root
# (systemd-analyze checks they exist) and MANPATH at its man page.
unit=$tmp/root/usr/lib/systemd/system/newswired.service
grep -q '^ExecStart=/usr/bin/newswired run -c /etc/newswired/newswired.conf$' "$unit" ||
  fail "packaged unit does not run /usr/bin/newswired on /etc/newswired/newswired.conf"
mkdir "$tmp/check"
sed "s#=/usr/bin/newswired#=$bin#g" "$unit" >"$tmp/check/newswired.service"
out=$(MANPATH=$tmp/root/usr/share/man systemd-analyze verify --man=yes \
  "$tmp/check/newswired.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify warns: $out"

echo "ok: $(basename "$deb"), Depends: $depends"
