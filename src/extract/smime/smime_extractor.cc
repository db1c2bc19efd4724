// S/MIME and PKCS #7 signed data (.p7m; application/pkcs7-mime) with OpenSSL's CMS code. The
// signed content becomes a child document (it may be XML, a PDF or a whole MIME message), and
// the signature's metadata (signer, signing time) is kept on the container. Signatures are not
// verified: a leak has no trust store to verify against, and the content is indexed either way.
// Enveloped (encrypted) data needs the recipient's private key and is reported as unsupported.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// pem.h before cms.h, which declares its PEM functions only when pem.h was seen.
#include <openssl/pem.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::size_t kMaxSignersListed = 16;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct CmsFree {
  void operator()(CMS_ContentInfo* cms) const { CMS_ContentInfo_free(cms); }
};
struct CertsFree {
  void operator()(STACK_OF(X509) * certs) const { sk_X509_pop_free(certs, X509_free); }
};

std::unique_ptr<BIO, BioFree> MemoryBio(std::string_view bytes) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// DER first (the usual .p7m), then PEM, then S/MIME (a MIME entity with a base64 body).
std::unique_ptr<CMS_ContentInfo, CmsFree> ParseCms(std::string_view bytes) {
  using Parsed = std::unique_ptr<CMS_ContentInfo, CmsFree>;
  if (auto bio = MemoryBio(bytes)) {
    if (Parsed cms{d2i_CMS_bio(bio.get(), nullptr)}) return cms;
  }
  if (auto bio = MemoryBio(bytes)) {
    if (Parsed cms{PEM_read_bio_CMS(bio.get(), nullptr, nullptr, nullptr)}) return cms;
  }
  if (auto bio = MemoryBio(bytes)) {
    if (Parsed cms{SMIME_read_CMS(bio.get(), nullptr)}) return cms;
  }
  return nullptr;
}

std::string NameOf(X509_NAME* name) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (length <= 0 || data == nullptr) return {};
  std::string out = SanitizeUtf8(std::string_view(data, static_cast<std::size_t>(length)));
  TruncateUtf8(&out, 1024);
  return out;
}

std::optional<std::int64_t> SigningTime(CMS_SignerInfo* signer) {
  const int index = CMS_signed_get_attr_by_NID(signer, NID_pkcs9_signingTime, -1);
  if (index < 0) return std::nullopt;
  X509_ATTRIBUTE* attribute = CMS_signed_get_attr(signer, index);
  ASN1_TYPE* value = attribute == nullptr ? nullptr : X509_ATTRIBUTE_get0_type(attribute, 0);
  if (value == nullptr) return std::nullopt;
  const ASN1_TIME* time = nullptr;
  if (value->type == V_ASN1_UTCTIME) time = value->value.utctime;
  if (value->type == V_ASN1_GENERALIZEDTIME) time = value->value.generalizedtime;
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string IsoTime(std::int64_t seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&time, &tm) == nullptr) return {};
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// The child's name: the container's without ".p7m" ("contract.pdf.p7m" -> "contract.pdf"). A
// MIME entity (an S/MIME mail body) is named .eml, so that it is read as a message.
std::string ContentName(std::string_view container, std::string_view content) {
  std::string name(container);
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view suffix : {".p7m", ".p7s", ".p7", ".pkcs7"}) {
    if (lower.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  if (name.empty()) name = "signed-content";
  std::string head(content.substr(0, 64));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((head.starts_with("content-type:") || head.starts_with("mime-version:")) &&
      name.find('.') == std::string::npos) {
    name += ".eml";
  }
  return name;
}

class SmimeExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "smime"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    if (input.bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return Status::LimitExceeded("PKCS #7 file " + std::string(input.name) + " is over 2 GiB");
    }
    std::unique_ptr<CMS_ContentInfo, CmsFree> cms = ParseCms(input.bytes);
    ERR_clear_error();  // OpenSSL queues errors per thread; none of them is ours to report
    if (!cms) {
      return Status::Corrupt(std::string(input.name) +
                             " is not a readable PKCS #7 / CMS structure");
    }
    const int type = OBJ_obj2nid(CMS_get0_type(cms.get()));
    if (type == NID_pkcs7_enveloped || type == NID_id_smime_ct_authEnvelopedData) {
      return Status::Unsupported(std::string(input.name) +
                                 " is encrypted S/MIME (enveloped data): it needs the "
                                 "recipient's private key");
    }
    if (type != NID_pkcs7_signed) {
      return Status::Unsupported(std::string(input.name) + " holds PKCS #7 content of type " +
                                 OBJ_nid2sn(type) + ", which is not read");
    }
    Extraction extraction;
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
    std::unique_ptr<STACK_OF(X509), CertsFree> certs(CMS_get1_certs(cms.get()));
    const int signer_count = signers == nullptr ? 0 : sk_CMS_SignerInfo_num(signers);
    for (int idx = 0; idx < signer_count && static_cast<std::size_t>(idx) < kMaxSignersListed;
         ++idx) {
      CMS_SignerInfo* signer = sk_CMS_SignerInfo_value(signers, idx);
      std::string subject;
      const int cert_count = certs ? sk_X509_num(certs.get()) : 0;
      for (int cert_idx = 0; cert_idx < cert_count; ++cert_idx) {
        X509* cert = sk_X509_value(certs.get(), cert_idx);
        if (CMS_SignerInfo_cert_cmp(signer, cert) == 0) {
          subject = NameOf(X509_get_subject_name(cert));
          break;
        }
      }
      if (!subject.empty()) {
        extraction.metadata.emplace_back("signer", subject);
        if (extraction.author.empty()) extraction.author = subject;
      }
      if (std::optional<std::int64_t> time = SigningTime(signer)) {
        extraction.metadata.emplace_back("signing time", IsoTime(*time));
        if (!extraction.date) extraction.date = time;
      }
    }
    extraction.metadata.emplace_back("signature", "not verified");
    ASN1_OCTET_STRING** content = CMS_get0_content(cms.get());
    ERR_clear_error();
    if (content == nullptr || *content == nullptr) {
      extraction.metadata.emplace_back("content", "detached (signed elsewhere)");
      return extraction;
    }
    const std::string_view bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*content)),
                                 static_cast<std::size_t>(ASN1_STRING_length(*content)));
    const std::string name = ContentName(input.name, bytes);
    if (bytes.size() > input.limits.max_child_bytes) {
      children.OnChildFailed(name, Status::LimitExceeded("signed content " + name + " is " +
                                                         std::to_string(bytes.size()) + " bytes"));
      return extraction;
    }
    TROVE_RETURN_IF_ERROR(children.OnChild(ChildFile{name, std::string(bytes), "", std::nullopt}));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewSmimeExtractor() { return std::make_unique<SmimeExtractor>(); }

}  // namespace trove::extract::internal
