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
if ! jdk=$(find_jdk); then
  # Gradescope's and PrairieLearn's Ubuntu images (22.04, 24.04) have OpenJDK 21 in their archive.
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "openjdk-${THREADWORK_RELEASE}-jdk-headless" ca-certificates
  jdk=$(find_jdk) || { echo "setup.sh: still no JDK $THREADWORK_RELEASE or newer after installing one" >&2; exit 1; }
fi
# The sandbox of the test JVM: setpriv and unshare (util-linux); the outer time limit: timeout (coreutils).
for tool in setpriv unshare timeout; do
  command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq util-linux coreutils; break; }
done
export JAVA_HOME=$jdk PATH=$jdk/bin:$PATH
echo "setup.sh: JDK $jdk"

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
