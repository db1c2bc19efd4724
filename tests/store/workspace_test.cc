#include "store/workspace.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "testing/temp_dir.h"

namespace trove::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Workspace::Open(dir_.path() + "/trove.sqlite");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    ws_ = std::move(opened).value();
  }
  testing::TempDir dir_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(WorkspaceTest, TagsAreSetOnceAndFoundByTag) {
  ASSERT_TRUE(ws_->AddTag({"d1", "hot", "ann", 0}).ok());
  ASSERT_TRUE(ws_->AddTag({"d1", "hot", "bob", 0}).ok());  // twice: still one
  ASSERT_TRUE(ws_->AddTag({"d2", "hot", "", 0}).ok());
  ASSERT_TRUE(ws_->AddTag({"d2", "legal", "", 0}).ok());
  EXPECT_THAT(*ws_->Tagged("hot"), ElementsAre("d1", "d2"));
  EXPECT_THAT(*ws_->ListTags(), ElementsAre(Pair("hot", 2u), Pair("legal", 1u)));
  ASSERT_EQ(ws_->TagsOf("d1")->size(), 1u);
  EXPECT_EQ(ws_->TagsOf("d1")->front().user, "ann");
  ASSERT_TRUE(ws_->RemoveTag("d1", "hot").ok());
  EXPECT_THAT(*ws_->Tagged("hot"), ElementsAre("d2"));
}

TEST_F(WorkspaceTest, NotesKeepTheirTextAndAuthor) {
  auto id = ws_->AddNote({0, "d1", "ann", "<b>see page 3</b>", 0});
  ASSERT_TRUE(id.ok());
  auto notes = ws_->NotesOf("d1");
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ(notes->front().text, "<b>see page 3</b>");
  EXPECT_EQ((*ws_->FindNote(*id))->user, "ann");
  ASSERT_TRUE(ws_->DeleteNote(*id).ok());
  EXPECT_THAT(*ws_->NotesOf("d1"), IsEmpty());
  EXPECT_EQ(ws_->DeleteNote(*id).code(), StatusCode::kNotFound);
}

TEST_F(WorkspaceTest, StarsAndSavedSearchesBelongToOneAccount) {
  ASSERT_TRUE(ws_->SetStar("d1", "ann", true).ok());
  EXPECT_TRUE(*ws_->IsStarred("d1", "ann"));
  EXPECT_FALSE(*ws_->IsStarred("d1", "bob"));
  ASSERT_TRUE(ws_->SetStar("d1", "ann", false).ok());
  EXPECT_THAT(*ws_->StarredBy("ann"), IsEmpty());
  auto id = ws_->SaveSearch({0, "ann", "leaks", R"({"q":"leak"})", 0});
  ASSERT_TRUE(id.ok());
  EXPECT_THAT(*ws_->ListSavedSearches("bob"), IsEmpty());
  EXPECT_EQ(ws_->DeleteSavedSearch(*id, "bob").code(), StatusCode::kNotFound);
  ASSERT_EQ(ws_->ListSavedSearches("ann")->size(), 1u);
}

TEST_F(WorkspaceTest, DeletingAUserEndsTheirSessions) {
  ASSERT_TRUE(ws_->PutUser({"ann", Role::kEditor, "hash", 0}).ok());
  EXPECT_EQ(*ws_->CountUsers(), 1u);
  ASSERT_TRUE(ws_->PutSession({"t1", "ann", "c1", 100, 200}).ok());
  EXPECT_TRUE(ws_->FindSession("t1", 150)->has_value());
  EXPECT_FALSE(ws_->FindSession("t1", 200)->has_value());  // expired
  ASSERT_TRUE(ws_->DeleteUser("ann").ok());
  EXPECT_FALSE(ws_->FindSession("t1", 150)->has_value());
  EXPECT_EQ(ws_->DeleteUser("ann").code(), StatusCode::kNotFound);
}

TEST_F(WorkspaceTest, AuditLogListsNewestFirst) {
  ASSERT_TRUE(ws_->Audit({0, 10, "ann", "search", "cia"}).ok());
  ASSERT_TRUE(ws_->Audit({0, 11, "bob", "view", "d1"}).ok());
  auto entries = ws_->ListAudit(0, 10);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->front().action, "view");
  EXPECT_EQ(ws_->ListAudit(1, 10)->front().detail, "cia");
}

TEST(RoleTest, NamesRoundTripAndUnknownIsRefused) {
  for (Role r : {Role::kReader, Role::kEditor, Role::kAdmin}) EXPECT_EQ(*ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_LT(Role::kReader, Role::kAdmin);
}

}  // namespace
}  // namespace trove::store
