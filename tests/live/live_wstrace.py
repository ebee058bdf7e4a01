# SPDX-License-Identifier: MIT
"""`wstrace -i lo` for the live tests: started and waited for until it says it is listening
(as tcpdump does), then stopped with SIGINT, as a user's Ctrl-C would."""
import signal
import subprocess
import time


class LiveCapture:
    def __init__(self, wstrace: str, args, what: str, fail):
        self.proc = subprocess.Popen([wstrace, "-i", "lo", *args], stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.time() + 10
        line = ""
        while time.time() < deadline and "listening" not in line:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                fail(f"{what}: wstrace exited early with {self.proc.returncode}")

    def stop(self, settle: float) -> int:
        """Waits `settle` seconds for the last packets to reach the capture, then stops it."""
        time.sleep(settle)
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=15)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def stderr(self) -> str:
        return self.proc.stderr.read()
