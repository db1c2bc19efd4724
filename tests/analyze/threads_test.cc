#include "analyze/threads.h"

#include <gtest/gtest.h>

#include "core/email.h"

namespace trove::analyze {
namespace {

ThreadInput Message(std::string id, std::string message_id, std::vector<std::string> references,
                    std::string subject, std::int64_t date, std::string text = "") {
  ThreadInput m;
  m.id = std::move(id);
  m.message_id = std::move(message_id);
  m.references = std::move(references);
  m.subject = std::move(subject);
  m.date = date;
  m.text = std::move(text);
  return m;
}

// "id@depth" for each node, in order; a missing message shows as "-@depth".
std::string Shape(const std::vector<ThreadInput>& inputs, const std::vector<ThreadNode>& nodes) {
  std::string out;
  for (const ThreadNode& n : nodes) {
    if (!out.empty()) out += ' ';
    out += (n.input == -1 ? std::string("-") : inputs[n.input].id) + "@" + std::to_string(n.depth);
  }
  return out;
}

TEST(NormalizeSubject, StripsPrefixesInManyLanguagesAndListTags) {
  EXPECT_EQ(NormalizeSubject("Re: RE[2]: Fwd: Budget 2011").key, "budget 2011");
  EXPECT_TRUE(NormalizeSubject("Re: RE[2]: Fwd: Budget 2011").is_reply);
  EXPECT_EQ(NormalizeSubject("[Razor-users] RE: Re: Some startup questions...").key,
            "some startup questions");
  EXPECT_EQ(NormalizeSubject("TR : Réunion du conseil").key, "reunion du conseil");
  EXPECT_TRUE(NormalizeSubject("AW: Termin").is_reply);
  EXPECT_TRUE(NormalizeSubject("new proposal (fwd)").is_reply);
  EXPECT_EQ(NormalizeSubject("new proposal (fwd)").key, "new proposal");
  // A word that only starts like a prefix, or a prefix without its colon, stays.
  EXPECT_EQ(NormalizeSubject("Regarding the audit").key, "regarding the audit");
  EXPECT_FALSE(NormalizeSubject("Re the audit").is_reply);
  EXPECT_EQ(NormalizeSubject("Selling Wedded Bliss (was Re: Ouch...)").key,
            "selling wedded bliss was re ouch");
}

TEST(BuildThread, FollowsReferencesAndSortsRepliesByDate) {
  const std::vector<ThreadInput> in = {
      Message("c", "c@x", {"a@x", "b@x"}, "Re: plan", 300),
      Message("a", "a@x", {}, "plan", 100),
      Message("d", "d@x", {"a@x"}, "Re: plan", 250),
      Message("b", "b@x", {"a@x"}, "Re: plan", 200),
  };
  EXPECT_EQ(Shape(in, BuildThread(in)), "a@0 b@1 c@2 d@1");
}

TEST(BuildThread, KeepsAMissingMessageAnsweredTwiceAndDropsOneAnsweredOnce) {
  const std::vector<ThreadInput> twice = {
      Message("b", "b@x", {"lost@x"}, "Re: plan", 200),
      Message("c", "c@x", {"lost@x"}, "Re: plan", 300),
  };
  const std::vector<ThreadNode> nodes = BuildThread(twice);
  EXPECT_EQ(Shape(twice, nodes), "-@0 b@1 c@1");
  EXPECT_EQ(nodes[0].message_id, "lost@x");
  const std::vector<ThreadInput> once = {Message("b", "b@x", {"lost@x"}, "Re: plan", 200)};
  EXPECT_EQ(Shape(once, BuildThread(once)), "b@0");
}

TEST(BuildThread, BreaksReferenceLoops) {
  const std::vector<ThreadInput> in = {
      Message("a", "a@x", {"b@x"}, "x", 100),
      Message("b", "b@x", {"a@x"}, "x", 200),
  };
  const std::vector<ThreadNode> nodes = BuildThread(in);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].depth, 0);
  EXPECT_EQ(nodes[1].depth, 1);
}

TEST(BuildThread, TwoCopiesOfOneMessageAreSiblings) {
  const std::vector<ThreadInput> in = {
      Message("a", "a@x", {}, "plan", 100),
      Message("b1", "b@x", {"a@x"}, "Re: plan", 200),
      Message("b2", "b@x", {"a@x"}, "Re: plan", 200),
  };
  EXPECT_EQ(Shape(in, BuildThread(in)), "a@0 b1@1 b2@1");
}

TEST(BuildThread, AReplyWithoutHeadersJoinsTheMessageItQuotes) {
  const std::vector<ThreadInput> in = {
      Message("a", "a@x", {}, "Budget", 100, "Can we cut the travel budget by ten percent?"),
      Message("b", "b@x", {"a@x"}, "Re: Budget", 200,
              "No, the auditors would notice.\n> Can we cut the travel budget by ten percent?"),
      Message("c", "c@x", {"a@x"}, "Re: Budget", 300, "I agree with the plan."),
      // No In-Reply-To or References: joined by its subject, under b, which it quotes.
      Message("d", "", {}, "RE: budget", 400,
              "Then do it quietly.\n\nOn Tuesday, Bob wrote:\n> No, the auditors would notice."),
  };
  EXPECT_EQ(Shape(in, BuildThread(in)), "a@0 b@1 d@2 c@1");
}

TEST(BuildThread, OriginalsWithOneSubjectOrFarApartStayApart) {
  const std::int64_t day = 86400;
  const std::vector<ThreadInput> in = {
      Message("a", "a@x", {}, "Meeting", 100),
      Message("b", "b@x", {}, "Meeting", 200),
      Message("late", "late@x", {}, "Re: Meeting", 100 + 400 * day),
  };
  EXPECT_EQ(Shape(in, BuildThread(in)), "a@0 b@0 late@0");
}

TEST(BuildThread, AMessageQuotedWholeByAReplyIsNotInclusive) {
  ThreadInput a = Message("a", "a@x", {}, "Budget", 100, "Can we cut the travel budget?");
  ThreadInput b = Message("b", "b@x", {"a@x"}, "Re: Budget", 200,
                          "No.\n\n-----Original Message-----\nFrom: Ann\nSent: Monday\n"
                          "Can we cut the travel budget?");
  ThreadInput c = Message("c", "c@x", {"a@x"}, "Re: Budget", 300, "Yes, by half.");
  const std::vector<ThreadNode> nodes = BuildThread({a, b, c});
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_FALSE(nodes[0].inclusive);  // a: b quotes it
  EXPECT_TRUE(nodes[1].inclusive);   // b, c: nobody quotes them
  EXPECT_TRUE(nodes[2].inclusive);

  // An attachment the reply does not carry keeps the quoted message inclusive.
  a.attachments = {"f00d"};
  EXPECT_TRUE(BuildThread({a, b, c})[0].inclusive);
  b.attachments = {"f00d"};
  EXPECT_FALSE(BuildThread({a, b, c})[0].inclusive);
}

TEST(OwnText, LeavesOutQuotedLinesAndEverythingAfterAReplyHeader) {
  EXPECT_EQ(OwnText("Fine by me.\n> the old text\nThanks"), "fine by me thanks");
  EXPECT_EQ(OwnText("Yes.\nOn Mon, 5 May 2003, Jane Doe\n <jane@x.org> wrote:\nold text"), "yes");
  EXPECT_EQ(OwnText("Oui.\nLe 5 mai 2003, Jean a écrit :\nancien texte"), "oui");
  EXPECT_EQ(OwnText("See below.\n-----Original Message-----\nFrom: A\nold"), "see below");
  EXPECT_EQ(OwnText("FYI\nFrom: Ann Lee\nSent: Monday, May 5\nTo: Bob\nold"), "fyi");
  // "From:" alone, as a sentence, is not a header block.
  EXPECT_EQ(OwnText("From: the desk of the editor\nwith love"),
            "from the desk of the editor with love");
}

}  // namespace
}  // namespace trove::analyze
