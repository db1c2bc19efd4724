"""kill -9 at random moments, then the same command: the run completes, every file is indexed
exactly once, and xapian-check passes on every shard."""
import glob
import os
import random
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time
import unittest

from trove_e2e import SHARED_DATA, SOURCE_DIR, TROVE, all_documents, count_files, run, run_json

MESSAGES = 2000
KILLS = 10


class KillNine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-kill9-")
        cls.corpus = os.path.join(cls.tmp, "corpus")
        shutil.copytree(os.path.join(SOURCE_DIR, "samples"), cls.corpus)
        mail = os.path.join(cls.corpus, "spamassassin")
        os.makedirs(mail)
        with tarfile.open(os.path.join(SHARED_DATA, "mail-spamassassin", "spamassassin-shared.tar.xz")) as tar:
            members = [m for m in tar.getmembers() if m.isfile()][:MESSAGES]
            for m in members:
                m.name = os.path.basename(m.name)
                tar.extract(m, mail)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_kill_nine_at_random_moments_then_rerun(self):
        clean = os.path.join(self.tmp, "clean")
        run("ingest", "--jobs", "2", "--collection", clean, self.corpus)
        expected = all_documents(clean)

        killed = os.path.join(self.tmp, "killed")
        rng = random.Random(20261125)
        interrupted = 0
        for _ in range(KILLS):
            # Commit every second, so that kills fall between commits as well as before the first.
            proc = subprocess.Popen([TROVE, "ingest", "--jobs", "2", "--commit-every", "1", "--collection", killed,
                                     self.corpus],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if os.path.exists(os.path.join(killed, "trove.sqlite")):
                last = run_json("status", "--collection", killed).get("last_run", {})
                interrupted += last.get("finished", "") == ""
        # The kills must land inside runs, or the test proves nothing.
        self.assertGreaterEqual(interrupted, KILLS // 2)
        run("ingest", "--jobs", "2", "--collection", killed, self.corpus)

        status = run_json("status", "--collection", killed)
        files = count_files(self.corpus)
        self.assertEqual(status["source_files"], files)
        states = status["by_state"]
        self.assertEqual(states["indexed"] + states["failed"] + states["skipped"], files, states)
        self.assertNotIn("pending", states)
        self.assertEqual(all_documents(killed), expected)
        for shard in glob.glob(os.path.join(killed, "index", "shard-*")):
            check = subprocess.run(["xapian-check", shard], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)


if __name__ == "__main__":
    unittest.main()
