#include "analyze/entities.h"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string ReadFixture(const std::string& name) {
  std::ifstream in("tests/data/analyze/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The contract of FindPatternEntities on one text: offsets inside the text, sorted, no duplicates,
// no overlaps except a URL's host inside its URL.
void ExpectMentionContract(std::string_view text, const std::vector<Mention>& mentions) {
  const Mention* outer = nullptr;  // the last mention that was not a URL's host
  for (std::size_t idx = 0; idx < mentions.size(); ++idx) {
    const Mention& mention = mentions[idx];
    ASSERT_LT(mention.begin, mention.end);
    ASSERT_LE(mention.end, text.size());
    EXPECT_FALSE(mention.value.empty());
    if (idx > 0) {
      EXPECT_LE(mentions[idx - 1].begin, mention.begin) << "not sorted";
      EXPECT_FALSE(mentions[idx - 1] == mention) << "duplicate";
    }
    const bool is_inside_url =
        outer != nullptr && outer->type == EntityType::kUrl && outer->begin <= mention.begin &&
        mention.end <= outer->end &&
        (mention.type == EntityType::kDomain || mention.type == EntityType::kIp);
    if (outer != nullptr && !is_inside_url) {
      EXPECT_LE(outer->end, mention.begin)
          << EntityTypeName(mention.type) << " at " << mention.begin << " overlaps "
          << EntityTypeName(outer->type) << " at " << outer->begin;
    }
    if (!is_inside_url) outer = &mention;
  }
}

// "type [as written] value", for readable expectations.
std::vector<std::string> Describe(std::string_view text, std::string_view language) {
  const std::vector<Mention> mentions = FindPatternEntities(text, language);
  ExpectMentionContract(text, mentions);
  std::vector<std::string> out;
  for (const Mention& mention : mentions) {
    std::string written(text.substr(mention.begin, mention.end - mention.begin));
    for (char& ch : written) {
      if (ch == '\n') ch = ' ';
    }
    out.push_back(std::string(EntityTypeName(mention.type)) + " [" + written + "] " +
                  mention.value);
  }
  return out;
}

// Only the mentions of one type.
std::vector<std::string> DescribeType(std::string_view text, std::string_view language,
                                      EntityType type) {
  std::vector<std::string> out;
  const std::string prefix = std::string(EntityTypeName(type)) + " [";
  for (std::string& line : Describe(text, language)) {
    if (line.starts_with(prefix)) out.push_back(std::move(line));
  }
  return out;
}

TEST(EntityTypeName, NamesEveryType) {
  EXPECT_EQ(EntityTypeName(EntityType::kEmail), "email");
  EXPECT_EQ(EntityTypeName(EntityType::kPhone), "phone");
  EXPECT_EQ(EntityTypeName(EntityType::kIban), "iban");
  EXPECT_EQ(EntityTypeName(EntityType::kUrl), "url");
  EXPECT_EQ(EntityTypeName(EntityType::kDomain), "domain");
  EXPECT_EQ(EntityTypeName(EntityType::kIp), "ip");
  EXPECT_EQ(EntityTypeName(EntityType::kMoney), "money");
  EXPECT_EQ(EntityTypeName(EntityType::kDate), "date");
  EXPECT_EQ(EntityTypeName(EntityType::kMarking), "marking");
}

// Real text ----------------------------------------------------------------------------------

TEST(FindPatternEntities, FindsTheDatesAndTheUrlOfANewsArticle) {
  // Also: "2012" alone, "(PS)", "(FN)", "CIA Vault 7" and "U.S." are none of our entities.
  EXPECT_THAT(
      Describe(ReadFixture("seed-article-en.txt"), "en"),
      ElementsAre("date [November 21, 2011] 2011-11-21", "date [September 29, 2012] 2012-09-29",
                  "url [http://www.trueactivist.com/"
                  "wikileaks-exposes-cia-interference-in-2012-french-presidential-"
                  "election/] http://www.trueactivist.com/"
                  "wikileaks-exposes-cia-interference-in-2012-french-presidential-"
                  "election/",
                  "domain [www.trueactivist.com] trueactivist.com"));
}

TEST(FindPatternEntities, FindsAddressesIpsDatesAndAPhoneInARealMail) {
  // The Message-Id is left out; "<zzzz@localhost>" has no domain; "8.11.6/8.11.6" and
  // "fetchmail-5.9.0" are versions; "Aug 23 11:05:35 2002" has a time in the middle.
  const std::string mail = ReadFixture("spamassassin-autoreply.eml");
  EXPECT_THAT(Describe(mail, "en"),
              ElementsAre("email [hauns_froehlingsdorf@infinetivity.com] "
                          "hauns_froehlingsdorf@infinetivity.com",
                          "email [hauns_froehlingsdorf@infinetivity.com] "
                          "hauns_froehlingsdorf@infinetivity.com",
                          "email [zzzz@localhost.netnoteinc.com] zzzz@localhost.netnoteinc.com",
                          "ip [127.0.0.1] 127.0.0.1", "date [23 Aug 2002] 2002-08-23",
                          "ip [127.0.0.1] 127.0.0.1", "date [23 Aug 2002] 2002-08-23",
                          "ip [208.142.244.17] 208.142.244.17",
                          "email [zzzz@spamassassin.taint.org] zzzz@spamassassin.taint.org",
                          "date [22 Aug 2002] 2002-08-22", "ip [127.0.0.1] 127.0.0.1",
                          "email [zzzz@spamassassin.taint.org] zzzz@spamassassin.taint.org",
                          "date [22 Aug 2002] 2002-08-22", "date [22 Aug 2002] 2002-08-22",
                          "date [22 Aug 2002] 2002-08-22",
                          "email [zzzz@spamassassin.taint.org] zzzz@spamassassin.taint.org",
                          "email [hauns_froehlingsdorf@infinetivity.com] "
                          "hauns_froehlingsdorf@infinetivity.com",
                          "email [hauns_froehlingsdorf@infinetivity.com] "
                          "hauns_froehlingsdorf@infinetivity.com",
                          "email [hauns_froehlingsdorf@infinetivity.com] "
                          "hauns_froehlingsdorf@infinetivity.com",
                          "date [August 26 2002] 2002-08-26", "phone [952-225.4200] +19522254200",
                          "url [http://www.infinetivity.com] http://www.infinetivity.com/",
                          "domain [www.infinetivity.com] infinetivity.com"));
}

TEST(FindPatternEntities, FindsMoneyAndAPhoneInASpamMail) {
  // "@19.95/month" is not an amount; "xxz7rem@mail.com?subject=..." is an address.
  const std::string mail = ReadFixture("spamassassin-webdesign.eml");
  EXPECT_THAT(DescribeType(mail, "en", EntityType::kMoney),
              ElementsAre("money [$399] USD 399", "money [$399] USD 399"));
  EXPECT_THAT(DescribeType(mail, "en", EntityType::kPhone),
              ElementsAre("phone [800-215-4490] +18002154490"));
  EXPECT_THAT(DescribeType(mail, "en", EntityType::kEmail).back(),
              "email [xxz7rem@mail.com] xxz7rem@mail.com");
}

TEST(FindPatternEntities, FindsDatesAndAmountsInAFrenchNewspaper) {
  // "le 6 août", "22 avril" have no year; "20 juillet lSiCKi" is OCR noise.
  EXPECT_THAT(Describe(ReadFixture("europeana-ouest-eclair-fr.txt"), "fr"),
              ElementsAre("date [20 juillet 1906] 1906-07-20", "date [20 juillet 1906] 1906-07-20",
                          "money [550 millions de francs] FRF 550000000"));
}

// E-mail addresses ---------------------------------------------------------------------------

TEST(FindPatternEntities, LowerCasesTheDomainOfAnAddressButNotItsLocalPart) {
  EXPECT_THAT(Describe("Write to John.Doe@Example.COM.", ""),
              ElementsAre("email [John.Doe@Example.COM] John.Doe@example.com"));
}

TEST(FindPatternEntities, LeavesOutMessageIdsInTheirHeaders) {
  const std::string headers =
      "From: Alice <alice@example.org>\n"
      "Message-ID: <1234.5678@mail.example.org>\n"
      "References: <a1@host.example.com>\n"
      "  <b2@host.example.com>\n"
      "In-Reply-To: <c3@host.example.com>\n"
      "Content-Type: image/png; name=\"x.png\"\n"
      "  <img src=\"cid:part1.0609@example.net\">\n";
  EXPECT_THAT(Describe(headers, "en"), ElementsAre("email [alice@example.org] alice@example.org"));
  // Without the header around it, the same text is an address.
  EXPECT_THAT(Describe("see <1234.5678@mail.example.org>", "en"),
              ElementsAre("email [1234.5678@mail.example.org] 1234.5678@mail.example.org"));
}

TEST(FindPatternEntities, RefusesMalformedAddresses) {
  EXPECT_THAT(
      Describe(
          "a..b@example.com user@localhost x@y.c name@host.comfoobarbazquxquuxcorgegraultgarply",
          ""),
      IsEmpty());
  EXPECT_THAT(Describe(".leading.dot@example.com", ""),
              ElementsAre("email [leading.dot@example.com] leading.dot@example.com"));
}

// URLs, domains and IP addresses ----------------------------------------------------------------

TEST(FindPatternEntities, NormalisesUrlsAndReportsTheirDomains) {
  EXPECT_THAT(
      Describe("See HTTPS://WWW.Example.COM:443/Path?q=1#top, or (www.example.org/a_(b)).", "en"),
      ElementsAre("url [HTTPS://WWW.Example.COM:443/Path?q=1#top] "
                  "https://www.example.com/Path?q=1",
                  "domain [WWW.Example.COM] example.com",
                  "url [www.example.org/a_(b)] http://www.example.org/a_(b)",
                  "domain [www.example.org] example.org"));
}

TEST(FindPatternEntities, ReadsAnAddressInsideAUrlAsPartOfTheUrl) {
  EXPECT_THAT(Describe("http://lists.example.com/unsubscribe?who=bob@example.net ok", "en"),
              ElementsAre("url [http://lists.example.com/unsubscribe?who=bob@example.net] "
                          "http://lists.example.com/unsubscribe?who=bob@example.net",
                          "domain [lists.example.com] lists.example.com"));
}

TEST(FindPatternEntities, ReportsTheIpAddressOfAUrlWithoutADomain) {
  EXPECT_THAT(Describe("http://65.217.159.103/response/response.asp", "en"),
              ElementsAre("url [http://65.217.159.103/response/response.asp] "
                          "http://65.217.159.103/response/response.asp",
                          "ip [65.217.159.103] 65.217.159.103"));
  EXPECT_THAT(Describe("http://intranet/ and http:// and www.x", "en"), IsEmpty());
}

TEST(FindPatternEntities, ValidatesIpv4AddressesAndSkipsVersionNumbers) {
  EXPECT_THAT(Describe("from [10.0.0.255] and 192.168.1.1.", "en"),
              ElementsAre("ip [10.0.0.255] 10.0.0.255", "ip [192.168.1.1] 192.168.1.1"));
  // Octets above 255, leading zeros, longer dotted runs (OIDs), versions.
  EXPECT_THAT(
      Describe("256.1.1.1 10.01.1.1 1.3.6.1.4.1 version 1.2.3.4 v1.2.3.4 Build: 6.0.0.1", "en"),
      IsEmpty());
}

TEST(FindPatternEntities, ValidatesIpv6Addresses) {
  EXPECT_THAT(Describe("Hosts 2001:DB8:0:0:0:0:0:1 and fe80::1, not 12:30:45, std::vector, "
                       "00:1a:2b:3c:4d:5e, B4F::5 or ::1.",
                       "en"),
              ElementsAre("ip [2001:DB8:0:0:0:0:0:1] 2001:db8::1", "ip [fe80::1] fe80::1"));
}

// IBANs ------------------------------------------------------------------------------------------

TEST(FindPatternEntities, FindsIbansWithAndWithoutSpacesAndChecksTheirChecksum) {
  EXPECT_THAT(
      Describe("IBAN: FR14 2004 1010 0505 0001 3M02 606 BIC CCOPFRPP; GB82WEST12345698765432.",
               "fr"),
      ElementsAre("iban [FR14 2004 1010 0505 0001 3M02 606] FR1420041010050500013M02606",
                  "iban [GB82WEST12345698765432] GB82WEST12345698765432"));
  // A wrong check digit, a wrong length for the country, an unknown country.
  EXPECT_THAT(Describe("FR15 2004 1010 0505 0001 3M02 606, GB82WEST1234569876543, "
                       "QQ82WEST12345698765432",
                       "fr"),
              IsEmpty());
}

TEST(FindPatternEntities, DoesNotReadTheDigitsOfAnIbanAsAPhoneNumber) {
  EXPECT_THAT(Describe("Virement : DE89 3704 0044 0532 0130 00", "fr"),
              ElementsAre("iban [DE89 3704 0044 0532 0130 00] DE89370400440532013000"));
}

// Money ------------------------------------------------------------------------------------------

TEST(FindPatternEntities, NormalisesAmountsOfMoney) {
  EXPECT_THAT(
      Describe("Paid $1.5 million, then US$ 3,000, €200 and 200 euros; EUR 5m and £12.50.", "en"),
      ElementsAre("money [$1.5 million] USD 1500000", "money [US$ 3,000] USD 3000",
                  "money [€200] EUR 200", "money [200 euros] EUR 200", "money [EUR 5m] EUR 5000000",
                  "money [£12.50] GBP 12.5"));
  EXPECT_THAT(
      Describe("Il a reçu 1 000 000 € puis 1,5 million d'euros et 20.000 francs.", "fr"),
      ElementsAre("money [1 000 000 €] EUR 1000000", "money [1,5 million d'euros] EUR 1500000",
                  "money [20.000 francs] FRF 20000"));
  EXPECT_THAT(Describe("Total: $1,234,567.89 or 1.234.567,89 EUR", "en"),
              ElementsAre("money [$1,234,567.89] USD 1234567.89",
                          "money [1.234.567,89 EUR] EUR 1234567.89"));
}

TEST(FindPatternEntities, KeepsAnAmountApartFromTheYearAfterIt) {
  EXPECT_THAT(Describe("€200 2011", "en"), ElementsAre("money [€200] EUR 200"));
}

TEST(FindPatternEntities, IgnoresCurrencySignsWithoutAnAmount) {
  EXPECT_THAT(Describe("$$$ MAKE MONEY $$$, 5$B, EUROPE 2000, US$, the $ sign", "en"), IsEmpty());
}

// Dates ------------------------------------------------------------------------------------------

TEST(FindPatternEntities, ReadsDatesInEnglish) {
  EXPECT_THAT(
      Describe("November 21, 2011; 21 November 2011; Nov. 21, 2011; 2011-11-21; "
               "the 3rd of March, 2012; NOVEMBER 21, 2011.",
               "en"),
      ElementsAre("date [November 21, 2011] 2011-11-21", "date [21 November 2011] 2011-11-21",
                  "date [Nov. 21, 2011] 2011-11-21", "date [2011-11-21] 2011-11-21",
                  "date [3rd of March, 2012] 2012-03-03", "date [NOVEMBER 21, 2011] 2011-11-21"));
}

TEST(FindPatternEntities, ReadsDatesInFrench) {
  EXPECT_THAT(Describe("le 21 novembre 2011, le 1er mars 2012, 3 Février 2010, 14 AOÛT 1914", "fr"),
              ElementsAre("date [21 novembre 2011] 2011-11-21", "date [1er mars 2012] 2012-03-01",
                          "date [3 Février 2010] 2010-02-03", "date [14 AOÛT 1914] 1914-08-14"));
}

TEST(FindPatternEntities, GivesOnlyTheMonthWhenTheTextHasNoDay) {
  EXPECT_THAT(Describe("In November 2011 and in mars 2012.", "en"),
              ElementsAre("date [November 2011] 2011-11", "date [mars 2012] 2012-03"));
}

TEST(FindPatternEntities, ReadsAmbiguousNumericDatesInTheDocumentsLanguage) {
  EXPECT_THAT(Describe("03/04/2011", "en"), ElementsAre("date [03/04/2011] 2011-03-04"));
  EXPECT_THAT(Describe("03/04/2011", "fr"), ElementsAre("date [03/04/2011] 2011-04-03"));
  EXPECT_THAT(Describe("03/04/2011", ""), ElementsAre("date [03/04/2011] 2011-04-03"));
  // One reading only: the language does not matter.
  EXPECT_THAT(Describe("21/11/2011 and 11/21/2011", "en"),
              ElementsAre("date [21/11/2011] 2011-11-21", "date [11/21/2011] 2011-11-21"));
  EXPECT_THAT(Describe("21.11.2011", "fr"), ElementsAre("date [21.11.2011] 2011-11-21"));
}

TEST(FindPatternEntities, RefusesDatesThatDoNotExist) {
  EXPECT_THAT(Describe("31/02/2011, 2011-13-01, 29 February 2011, 30/30/2011, 32 May 2011", "en"),
              IsEmpty());
  EXPECT_THAT(Describe("29 February 2012", "en"),
              ElementsAre("date [29 February 2012] 2012-02-29"));
}

TEST(FindPatternEntities, NeedsAYearToReadADate) {
  EXPECT_THAT(Describe("Meet on 3/4, on 21 November or in May; it may 2011 be.", "en"), IsEmpty());
  EXPECT_THAT(Describe("May 1000 people come", "en"), IsEmpty());
}

TEST(FindPatternEntities, ReadsTheDateOfAnIsoTimestampButNotOfLongerNumbers) {
  EXPECT_THAT(Describe("Created 2011-11-21T10:00:00Z.", "en"),
              ElementsAre("date [2011-11-21] 2011-11-21"));
  EXPECT_THAT(Describe("21/11/20115, 2011-11-215, 1.2.2011.5, 21/11/2011x", "en"), IsEmpty());
}

TEST(FindPatternEntities, DoesNotReadADateAsAPhoneNumber) {
  EXPECT_THAT(Describe("Posted 2011-11-21 and 11-21-2011", "en"),
              ElementsAre("date [2011-11-21] 2011-11-21", "date [11-21-2011] 2011-11-21"));
}

// Phone numbers --------------------------------------------------------------------------------

TEST(FindPatternEntities, NormalisesPhoneNumbersToE164InTheDocumentsRegion) {
  EXPECT_THAT(
      Describe("Call (650) 253-0000 or +44 20 7499 2264.", "en"),
      ElementsAre("phone [(650) 253-0000] +16502530000", "phone [+44 20 7499 2264] +442074992264"));
  EXPECT_THAT(
      Describe("Tél. : 01 42 68 53 00, 01.42.68.53.01 ou +33 (0)6 12 34 56 78", "fr"),
      ElementsAre("phone [01 42 68 53 00] +33142685300", "phone [01.42.68.53.01] +33142685301",
                  "phone [+33 (0)6 12 34 56 78] +33612345678"));
}

TEST(FindPatternEntities, FindsOnlyInternationalNumbersWhenTheLanguageIsUnknown) {
  EXPECT_THAT(Describe("Call (650) 253-0000 or +33 1 42 68 53 00.", ""),
              ElementsAre("phone [+33 1 42 68 53 00] +33142685300"));
}

TEST(FindPatternEntities, SkipsNumbersThatOnlyLookLikePhoneNumbers) {
  // Order and reference numbers, a version, a host name, a number glued to a word.
  EXPECT_THAT(Describe("Order 6502530000 shipped. Order #650 253 0000. Outlook Express "
                       "5.00.2615.200. Received from 64-172-88-155.example.net. ID A6502530000.",
                       "en"),
              IsEmpty());
  // An unbroken run of digits after a word that announces a number is one.
  EXPECT_THAT(Describe("Phone: 6502530000", "en"), ElementsAre("phone [6502530000] +16502530000"));
}

// Classification markings ------------------------------------------------------------------------

TEST(FindPatternEntities, FindsBannerMarkings) {
  EXPECT_THAT(Describe("SECRET//NOFORN\nTOP SECRET//SI//REL TO USA,FVEY\n"
                       "UNCLASSIFIED//FOR OFFICIAL USE ONLY\n  CONFIDENTIAL  \n-- SECRET --\n",
                       "en"),
              ElementsAre("marking [SECRET//NOFORN] SECRET//NOFORN",
                          "marking [TOP SECRET//SI//REL TO USA,FVEY] "
                          "TOP SECRET//SI//REL TO USA, FVEY",
                          "marking [UNCLASSIFIED//FOR OFFICIAL USE ONLY] "
                          "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
                          "marking [CONFIDENTIAL] CONFIDENTIAL", "marking [SECRET] SECRET"));
}

TEST(FindPatternEntities, FindsPortionMarkingsAtTheStartOfAParagraph) {
  EXPECT_THAT(Describe("(S//NF) The source reported.\n(TS//SI) Intercepts show.\n"
                       "2. (C) The embassy.\n  (U//FOUO) Logistics.\n",
                       "en"),
              ElementsAre("marking [(S//NF)] (S//NF)", "marking [(TS//SI)] (TS//SI)",
                          "marking [(C)] (C)", "marking [(U//FOUO)] (U//FOUO)"));
}

TEST(FindPatternEntities, DoesNotTakeProseOrCopyrightForAMarking) {
  EXPECT_THAT(Describe("They held a secret meeting with the Secret Service.\n"
                       "THE SECRET OF WEALTH\nSTRICTLY CONFIDENTIAL BUSINESS PROPOSAL\n"
                       "(c) 2011 Acme Inc.\n(C) 2011 Acme Inc.\n(C) Copyright Acme\n"
                       "See note (C) below. SECRETARY SECRETS\n",
                       "en"),
              IsEmpty());
}

TEST(FindPatternEntities, DoesNotTakeAListItemForAPortionMarking) {
  EXPECT_THAT(Describe("(A) The first item.\n(B) The second item.\n(C) The third item.\n", "en"),
              IsEmpty());
  EXPECT_THAT(Describe("(a) one,\n(b) two,\n(c) three.\n", "en"), IsEmpty());
}

TEST(FindPatternEntities, FindsFrenchAndCableMarkings) {
  EXPECT_THAT(Describe("CONFIDENTIEL DÉFENSE\nTRES SECRET DEFENSE\nSECRET-DÉFENSE\n"
                       "DIFFUSION RESTREINTE\nC O N F I D E N T I A L SECTION 01 OF 02 PARIS\n",
                       "fr"),
              ElementsAre("marking [CONFIDENTIEL DÉFENSE] CONFIDENTIEL DÉFENSE",
                          "marking [TRES SECRET DEFENSE] TRÈS SECRET DÉFENSE",
                          "marking [SECRET-DÉFENSE] SECRET DÉFENSE",
                          "marking [DIFFUSION RESTREINTE] DIFFUSION RESTREINTE",
                          "marking [C O N F I D E N T I A L] CONFIDENTIAL"));
  // Prose about classification is not a marking.
  EXPECT_THAT(Describe("la levée du secret-défense sur ce dossier très secret", "fr"), IsEmpty());
}

// Hostile input --------------------------------------------------------------------------------

// Runs FindPatternEntities on `text` and checks that it kept its contract and took less than
// `max_seconds` (generous: the machine is shared; a quadratic path would take minutes).
void ExpectSafeOn(const std::string& text, double max_seconds) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Mention> mentions = FindPatternEntities(text, "en");
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  ExpectMentionContract(text, mentions);
  EXPECT_LT(elapsed.count(), max_seconds) << text.size() << " bytes";
}

TEST(FindPatternEntities, SurvivesRandomBytes) {
  std::mt19937 random(42);
  for (int round = 0; round < 200; ++round) {
    std::string text(random() % 4096, '\0');
    for (char& ch : text) ch = static_cast<char>(random());
    ExpectSafeOn(text, 5);
  }
}

TEST(FindPatternEntities, SurvivesInvalidUtf8AroundEntities) {
  const std::string text = "\xff\xfe a@example.com \xc3 (650) 253-0000 \xe2\x82 €200 \xed\xa0\x80";
  EXPECT_THAT(Describe(text, "en"),
              ElementsAre("email [a@example.com] a@example.com",
                          "phone [(650) 253-0000] +16502530000", "money [€200] EUR 200"));
}

TEST(FindPatternEntities, FinishesOnAMegabyteOfDigits) {
  ExpectSafeOn(std::string(1 << 20, '7'), 20);
}

TEST(FindPatternEntities, FinishesOnPathologicalRepetitions) {
  std::string separators;
  std::string at_signs;
  std::string dotted;
  std::string brackets;
  for (int idx = 0; idx < 100000; ++idx) {
    separators += "1-";
    at_signs += "a@";
    dotted += "1.";
    brackets += "((";
  }
  ExpectSafeOn(separators, 20);
  ExpectSafeOn(at_signs, 20);
  ExpectSafeOn(dotted, 20);
  ExpectSafeOn(brackets, 20);
  ExpectSafeOn("http://example.com/" + std::string(200000, ')'), 20);
  ExpectSafeOn(std::string(1 << 20, 'a') + "@", 20);
  ExpectSafeOn("Phone: " + separators, 20);
}

TEST(FindPatternEntities, CapsTheMentionsOfOneType) {
  std::string text;
  for (std::size_t idx = 0; idx < kMaxMentionsPerType + 100; ++idx) {
    text += "user" + std::to_string(idx) + "@example.com ";
  }
  const std::vector<Mention> mentions = FindPatternEntities(text, "en");
  EXPECT_EQ(mentions.size(), kMaxMentionsPerType);
}

}  // namespace
}  // namespace trove::analyze
