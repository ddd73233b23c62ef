#!/usr/bin/env bash
# Builds the container image's base with nothing but this machine: no Docker daemon, no registry.
# A Java 17 runtime cut down with jlink to the modules Junction uses, the C libraries it links
# against copied from this machine, a non-root user (10001) and a world-writable /tmp, packed as a
# docker-archive tar that Jib reads as its base (tar://). Usage: build-base.sh OUT.tar
set -euo pipefail
out=${1:?usage: build-base.sh OUT.tar}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# jdeps --print-module-deps on the jar, plus what it cannot see: TLS key exchange (jdk.crypto.ec),
# DNS through JNDI (jdk.naming.dns), and the JDK's own zip file system (jdk.zipfs).
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.unsupported
modules=$modules,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$root/opt/java"
# Some distributions link the JDK's security files to /etc: copy what they point at.
for f in "$root"/opt/java/lib/security/* "$root"/opt/java/conf/security/*; do
  if [ -L "$f" ]; then
    target=$(readlink -f "$f" || true)
    rm "$f"
    if [ -n "$target" ] && [ -f "$target" ]; then cp "$target" "$f"; fi
  fi
done

# The C libraries of every binary and shared object in the runtime, and the name-service modules
# glibc loads at run time (host names, users).
copy_lib() {
  local lib=$1
  [ -e "$root$lib" ] && return 0
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
}
while read -r lib; do
  copy_lib "$lib"
done < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' \
  | grep -v "^$root" | sort -u)
libdir=$(dirname "$(ldd "$root/opt/java/bin/java" | awk '$1 ~ /^libc\.so/ {print $3}')")
for name in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
  if [ -e "$libdir/$name" ]; then copy_lib "$libdir/$name"; fi
done

# /proc, /sys and /dev are mount points the container runtime fills
mkdir -p "$root/etc" "$root/tmp" "$root/home/junction" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
junction:x:10001:10001:junction:/home/junction:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
junction:x:10001:
GROUP
echo 'hosts: files dns' > "$root/etc/nsswitch.conf"
chmod 755 "$root/home/junction"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<CONFIG
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"10001:10001","WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created_by":"k8s/image/build-base.sh: jlink $modules"}]}
CONFIG
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["junction-base:17"],"Layers":["layer.tar"]}]\n' "$config_id" \
  > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$out" manifest.json "$config_id.json" layer.tar
echo "base image: $out ($(du -h "$out" | cut -f1), runtime modules: $modules)"
