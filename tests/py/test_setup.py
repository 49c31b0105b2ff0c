"""tools/setup.sh, the self-installing step of `make run` / `make test`,
driven with stand-in dpkg-query, id and apt-get commands on PATH."""
import os
import stat
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SETUP = os.path.join(ROOT, "tools", "setup.sh")


def fake_bin(tmp_path, missing, uid):
    """A PATH directory where dpkg-query reports `missing` as not installed,
    id -u prints uid, and apt-get only records how it was called."""
    d = tmp_path / "bin"
    d.mkdir()
    log = tmp_path / "apt.log"
    scripts = {
        "dpkg-query": "#!/bin/sh\n"
                      f"for p in {' '.join(missing) or 'none-missing'}; do\n"
                      '  [ "$p" = "$3" ] && { echo "deinstall ok config-files"; exit 0; }\n'
                      "done\n"
                      'echo "install ok installed"\n',
        "id": f"#!/bin/sh\necho {uid}\n",
        "apt-get": f"#!/bin/sh\necho \"apt-get $*\" >> {log}\n",
    }
    for name, text in scripts.items():
        p = d / name
        p.write_text(text)
        p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return d, log


def run_setup(tmp_path, missing, uid):
    bindir, log = fake_bin(tmp_path, missing, uid)
    env = dict(os.environ, PATH=f"{bindir}:/usr/bin:/bin")
    proc = subprocess.run(["sh", SETUP], env=env, capture_output=True, text=True)
    calls = log.read_text().splitlines() if log.exists() else []
    return proc, calls


def test_nothing_missing_does_nothing(tmp_path):
    proc, calls = run_setup(tmp_path, [], 0)
    assert proc.returncode == 0
    assert calls == []
    assert proc.stdout == ""


def test_root_updates_then_installs_exactly_what_is_missing(tmp_path):
    proc, calls = run_setup(tmp_path, ["qemu-system-arm", "libcmocka-dev"], 0)
    assert proc.returncode == 0
    assert calls[0] == "apt-get update"
    assert calls[1].startswith("apt-get install -y")
    installed = calls[1].split()[3:]
    assert sorted(p for p in installed if not p.startswith("-")) == \
        ["libcmocka-dev", "qemu-system-arm"]


def test_non_root_prints_the_exact_command_and_fails(tmp_path):
    proc, calls = run_setup(tmp_path, ["gcc-arm-none-eabi"], 1000)
    assert proc.returncode != 0
    assert calls == [], "must not try to install without root"
    assert "sudo apt-get update && sudo apt-get install -y gcc-arm-none-eabi" in proc.stdout
