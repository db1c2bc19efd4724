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


class NearDuplicates(unittest.TestCase):
    """Real messages, and copies of one of them made by stated rules: a copy from another mailbox
    (other headers, a signature added), a forward that quotes it with '> ', and its first half
    alone (about half of its shingles shared: below the default similarity); and a reply that
    quotes it whole (In-Reply-To naming it), which shares nearly every shingle but is a message
    of its own."""

    ORIGINAL = "easy-ham-1/00450.72b1e6931947f5bfcc7c116431e2a093.txt"
    OTHERS = ["easy-ham-1/00003.860e3c3cee1b42ead714c5c874fe25f7.txt",
              "easy-ham-1/00447.decc7752d5a6bc685e47b094f76bb2c1.txt"]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trove-e2e-neardup-")
        dump = os.path.join(cls.tmp, "dump")
        os.makedirs(dump)
        cls.paths = extract(set([cls.ORIGINAL] + cls.OTHERS), dump)
        with open(cls.paths[cls.ORIGINAL], "rb") as f:
            head, _, body = f.read().partition(b"\n\n")
        message_id = re.search(rb"^Message-Id:\s*(<[^>]+>)", head, re.M | re.I).group(1)
        cls.copy = os.path.join(dump, "copy.eml")
        with open(cls.copy, "wb") as f:
            f.write(b"From: Records <records@example.org>\nSubject: for the file\n"
                    b"Message-ID: " + message_id + b"\n"  # a copy keeps its Message-ID
                    b"Date: Mon, 3 Mar 2003 10:00:00 +0000\n\n" + body +
                    b"\n--\nRecords office, third floor\n")
        cls.forward = os.path.join(dump, "forward.eml")
        quoted = b"> " + body.replace(b"\n", b"\n> ")
        with open(cls.forward, "wb") as f:
            f.write(b"From: Jane Roe <jane@example.org>\nSubject: Fwd: bliss\n"
                    b"Date: Tue, 4 Mar 2003 10:00:00 +0000\n\nFYI, see below.\n\n"
                    b"---------- Forwarded message ---------\n" + quoted + b"\n")
        replies = os.path.join(cls.tmp, "replies")
        os.makedirs(replies)
        cls.reply = os.path.join(replies, "reply.eml")
        with open(cls.reply, "wb") as f:
            f.write(b"From: Jane Roe <jane@example.org>\nSubject: Re: bliss\nIn-Reply-To: " +
                    message_id + b"\nDate: Wed, 5 Mar 2003 10:00:00 +0000\n\n"
                    b"Agreed, every word.\n\n" + quoted + b"\n")
        cls.half = os.path.join(dump, "half.eml")
        with open(cls.half, "wb") as f:
            f.write(b"From: Records <records@example.org>\nSubject: part\n\n" +
                    body[:len(body) // 2])
        cls.collection = os.path.join(cls.tmp, "collection")
        run("ingest", "--collection", cls.collection, dump, replies)
        cls.ids = {}
        for path in list(cls.paths.values()) + [cls.copy, cls.forward, cls.reply, cls.half]:
            hits = run_json("search", "--collection", cls.collection, "--limit", "10",
                            'path:"%s"' % os.path.basename(path))["hits"]
            cls.ids[path] = [h["id"] for h in hits if h["path"] == path][0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_similar_lists_the_copies_with_their_similarity_and_nothing_else(self):
        original = self.ids[self.paths[self.ORIGINAL]]
        out = run_json("search", "--collection", self.collection, "similar:" + original)
        found = {h["id"]: h["score"] for h in out["hits"]}
        # Not the reply: it answers the original (its own similarity is over 0.8).
        self.assertEqual(set(found), {self.ids[self.copy], self.ids[self.forward]})
        # Nor, from the reply, the original or its copy (which keeps the original's Message-ID).
        reply = run_json("search", "--collection", self.collection, "similar:" + self.ids[self.reply])
        self.assertEqual([h["id"] for h in reply["hits"]], [self.ids[self.forward]])
        for score in found.values():
            self.assertGreaterEqual(score, 0.6)
            self.assertLessEqual(score, 1.0)
        # The half copy shares about half of the shingles: found at a lower similarity only.
        loose = run_json("search", "--collection", self.collection, "--similarity", "0.3",
                         "similar:" + original)
        found = {h["id"]: h["score"] for h in loose["hits"]}
        self.assertIn(self.ids[self.half], found)
        self.assertLess(found[self.ids[self.half]], 0.6)
        self.assertNotIn(self.ids[self.paths[self.OTHERS[0]]], found)

    def test_show_lists_the_near_duplicates(self):
        copy = self.ids[self.copy]
        doc = run_json("show", "--collection", self.collection, copy)
        listed = [d["id"] for d in doc["near_duplicates"]]
        self.assertIn(self.ids[self.paths[self.ORIGINAL]], listed)
        self.assertNotIn(copy, listed)
        plain = run("show", "--collection", self.collection, copy).stdout
        self.assertIn("near-duplicates: 2", plain)

    def test_collapse_shows_one_hit_per_group_of_near_duplicates(self):
        group = {self.ids[self.paths[self.ORIGINAL]], self.ids[self.copy], self.ids[self.forward]}
        every = run_json("search", "--collection", self.collection, "--limit", "100", "path:dump")
        self.assertEqual(len(every["hits"]), 6)
        collapsed = run_json("search", "--collection", self.collection, "--limit", "100",
                             "--collapse", "path:dump")
        hits = collapsed["hits"]
        shown = [h for h in hits if h["id"] in group]
        self.assertEqual(len(shown), 1)
        self.assertEqual(shown[0]["collapsed"], 2)
        self.assertIn(self.ids[self.half], [h["id"] for h in hits])
        self.assertEqual(len(hits), 4)
        # Pages count the hits that remain.
        second = run_json("search", "--collection", self.collection, "--limit", "1", "--offset",
                          "1", "--collapse", "path:dump")["hits"]
        self.assertEqual([h["id"] for h in second], [hits[1]["id"]])

    def test_collapse_keeps_a_reply_apart_from_the_message_it_answers(self):
        group = {self.ids[self.paths[self.ORIGINAL]], self.ids[self.copy], self.ids[self.forward],
                 self.ids[self.reply]}
        hits = run_json("search", "--collection", self.collection, "--limit", "100",
                        "--collapse", "bliss OR path:dump OR path:replies")["hits"]
        shown = [h for h in hits if h["id"] in group]
        # Whichever comes first, the reply heads a group of its own or joins the forward (which
        # names no message), and the original and its copy are together elsewhere: two groups.
        self.assertEqual(len(shown), 2, shown)
        self.assertEqual(sum(h["collapsed"] for h in shown), 2)

    def test_unrelated_messages_have_none(self):
        other = self.ids[self.paths[self.OTHERS[0]]]
        self.assertEqual(run_json("show", "--collection", self.collection, other)["near_duplicates"], [])

    def test_similar_of_an_unknown_document_says_so(self):
        out = run("search", "--collection", self.collection, "similar:" + "0" * 32, check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("no document", out.stderr)


if __name__ == "__main__":
    unittest.main()
