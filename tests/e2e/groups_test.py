"""What belongs together: e-mail threads (and near-duplicates) on real mail from the SpamAssassin
corpus, as a user sees them through the trove command line."""
import os
import re
import shutil
import tarfile
import tempfile
import unittest

from trove_e2e import SHARED_DATA, run, run_json

MAIL_TAR = os.path.join(SHARED_DATA, "mail-spamassassin", "spamassassin-shared.tar.xz")


def extract(members, folder):
    """Copies the named members of the SpamAssassin archive into `folder`; returns their paths."""
    paths = {}
    with tarfile.open(MAIL_TAR, "r:xz") as tar:
        for member in tar:
            if member.name in members:
                data = tar.extractfile(member).read()
                path = os.path.join(folder, os.path.basename(member.name))
                with open(path, "wb") as f:
                    f.write(data)
                paths[member.name] = path
    return paths


class Threads(unittest.TestCase):
    """Five messages of one fork@xent.com thread (a reply chain four deep, plus a reply whose
    In-Reply-To and References were stripped), and an unrelated message."""

    CHAIN = ["easy-ham-1/00450.72b1e6931947f5bfcc7c116431e2a093.txt",   # root (its parent is lost)
             "easy-ham-1/00447.decc7752d5a6bc685e47b094f76bb2c1.txt",   # answers 00450
             "easy-ham-1/00444.eca3cc749e5630f73f2243f1f35563e7.txt",   # answers 00447
             "easy-ham-1/00462.d20502b45c48c8bb613feb09cd9219c7.txt"]   # answers 00444
    HEADERLESS = "easy-ham-1/00464.5a7f552394a07524c4aa23b06c9e5915.txt"  # answers 00462
    OTHER = "easy-ham-1/00003.860e3c3cee1b42ead714c5c874fe25f7.txt"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-e2e-threads-")
        dump = os.path.join(cls.tmp, "dump")
        os.makedirs(dump)
        cls.paths = extract(set(cls.CHAIN + [cls.HEADERLESS, cls.OTHER]), dump)
        # The stated rule for the headerless variant: drop its In-Reply-To and References headers
        # (with their continuation lines); the body, which quotes 00462, stays.
        path = cls.paths[cls.HEADERLESS]
        with open(path, "rb") as f:
            head, _, body = f.read().partition(b"\n\n")
        kept, dropping = [], False
        for line in head.split(b"\n"):
            if line[:1] in (b" ", b"\t") and dropping:
                continue
            dropping = re.match(rb"(?i)(in-reply-to|references):", line) is not None
            if not dropping:
                kept.append(line)
        with open(path, "wb") as f:
            f.write(b"\n".join(kept) + b"\n\n" + body)
        cls.collection = os.path.join(cls.tmp, "collection")
        run("ingest", "--collection", cls.collection, dump)
        cls.ids = {}
        for name, path in cls.paths.items():
            hits = run_json("search", "--collection", cls.collection, "--limit", "10",
                            'path:"%s"' % os.path.basename(path))["hits"]
            cls.ids[name] = [h["id"] for h in hits if h["path"] == path][0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_thread_query_finds_every_message_of_the_thread_and_nothing_else(self):
        for start in (self.CHAIN[0], self.CHAIN[3], self.HEADERLESS):
            out = run_json("search", "--collection", self.collection, "--limit", "100",
                           "thread:" + self.ids[start])
            found = sorted(h["id"] for h in out["hits"])
            self.assertEqual(found, sorted(self.ids[n] for n in self.CHAIN + [self.HEADERLESS]))

    def test_show_gives_the_tree_with_the_headerless_reply_under_the_message_it_quotes(self):
        doc = run_json("show", "--collection", self.collection, self.ids[self.CHAIN[1]])
        messages = doc["thread"]["messages"]
        depth = {m["id"]: m["depth"] for m in messages}
        for level, name in enumerate(self.CHAIN):
            self.assertEqual(depth[self.ids[name]], level, name)
        self.assertEqual(depth[self.ids[self.HEADERLESS]], 4)
        self.assertEqual(messages[0]["id"], self.ids[self.CHAIN[0]])
        # The last of the chain has no reply: nothing can contain it.
        last = [m for m in messages if m["id"] == self.ids[self.HEADERLESS]][0]
        self.assertTrue(last["inclusive"])
        plain = run("show", "--collection", self.collection, self.ids[self.CHAIN[1]]).stdout
        self.assertRegex(plain, r"thread: +5 messages, \d inclusive")

    def test_a_message_outside_any_thread_has_none(self):
        doc = run_json("show", "--collection", self.collection, self.ids[self.OTHER])
        self.assertNotIn("thread", doc)
        out = run_json("search", "--collection", self.collection, "thread:" + self.ids[self.OTHER])
        self.assertEqual([h["id"] for h in out["hits"]], [self.ids[self.OTHER]])

    def test_thread_with_a_bad_id_says_what_it_takes(self):
        out = run("search", "--collection", self.collection, "thread:nothex", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("thread: takes a document id", out.stderr)


if __name__ == "__main__":
    unittest.main()
