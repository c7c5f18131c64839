// A raw HTTP/1.1 exchange over a loopback TCP socket, for tests of the tracking service: send
// bytes exactly as given (malformed ones too), read until the server closes.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>

namespace shipledger::testing {

struct RawHttpReply {
  bool connected = false;
  bool closed = false;  // the server closed the connection before the timeout
  std::string text;     // everything the server sent
  // The status code of the first line ("HTTP/1.1 404 Not Found" -> 404), 0 if none.
  int status() const;
  // The value of header `name` (case-insensitive), "" if absent.
  std::string header(std::string_view name) const;
  std::string body() const;
};

// Connects to 127.0.0.1:`port`, sends `request`, reads until EOF or `timeout_ms`.
RawHttpReply RawHttp(int port, std::string_view request, int timeout_ms = 5000);
// The same from the loopback address `from` (e.g. "127.0.0.2": all of 127/8 is local), so a
// test can be more than one client address.
RawHttpReply RawHttpFrom(std::string_view from, int port, std::string_view request,
                         int timeout_ms = 5000);
// A TCP connection from `from` to 127.0.0.1:`port` that sends nothing: its socket, or -1.
// The caller closes it.
int ConnectFrom(std::string_view from, int port);
// "GET `target` HTTP/1.1" with Host and Connection: close.
RawHttpReply HttpGet(int port, std::string_view target, int timeout_ms = 5000);
// `request` over TLS to 127.0.0.1:`port`, presenting the identity in folder `identity_dir`
// (cert.pem, key.pem) unless it is empty; the server's certificate is not checked. A failed
// handshake leaves `text` empty.
RawHttpReply TlsHttp(int port, std::string_view request, const std::string& identity_dir,
                     int timeout_ms = 5000);

}  // namespace shipledger::testing
