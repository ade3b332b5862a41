# shellcheck shell=bash
# Finds a JDK 21 or newer for the Damselfly launchers; source it, then use "$JAVA".
#   1. $JAVA_HOME, when it holds Java 21+;
#   2. else the newest JDK 21+ under $DAMSELFLY_JVM_DIR (default /usr/lib/jvm);
#   3. else `java` on PATH, when it is 21+;
#   4. else a clear message and exit 1.
# The version comes from each JDK's `release` file (JAVA_VERSION), so finding the JDK starts no JVM.
# Exports JAVA_HOME, JAVA (the java executable), DAMSELFLY_JAVA_MAJOR and DAMSELFLY_JAVA_VERSION (JAVA_VERSION).
# Also defines damselfly_run_jar NAME JAR [JVM flags...] -- [args...], used by bin/dfget, bin/supernode
# and bin/dfdaemon.

DAMSELFLY_MIN_JAVA=21

# Prints the feature version (8, 17, 21, 25...) of the JDK whose java executable is $1, or nothing. Reads
# JAVA_VERSION from the JDK's `release` file (<home>/release, next to bin/): no JVM is started.
damselfly_java_major() {
  local version major
  version="$(damselfly_java_release "$1")"
  [[ -n "$version" ]] || return 0
  major="${version%%[._+-]*}"
  if [[ "$major" == "1" ]]; then
    major="$(printf '%s\n' "$version" | cut -d. -f2)"
  fi
  [[ "$major" =~ ^[0-9]+$ ]] && printf '%s\n' "$major"
  return 0
}

# Prints JAVA_VERSION (such as 25.0.3, 26-ea or 1.8.0_292) from the release file of the JDK whose java
# executable is $1 (symbolic links followed), or nothing when $1 is not executable or has no release file.
damselfly_java_release() {
  local java="$1" home line
  [[ -x "$java" ]] || return 0
  java="$(readlink -f "$java" 2>/dev/null || printf '%s' "$java")"
  home="${java%/bin/java}"
  [[ "$home" != "$java" && -f "$home/release" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" == JAVA_VERSION=* ]]; then
      line="${line#JAVA_VERSION=}"
      line="${line#\"}"
      printf '%s\n' "${line%\"}"
      return 0
    fi
  done <"$home/release"
  return 0
}

# Sets DAMSELFLY_FOUND_HOME and DAMSELFLY_FOUND_MAJOR to a JDK 21+, or returns 1.
damselfly_find_java() {
  local major best="" best_major=0 dir candidate
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(damselfly_java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$major" && "$major" -ge "$DAMSELFLY_MIN_JAVA" ]]; then
      DAMSELFLY_FOUND_HOME="$JAVA_HOME"; DAMSELFLY_FOUND_MAJOR="$major"; return 0
    fi
  fi
  for dir in "${DAMSELFLY_JVM_DIR:-/usr/lib/jvm}"/*; do
    [[ -x "$dir/bin/java" ]] || continue
    major="$(damselfly_java_major "$dir/bin/java")"
    if [[ -n "$major" && "$major" -ge "$DAMSELFLY_MIN_JAVA" && "$major" -gt "$best_major" ]]; then
      best="$dir"; best_major="$major"
    fi
  done
  if [[ -n "$best" ]]; then
    DAMSELFLY_FOUND_HOME="$best"; DAMSELFLY_FOUND_MAJOR="$best_major"; return 0
  fi
  candidate="$(command -v java || true)"
  if [[ -n "$candidate" ]]; then
    major="$(damselfly_java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge "$DAMSELFLY_MIN_JAVA" ]]; then
      candidate="$(readlink -f "$candidate" 2>/dev/null || printf '%s' "$candidate")"
      DAMSELFLY_FOUND_HOME="$(cd "$(dirname "$candidate")/.." && pwd)"; DAMSELFLY_FOUND_MAJOR="$major"; return 0
    fi
  fi
  return 1
}

if ! damselfly_find_java; then
  echo "Damselfly needs a JDK $DAMSELFLY_MIN_JAVA or newer; set JAVA_HOME (looked at JAVA_HOME=${JAVA_HOME:-unset}," \
    "${DAMSELFLY_JVM_DIR:-/usr/lib/jvm} and java on PATH)" >&2
  exit 1
fi
export JAVA_HOME="$DAMSELFLY_FOUND_HOME"
export JAVA="$JAVA_HOME/bin/java"
export DAMSELFLY_JAVA_MAJOR="$DAMSELFLY_FOUND_MAJOR"
DAMSELFLY_JAVA_VERSION="$(damselfly_java_release "$JAVA")"
export DAMSELFLY_JAVA_VERSION

# shellcheck source=caches.sh
source "$(dirname "${BASH_SOURCE[0]}")/caches.sh"

# damselfly_run_jar NAME JAR [JVM flags...] -- [args...]: execs the jar with NAME's start-up cache (caches.sh) and
# $DAMSELFLY_JAVA_OPTS last among the JVM flags (so they win). For dfget, DAMSELFLY_NODE_CACHE names the cache of
# the node it may start (used by the node spawner when the file is there).
damselfly_run_jar() {
  local name="$1" jar="$2"
  shift 2
  local jvm=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do
    jvm+=("$1"); shift
  done
  [[ $# -gt 0 ]] && shift
  if [[ ! -f "$jar" ]]; then
    echo "$name: $jar is missing; run bin/build first" >&2
    exit 1
  fi
  damselfly_base_flags
  damselfly_cache_flags "$name" "$jar"
  if [[ "$name" == "dfget" && "${DAMSELFLY_CACHE:-auto}" != "off" ]]; then
    if damselfly_cache_path dfget-server "$jar"; then
      export DAMSELFLY_NODE_CACHE="$DAMSELFLY_CACHE_PATH"
    fi
  fi
  # DAMSELFLY_JAVA_OPTS is split on spaces on purpose: it holds several flags.
  # shellcheck disable=SC2086
  exec "$JAVA" "${DAMSELFLY_BASE_FLAGS[@]}" "${DAMSELFLY_CACHE_FLAGS[@]}" ${jvm[@]+"${jvm[@]}"} \
    ${DAMSELFLY_JAVA_OPTS:-} -jar "$jar" "$@"
}
