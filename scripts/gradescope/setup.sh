#!/usr/bin/env bash
# setup.sh: Gradescope runs it once, as root, when it builds the autograder's
# image: installs what the lab needs and builds it (the lab's own
# scripts/build, which runs scripts/setup: apt-get, as on Debian and Ubuntu),
# then makes the unprivileged user run_autograder runs students' programs as.
# ROOT is $AUTOGRADER_ROOT, default /autograder; the lab is ROOT/source/lab.
set -euo pipefail
root=${AUTOGRADER_ROOT:-/autograder}
"$root/source/lab/scripts/build"
user=${LEAKLAB_GRADER_USER:-leaklab}
if ! id -u -- "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin -- "$user"
fi
