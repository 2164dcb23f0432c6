#!/usr/bin/env bash
# Run once, as root, when a platform builds its grading image: Gradescope runs it from the autograder
# zip, PrairieLearn's Dockerfile runs it in the bundle. It brings a JDK (21 or newer), builds the
# student edition with Maven, writes the grader's class path, and grades the stubs once the way each
# submission will be graded (java directly, offline), so that a broken image fails here, not on a
# student's submission.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/grader.conf"
kit=$here/threadwork
# Whatever unzipped this may have dropped the executable bits.
chmod +x "$here/run_autograder" "$here/grade-submission" "$here/prairielearn-entrypoint" "$kit/mvnw"

# A JDK whose release is at least the one the kit is compiled for.
jdk_ok() {
  local v
  [ -x "$1/bin/javac" ] || return 1
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  [ "${v%%.*}" -ge "$THREADWORK_RELEASE" ] 2>/dev/null
}
find_jdk() {
  local d
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk; do
    if [ -n "$d" ] && jdk_ok "$d"; then echo "$d"; return 0; fi
  done
  return 1
}
# The archive's JDK packages of that release or newer, the oldest first: Ubuntu 22.04 and 24.04 have
# OpenJDK 21, Debian 13 has 21 and 25; Debian 12 has none (17 only, and none in bookworm-backports).
archive_jdks() {
  apt-cache pkgnames openjdk- | sed -n 's/^openjdk-\([0-9][0-9]*\)-jdk-headless$/\1/p' | sort -n | while read -r v; do
    if [ "$v" -ge "$THREADWORK_RELEASE" ]; then echo "openjdk-$v-jdk-headless"; fi
  done
}
export DEBIAN_FRONTEND=noninteractive
apt_ready=
apt_install() {
  [ -n "$apt_ready" ] || { apt-get update -qq; apt_ready=1; }
  apt-get install -y -qq --no-install-recommends "$@"
}
# Maven and the wrapper download over HTTPS.
[ -s /etc/ssl/certs/ca-certificates.crt ] || apt_install ca-certificates
if ! jdk=$(find_jdk); then
  apt-get update -qq
  apt_ready=1
  for package in $(archive_jdks); do
    echo "setup.sh: no JDK $THREADWORK_RELEASE+ here; installing $package from the image's archive"
    if apt_install "$package"; then break; fi
  done
  jdk=$(find_jdk) || true
fi
if [ -z "$jdk" ] && [ -n "${THREADWORK_JDK_URL:-}" ]; then
  # The instructor's JDK: a .tar.gz with one top folder (as Adoptium's, Oracle's and Azul's are).
  echo "setup.sh: the image's archive has no OpenJDK $THREADWORK_RELEASE+; unpacking $THREADWORK_JDK_URL in /opt/java/openjdk"
  command -v curl >/dev/null || apt_install curl
  mkdir -p /opt/java/openjdk
  curl -fsSL "$THREADWORK_JDK_URL" | tar -xz -C /opt/java/openjdk --strip-components=1
  jdk=$(find_jdk) || true
fi
if [ -z "$jdk" ]; then
  . /etc/os-release 2>/dev/null || true
  echo "setup.sh: no JDK $THREADWORK_RELEASE or newer here, and this image's archive (${PRETTY_NAME:-this system}) has none" \
    "(it has: $(apt-cache pkgnames openjdk- | sed -n 's/-jdk-headless$//p' | sort | tr '\n' ' ')). Either choose a base image" \
    "whose archive has one (Ubuntu 22.04 or 24.04, Debian 13), or set THREADWORK_JDK_URL in grader.conf (or build the" \
    "bundle with -Djdk.url=...) to a JDK $THREADWORK_RELEASE+ .tar.gz for Linux on this machine ($(uname -m)), for example Temurin's" \
    "https://api.adoptium.net/v3/binary/latest/$THREADWORK_RELEASE/ga/linux/x64/jdk/hotspot/normal/eclipse (aarch64 for ARM)," \
    "or install one in /opt/java/openjdk before setup.sh runs." >&2
  exit 1
fi
# The sandbox of the test JVM: setpriv and unshare (util-linux), ip for its network of only loopback
# (iproute2; minimal images lack it); the outer time limit: timeout (coreutils).
for tool in setpriv unshare timeout; do
  command -v "$tool" >/dev/null || { apt_install util-linux coreutils; break; }
done
command -v ip >/dev/null || apt_install iproute2 || echo "setup.sh: no iproute2: the test JVM will share the machine's network"
export JAVA_HOME=$jdk PATH=$jdk/bin:$PATH
echo "setup.sh: JDK $jdk"

# What this machine gives a JVM (its container's limits, as the JVM reads them) against what the graded
# tests need. A platform may build the image on another machine than it grades on: then this says
# what the build was given, and the README what to set.
probe=$(mktemp -d)
cat > "$probe/Machine.java" <<'JAVA'
public class Machine {
    public static void main(String[] args) {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println(Runtime.getRuntime().availableProcessors() + " " + os.getTotalMemorySize() / (1024 * 1024));
    }
}
JAVA
read -r cpus memory_mb < <(java -Xshare:auto "$probe/Machine.java")
rm -rf "$probe"
echo "setup.sh: this machine gives the grading $cpus CPU(s) and $memory_mb MB of memory;" \
  "the tests graded need $THREADWORK_CPUS CPU(s) and $THREADWORK_MEMORY_MB MB"
if [ "$cpus" -lt "$THREADWORK_CPUS" ]; then
  echo "setup.sh: with fewer than $THREADWORK_CPUS CPUs the tests that need them are reported \"not graded on this machine\"" \
    "and their points go to their exercise's other tests: to grade them, give the grader $THREADWORK_CPUS CPUs" \
    "(Gradescope: the autograder's settings; PrairieLearn: its grader hosts)."
fi
if [ "$memory_mb" -lt "$THREADWORK_MEMORY_MB" ]; then
  echo "setup.sh: with less than $THREADWORK_MEMORY_MB MB a grading may be ended by the platform's memory limit, and that" \
    "submission gets no result: give the grader $THREADWORK_MEMORY_MB MB (Gradescope's default is 768 MB)" \
    "in the autograder's settings."
fi

# The build (the wrapper brings Maven), the grader's class path in target/autograder/, and every
# dependency and plugin in the Maven cache: a graded run of the stubs (it ends red, as the stubs fail).
cd "$kit"
./mvnw -B -ntp -Pgrader-classpath test -Dchapter="$THREADWORK_CHAPTER" -Dexercise="$THREADWORK_EXERCISE" || true
if [ ! -s target/autograder/libraries.txt ] || [ ! -f target/grading/results.json ]; then
  echo "setup.sh: the build of the student edition failed (its log is above)" >&2
  exit 1
fi
echo "$jdk/bin/java" > target/autograder/java

# One submission graded as run_autograder grades: an empty one, which must get 0 points of some.
empty=$(mktemp -d) result=$(mktemp -d)
"$here/grade-submission" gradescope "$empty" "$result/results.json"
if ! grep -q '"max_score" : [0-9.]*[1-9]' "$result/results.json" || ! grep -q '^  "score" : 0\(\.0\)\?,' "$result/results.json"; then
  echo "setup.sh: grading an empty submission did not give 0 points of some; its result:" >&2
  cat "$result/results.json" >&2
  exit 1
fi
rm -rf "$empty" "$result"
echo "setup.sh: ready to grade ${THREADWORK_CHAPTER:-every chapter}${THREADWORK_EXERCISE:+ ($THREADWORK_EXERCISE)}"
