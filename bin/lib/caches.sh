# shellcheck shell=bash
# Start-up caches of the launchers; sourced by java.sh (needs JAVA_HOME and DAMSELFLY_JAVA_MAJOR). See docs/CLI.md,
# "Start-up caches".
#   JDK 24+   an AOT cache per program (JEP 483/514/515: loaded and linked classes, method profiles), trained by a
#             real download: bin/lib/train-caches, run by bin/build.
#   JDK 21-23 a dynamic AppCDS archive per program, written by the JVM itself at the end of the first run
#             (-XX:+AutoCreateSharedArchive).
# A cache lives in cache/ next to its jar and is named by a checksum of the jar and of the JDK (its release file
# and path), so a cache of another jar or JDK is never used (Temurin 25.0.3 uses a stale one silently). The JVM
# checks it (-XX:+VerifySharedSpaces): a damaged one is ignored. The JVM's cache messages, which it prints on
# stdout, are kept off stdout. When a jar or the JDK changed, the launcher runs without a cache and rebuilds the
# caches in the background (bin/lib/train-caches --stale, when the cache directory is writable).
# DAMSELFLY_CACHE=off runs without any cache; DAMSELFLY_CACHE=use uses fresh caches but never starts a training
# (benchmarks, which a background training would disturb).

DAMSELFLY_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Flags of a JVM that exits as soon as its work is done: on JDK 22+, no wait at exit for threads blocked in native
# code (the JVM waits up to 300 ms for them by default). Such a thread can be one the JDK owns and nothing can end:
# in dfget, the process reaper blocked in waitpid() on the node dfget started, which outlives it; in bin/demo's
# harness, the virtual threads' I/O poller.
DAMSELFLY_EXIT_FLAGS=()
if [[ "$DAMSELFLY_JAVA_MAJOR" -ge 22 ]]; then
  DAMSELFLY_EXIT_FLAGS+=(-XX:UserThreadWaitAttemptsAtExit=0)
fi

# The client's JVM flags: a short-lived process, so start fast rather than peak fast (C1 alone: never for a
# process that hashes, C1 has no SHA-256 intrinsic), and exit at once.
DAMSELFLY_CLIENT_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${DAMSELFLY_EXIT_FLAGS[@]+"${DAMSELFLY_EXIT_FLAGS[@]}"})

# Flags every Damselfly JVM gets: Netty's direct buffers without a warning on Java 24+.
damselfly_base_flags() {
  DAMSELFLY_BASE_FLAGS=()
  if [[ "$DAMSELFLY_JAVA_MAJOR" -ge 24 ]]; then
    DAMSELFLY_BASE_FLAGS+=("--sun-misc-unsafe-memory-access=allow")
  fi
}

# damselfly_cache_path NAME JAR: sets DAMSELFLY_CACHE_PATH to the cache file of program NAME (dfget, dfget-server,
# supernode, dfdaemon) run from JAR. The checksums of a jar and of the JDK are taken once per launcher (a launcher
# that names two caches of one jar reads it once).
declare -gA DAMSELFLY_SUMS=()
damselfly_cache_path() {
  local name="$1" jar="$2" dir key ext=aot
  if [[ -z "${DAMSELFLY_SUMS[$jar]:-}" ]]; then
    DAMSELFLY_SUMS[$jar]="$(cksum <"$jar")" || return 1
  fi
  if [[ -z "${DAMSELFLY_SUMS[jdk]:-}" ]]; then
    DAMSELFLY_SUMS[jdk]="$(cksum <"$JAVA_HOME/release" 2>/dev/null || echo none)"
  fi
  key="$(printf '%s|%s|%s|%s' "$name" "${DAMSELFLY_SUMS[$jar]}" "${DAMSELFLY_SUMS[jdk]}" "$JAVA_HOME" | cksum)"
  [[ "$DAMSELFLY_JAVA_MAJOR" -ge 24 ]] || ext=jsa
  dir="${jar%/*}"
  [[ "$dir" != "$jar" ]] || dir=.
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  DAMSELFLY_CACHE_PATH="$dir/cache/$name-${key%% *}.$ext"
}

# Prints the cache file of program NAME run from JAR (damselfly_cache_path).
damselfly_cache_file() {
  damselfly_cache_path "$1" "$2" || return 1
  printf '%s\n' "$DAMSELFLY_CACHE_PATH"
}

# JVM flags that keep the JVM's own messages (cache ones included) off stdout: warnings go to stderr, the
# cache's are dropped (a missing or rejected cache only makes the start slower).
damselfly_log_flags() {
  DAMSELFLY_LOG_FLAGS=(-Xlog:disable -Xlog:all=warning:stderr "-Xlog:cds*=off:stderr")
  if [[ "$DAMSELFLY_JAVA_MAJOR" -ge 24 ]]; then
    DAMSELFLY_LOG_FLAGS+=("-Xlog:aot*=off:stderr")
  fi
}

# damselfly_cache_flags NAME JAR: sets DAMSELFLY_CACHE_FLAGS to the JVM flags that use NAME's cache (or, on JDK
# 21-23, make it), the log flags included.
damselfly_cache_flags() {
  local name="$1" jar="$2" file dir
  damselfly_log_flags
  DAMSELFLY_CACHE_FLAGS=("${DAMSELFLY_LOG_FLAGS[@]}")
  [[ "${DAMSELFLY_CACHE:-auto}" != "off" ]] || return 0
  damselfly_cache_path "$name" "$jar" || return 0
  file="$DAMSELFLY_CACHE_PATH"
  dir="${file%/*}"
  if [[ "$DAMSELFLY_JAVA_MAJOR" -ge 24 ]]; then
    if [[ -s "$file" ]]; then
      DAMSELFLY_CACHE_FLAGS+=("-XX:AOTCache=$file" -XX:+VerifySharedSpaces)
    elif [[ "${DAMSELFLY_CACHE:-auto}" != "use" ]]; then
      damselfly_cache_rebuild_if_stale "$name" "$file"
    fi
  elif [[ -s "$file" ]] || { mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]]; }; then
    DAMSELFLY_CACHE_FLAGS+=("-XX:SharedArchiveFile=$file" -XX:+AutoCreateSharedArchive -XX:+VerifySharedSpaces)
  fi
}

# When FILE, NAME's cache, is missing but an older one of NAME is there (its jar or the JDK changed), starts
# bin/lib/train-caches --stale in the background, detached, if the cache directory is writable. The training
# takes a lock, so launches at the same time start it once.
damselfly_cache_rebuild_if_stale() {
  local name="$1" file="$2" dir old
  dir="${file%/*}"
  [[ -w "$dir" ]] || return 0
  for old in "$dir/$name"-[0-9]*.aot; do
    if [[ -f "$old" && "$old" != "$file" ]]; then
      if command -v setsid >/dev/null 2>&1; then
        setsid "$DAMSELFLY_LIB_DIR/train-caches" --stale </dev/null >/dev/null 2>&1 &
      else
        nohup "$DAMSELFLY_LIB_DIR/train-caches" --stale </dev/null >/dev/null 2>&1 &
      fi
      return 0
    fi
  done
  return 0
}
