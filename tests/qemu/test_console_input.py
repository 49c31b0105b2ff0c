"""Console input that arrives in bursts while the kernel runs, not all typed
before boot: every burst must reach the app, so the UART's receive
interrupt has to be live again after each one is handled."""
import subprocess
import threading
import time

from qemu_env import DEFAULT_TIMEOUT, KERNEL, app_image, qemu_tool

KERNEL_READY = b"1 app loaded"  # the loader's last line before the app runs
GAP_S = 1.0                     # between bursts: the first is handled alone


def test_input_typed_in_two_bursts_after_boot_reaches_the_app(tmp_path):
    image = app_image(tmp_path / "apps.bin", "echo")
    argv = qemu_tool.qemu_argv(KERNEL, image)
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = bytearray()
    ready = threading.Event()
    decoder = qemu_tool.log_decoder(argv)  # the kernel's log records back to text

    def read():
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            out.extend(decoder.feed(chunk))
            if KERNEL_READY in out:
                ready.set()
        out.extend(decoder.flush())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(DEFAULT_TIMEOUT), "the kernel never got to its apps"
        # echo's first read wants 6 bytes: "hel" alone, then the rest.
        proc.stdin.write(b"hel")
        proc.stdin.flush()
        time.sleep(GAP_S)
        proc.stdin.write(b"lo\nab")
        proc.stdin.flush()
        status = proc.wait(DEFAULT_TIMEOUT)
    except subprocess.TimeoutExpired:
        status = None
    finally:
        proc.kill()
        proc.wait()
        reader.join(5)
    text = out.decode("utf-8", "replace")
    assert status is not None, "QEMU did not finish: input after the first burst was lost\n" + text
    assert "echo: read status 0, 6 bytes: 'hello'" in text, text
    assert "echo: abort status 8, 2 bytes: 'ab'" in text, text
    assert status == 0, text
