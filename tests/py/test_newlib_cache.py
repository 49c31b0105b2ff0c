"""tools/build_newlib_pic.sh, the once-per-user PIC newlib build, driven with
a stand-in newlib tarball whose configure and make take seconds: where the
library goes, that it is built once, that an interrupted or failed build is
never taken for a finished one, that two builds racing build once, and the
progress lines."""
import os
import signal
import subprocess
import tarfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "tools", "build_newlib_pic.sh")

# A configure that writes a Makefile with the two targets the script runs.
# The "compile" makes one object and a sub-configure's config.status, sleeps
# FAKE_SLEEP seconds, counts itself in FAKE_COUNTER and fails if FAKE_FAIL.
FAKE_CONFIGURE = """#!/bin/sh
for a in "$@"; do case $a in --prefix=*) prefix=${a#--prefix=} ;; esac; done
lib=$prefix/arm-none-eabi/lib
cat > Makefile <<EOF
all-target-newlib:
\tmkdir -p arm-none-eabi/newlib/libc
\ttouch arm-none-eabi/newlib/config.status arm-none-eabi/newlib/libc/a.o
\tsleep \\$(FAKE_SLEEP)
\techo built >> \\$(FAKE_COUNTER)
\ttest -z "\\$(FAKE_FAIL)"
install-target-newlib:
\tmkdir -p $lib $prefix/arm-none-eabi/include
\ttouch $lib/libc.a $lib/libm.a $lib/libg.a
EOF
"""


def fake_tarball(tmp_path, version="newlib-9.9.9"):
    src = tmp_path / "src" / version
    tmp_path.mkdir(exist_ok=True)
    src.mkdir(parents=True)
    (src / "configure").write_text(FAKE_CONFIGURE)
    (src / "configure").chmod(0o755)
    path = tmp_path / f"{version}.tar.xz"
    with tarfile.open(path, "w:xz") as tar:
        tar.add(src, arcname=version)
    return path


class Env:
    def __init__(self, tmp_path, version="newlib-9.9.9"):
        self.counter = tmp_path / "builds"
        self.cache = tmp_path / "cache"
        self.vars = dict(os.environ, XDG_CACHE_HOME=str(self.cache),
                         NEWLIB_TARBALL=str(fake_tarball(tmp_path, version)),
                         PROGRESS_EVERY="1", FAKE_SLEEP="0", FAKE_COUNTER=str(self.counter))

    def builds(self):
        return len(self.counter.read_text().split()) if self.counter.exists() else 0

    def prefix(self):
        return subprocess.run([SCRIPT, "--print-prefix"], env=self.vars, capture_output=True,
                              text=True, check=True).stdout.strip()

    def start(self, *args, **env):
        return subprocess.Popen([SCRIPT, *args], env=dict(self.vars, **env), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def run(self, *args, **env):
        proc = self.start(*args, **env)
        out, _ = proc.communicate(timeout=120)
        return proc.returncode, out


def leftovers(prefix):
    parent = os.path.dirname(prefix)
    return sorted(n for n in os.listdir(parent) if ".tmp." in n)


def test_builds_once_into_the_user_cache(tmp_path):
    env = Env(tmp_path)
    prefix = env.prefix()
    assert prefix.startswith(f"{env.cache}/nvkernel/newlib-pic/newlib-9.9.9-")
    status, out = env.run(FAKE_SLEEP="3")
    assert status == 0, out
    assert env.builds() == 1
    assert os.path.isfile(f"{prefix}/.built")
    assert os.path.isfile(f"{prefix}/arm-none-eabi/lib/libc.a")
    assert not os.path.exists(f"{prefix}/arm-none-eabi/lib/libg.a"), "nothing links libg.a"
    assert "NEWLIB done in 0m0" in out and leftovers(prefix) == []
    # Progress: whole lines (CI logs are not terminals), with elapsed time.
    assert "\r" not in out
    assert any(line.startswith("NEWLIB   compiling: 1 of about ") and line.endswith("s")
               for line in out.splitlines()), out
    # A second run finds it: silent, no build.
    status, out = env.run()
    assert (status, out, env.builds()) == (0, "", 1)


def test_prefix_is_keyed_by_version_and_flags(tmp_path):
    a = os.path.basename(Env(tmp_path / "a").prefix())
    assert os.path.basename(Env(tmp_path / "b").prefix()) == a
    assert os.path.basename(Env(tmp_path / "c", "newlib-9.9.10").prefix()) != a
    edited = tmp_path / "build_newlib_pic.sh"
    text = open(SCRIPT).read()
    assert "-Os -g" in text
    edited.write_text(text.replace("-Os -g", "-O2 -g"))
    edited.chmod(0o755)
    env = Env(tmp_path / "d")
    other = subprocess.run([str(edited), "--print-prefix"], env=env.vars, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert os.path.dirname(other) == os.path.dirname(env.prefix())
    assert os.path.basename(other) not in (a, "")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_is_never_taken_as_finished(tmp_path, sig):
    env = Env(tmp_path)
    prefix = env.prefix()
    proc = env.start(FAKE_SLEEP="30")
    for line in proc.stdout:                 # wait until it is compiling
        if "compiling" in line:
            break
    os.killpg(proc.pid, sig)                 # the script and its make, as Ctrl-C does
    proc.wait(timeout=30)
    assert not os.path.exists(prefix), "a cut build must not leave a library"
    if sig != signal.SIGKILL:
        assert leftovers(prefix) == [], "a trapped signal cleans up"
    else:
        assert len(leftovers(prefix)) == 1  # nothing could clean up...
    status, out = env.run()                 # ...so the next build does
    assert status == 0, out
    assert os.path.isfile(f"{prefix}/.built") and leftovers(prefix) == []


def test_two_builds_racing_build_once(tmp_path):
    env = Env(tmp_path)
    first = env.start(FAKE_SLEEP="3")
    for line in first.stdout:
        if "configuring" in line:
            break
    second = env.start(FAKE_SLEEP="3")
    out2, _ = second.communicate(timeout=120)
    out1, _ = first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, out1 + out2
    assert env.builds() == 1
    assert f"NEWLIB waiting for another build of {env.prefix()} to finish" in out2
    assert os.path.isfile(f"{env.prefix()}/.built")


def test_failed_build_leaves_no_library_and_keeps_the_log(tmp_path):
    env = Env(tmp_path)
    status, out = env.run(FAKE_FAIL="1")
    assert status != 0
    assert "build_newlib_pic: compile failed after" in out
    prefix = env.prefix()
    assert not os.path.exists(prefix) and leftovers(prefix) == []
    assert os.path.isfile(os.path.join(os.path.dirname(prefix), "last-failure.log"))


def test_explicit_prefix_is_used_and_a_foreign_folder_is_not_deleted(tmp_path):
    env = Env(tmp_path)
    mine = tmp_path / "mine"
    status, out = env.run(str(mine))
    assert status == 0, out
    assert (mine / ".built").is_file() and not os.path.exists(env.prefix())
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("user data")
    status, out = env.run(str(foreign))
    assert status != 0
    assert "exists but holds no finished build of this recipe" in out
    assert (foreign / "keep.txt").read_text() == "user data"


def test_cache_that_cannot_be_created_is_explained(tmp_path):
    env = Env(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    status, out = env.run(XDG_CACHE_HOME=str(blocker))
    assert status != 0
    assert "cannot create" in out and "NEWLIB_PIC=<folder>" in out


def test_app_build_uses_newlib_pic_from_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    proc = subprocess.run(["make", "-n", "-C", os.path.join(ROOT, "apps", "hello"),
                           f"BUILD={tmp_path}/build", f"NEWLIB_PIC={tmp_path}/nl"],
                          capture_output=True, text=True, env=env)
    assert f"build_newlib_pic.sh {tmp_path}/nl" in proc.stdout, proc.stdout + proc.stderr
    assert f"-isystem {tmp_path}/nl/arm-none-eabi/include" in proc.stdout
