// shipledger-gateway: a party's GS1 EPCIS 2.0 REST interface on the ledger (docs/gateway.md).
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "gateway/gateway.h"
#include "shipledger/log.h"

int main(int argc, char** argv) {
  namespace gw = shipledger::gateway;
  CLI::App app{
      "shipledger-gateway — a party's GS1 EPCIS 2.0 REST interface on the ledger: POST /capture "
      "and /events map EPCIS events to ledger events, sign them as the party's identity and "
      "submit them to its node; GET /events answers the standard's queries from what the party "
      "may read. Run it beside the party's node. SIGTERM or SIGINT stop it."};
  gw::GatewayOptions o;
  app.add_option("--listen", o.listen, "address to serve HTTP on (default 127.0.0.1:8090)");
  app.add_option("--node", o.node, "the party's node's client API (default 127.0.0.1:7050)");
  app.add_option("--identity", o.connect.identity_dir,
                 "the party's client identity (cert.pem, key.pem) the gateway signs with, e.g. "
                 "NET/ORG/clients/admin")
      ->envname("SHIPLEDGER_IDENTITY");
  app.add_option("--genesis", o.connect.genesis_path,
                 "the network's genesis.yaml (default: three folders above --identity)");
  app.add_option("--data-dir", o.data_dir, "where the gateway keeps its index and capture jobs")
      ->required();
  app.add_option("--token-file", o.token_file,
                 "bearer tokens of the gateway's clients: lines NAME TOKEN (TOKEN of 32 "
                 "characters or more)");
  app.add_option("--tls-cert", o.tls_cert, "serve HTTPS with this certificate (PEM chain)");
  app.add_option("--tls-key", o.tls_key, "... and this key (PEM)");
  app.add_option("--client-ca", o.client_ca,
                 "... and require client certificates issued by this CA (PEM): mutual TLS");
  app.add_option("--max-body-bytes", o.max_body_bytes, "largest request body (default 8 MiB)");
  app.add_option("--max-capture-events", o.max_capture_events,
                 "most events in one capture, GS1-CAPTURE-limit (default 10000)");
  app.add_option("--rate", o.rate_per_s, "requests per second per client address (default 50)");
  app.add_option("--burst", o.burst, "burst of requests per client address (default 100)");
  app.add_option("--threads", o.handler_threads,
                 "requests served at once (default 8); a POST /events holds one until its event "
                 "commits")
      ->check(CLI::Range(1, 256));
  app.add_flag("--allow-private-callbacks", o.allow_private_callbacks,
               "let subscription callbacks go to loopback, link-local and private addresses "
               "(refused by default: a client of the gateway could reach what only its host can)");
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");
  app.footer(
      "Example:\n"
      "  shipledger-gateway --identity net/exporter/clients/admin --node 127.0.0.1:7050 \\\n"
      "      --data-dir gw-data --token-file gw-tokens --listen 127.0.0.1:8090\n"
      "  curl -H 'Authorization: Bearer TOKEN' "
      "'http://127.0.0.1:8090/events?EQ_bizStep=departing'");
  CLI11_PARSE(app, argc, argv);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto spec = shipledger::ParseLogSpec(log_level);
  if (!spec.ok()) {
    std::fprintf(stderr, "shipledger-gateway: --log-level: %s\n", spec.status().message().c_str());
    return 2;
  }
  shipledger::ApplyLogSpec(*spec);
  spdlog::flush_on(spdlog::level::warn);
  auto gateway = gw::Gateway::Create(o);
  if (!gateway.ok()) {
    std::fprintf(stderr, "shipledger-gateway: %s\n", gateway.status().message().c_str());
    return 2;
  }
  if (auto s = (*gateway)->Start(); !s.ok()) {
    std::fprintf(stderr, "shipledger-gateway: %s\n", s.message().c_str());
    return 1;
  }
  shipledger::Log(shipledger::LogComponent::kNode)
      .info("shipledger-gateway serving on {} (port {})", o.listen, (*gateway)->port());
  int sig = 0;
  sigwait(&signals, &sig);
  (*gateway)->Stop();
  return 0;
}
