#include "cli/message_file.h"

#include <fstream>
#include <iterator>

namespace shipledger::cli {

Status WriteMessageFile(const std::string& path, const google::protobuf::Message& message) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !message.SerializeToOstream(&out) || !out.flush()) {
    return Status::Internal("cannot write " + path);
  }
  return Status::Ok();
}

Status WriteTextFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) {
    return Status::Internal("cannot write " + path);
  }
  return Status::Ok();
}

Status ReadMessageFile(const std::string& path, size_t max_bytes, const std::string& what,
                       google::protobuf::Message* message) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string bytes;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (bytes.size() > max_bytes || !message->ParseFromString(bytes)) {
    return Status::InvalidArgument(path + " is not " + what);
  }
  return Status::Ok();
}

}  // namespace shipledger::cli
