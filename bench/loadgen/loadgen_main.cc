// shipledger-loadgen: drives a running shipledger network with pre-signed shipment journeys and
// reports committed events/s on all nodes, submit -> commit latency, CPU time per event and the
// ratio to the machine's crypto limit (cores x verifies/s / nodes). See docs/performance.md.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/client.h"
#include "cli/connection.h"
#include "cli/progress.h"
#include "config/node_config.h"
#include "loadgen/journeys.h"
#include "loadgen/measure.h"
#include "loadgen/runner.h"

namespace shipledger::loadgen {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string network_dir;
  std::vector<std::string> nodes;
  std::vector<int> pids;
  uint64_t events = 20000;
  RunOptions run;
  double verify_seconds = 2;
  int history_shipments = 0;
  int history_events = 100;
  int history_queries = 2000;
  double history_settle_s = 0;
  std::string catchup_node;
  Parties parties;
};

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// The gRPC address of every node of the network folder (ORG/node/node.yaml), in org order.
std::vector<std::string> NodesOf(const std::string& dir) {
  std::vector<std::string> out;
  std::vector<std::filesystem::path> configs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto yaml = entry.path() / "node" / "node.yaml";
    if (std::filesystem::exists(yaml)) configs.push_back(yaml);
  }
  std::vector<std::pair<uint32_t, std::string>> by_replica;
  for (const auto& path : configs) {
    auto config = config::LoadNodeConfig(path.string());
    if (config.ok()) by_replica.emplace_back(config->replica_id, config->grpc_listen);
  }
  std::sort(by_replica.begin(), by_replica.end());
  for (auto& [replica, target] : by_replica) out.push_back(target);
  return out;
}

// The client API's TLS credentials: set once by Main from the network folder.
std::shared_ptr<grpc::ChannelCredentials>& Credentials() {
  static std::shared_ptr<grpc::ChannelCredentials> credentials;
  return credentials;
}

Result<uint64_t> EventsOn(const std::string& node) {
  cli::NodeClient client(node, Credentials());
  auto info = client.GetChainInfo();
  if (!info.ok()) return info.status();
  return info->event_count();
}

// Waits until every node holds at least as many events as the fullest one; returns when.
Result<SteadyClock::time_point> WaitConverged(const std::vector<std::string>& nodes) {
  uint64_t target = 0;
  for (const std::string& n : nodes) {
    auto count = EventsOn(n);
    if (!count.ok()) return count.status();
    target = std::max(target, *count);
  }
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  for (const std::string& n : nodes) {
    while (true) {
      auto count = EventsOn(n);
      if (!count.ok()) return count.status();
      if (*count >= target) break;
      if (SteadyClock::now() > deadline) {
        return Status::DeadlineExceeded(n + " did not reach " + std::to_string(target) +
                                        " events within 120 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return SteadyClock::now();
}

// Shipment history of `ids` through GetShipment, `queries` times round-robin, one at a time,
// after one untimed call that sets up the connection (TLS handshake). `when` labels the output.
void ProbeHistory(const std::string& node, const std::vector<std::string>& ids, int queries,
                  const std::string& when) {
  cli::NodeClient client(node, Credentials());
  {
    v1::GetShipmentRequest warm_up;
    warm_up.set_shipment_id(ids.front());
    (void)client.GetShipment(warm_up);
  }
  std::vector<double> ms;
  size_t entries = 0;
  for (int q = 0; q < queries; ++q) {
    v1::GetShipmentRequest request;
    request.set_shipment_id(ids[static_cast<size_t>(q) % ids.size()]);
    const auto t0 = SteadyClock::now();
    auto response = client.GetShipment(request);
    ms.push_back(Seconds(SteadyClock::now() - t0) * 1000);
    if (!response.ok()) {
      std::printf("history: %s\n", response.status().ToString().c_str());
      return;
    }
    entries = static_cast<size_t>(response->timeline_size());
  }
  std::sort(ms.begin(), ms.end());
  auto events = EventsOn(node);
  std::printf(
      "history (%s): %d queries of %zu-event shipments on a node holding %llu events: p50 %.3f "
      "ms, p99 %.3f ms, max %.3f ms\n",
      when.c_str(), queries, entries, static_cast<unsigned long long>(events.ok() ? *events : 0),
      Quantile(ms, 0.5), Quantile(ms, 0.99), ms.back());
  std::printf("HISTORY when=%s events=%llu entries=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
              when.c_str(), static_cast<unsigned long long>(events.ok() ? *events : 0), entries,
              Quantile(ms, 0.5), Quantile(ms, 0.99), ms.back());
}

// Waits for `node` to answer, then until it holds as many events as the fullest of `others`;
// prints the state-transfer rate from its first answer.
int WatchCatchup(const std::string& node, const std::vector<std::string>& others) {
  std::unique_ptr<v1::AdminService::Stub> admin;
  // Short attempts: a call that started while the node was still down can hang until its
  // deadline even after the node serves.
  auto node_status = [&]() -> Result<v1::NodeStatus> {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    v1::NodeStatus out;
    const grpc::Status s = admin->GetNodeStatus(&context, v1::GetNodeStatusRequest(), &out);
    if (!s.ok()) return Status(static_cast<Code>(s.error_code()), s.error_message());
    return out;
  };
  const auto asked = SteadyClock::now();
  const auto give_up = asked + std::chrono::seconds(300);
  Result<v1::NodeStatus> status = Status::Unavailable("not asked yet");
  // A fresh channel per attempt until the node answers: a channel that first tried while the
  // node was down waits out gRPC's reconnect backoff (seconds) even once the node serves.
  for (;;) {
    admin = v1::AdminService::NewStub(OwnChannel(node, Credentials()));
    if ((status = node_status()).ok()) break;
    if (SteadyClock::now() > give_up) {
      std::fprintf(stderr, "catch-up: %s never answered\n", node.c_str());
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto t0 = SteadyClock::now();
  const uint64_t start_events = status->events_committed();
  std::printf("catch-up: %s answered after %.2f s holding %llu events\n", node.c_str(),
              Seconds(t0 - asked), static_cast<unsigned long long>(start_events));
  uint64_t target = 0;
  for (const std::string& o : others) {
    auto count = EventsOn(o);
    if (count.ok()) target = std::max(target, *count);
  }
  if (start_events >= target) {
    std::fprintf(stderr,
                 "catch-up: %s already held %llu of %llu events when it first answered: nothing "
                 "to measure (start this before the node)\n",
                 node.c_str(), static_cast<unsigned long long>(start_events),
                 static_cast<unsigned long long>(target));
    return 1;
  }
  uint64_t now_events = start_events;
  while (now_events < target) {
    if (SteadyClock::now() > give_up) {
      std::fprintf(stderr, "catch-up: %s still at %llu of %llu events\n", node.c_str(),
                   static_cast<unsigned long long>(now_events),
                   static_cast<unsigned long long>(target));
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto s = node_status();
    if (s.ok()) now_events = s->events_committed();
  }
  const double secs = Seconds(SteadyClock::now() - t0);
  const uint64_t moved = now_events - start_events;
  std::printf("catch-up: %s fetched %llu events in %.2f s from its first answer: %.0f events/s\n",
              node.c_str(), static_cast<unsigned long long>(moved), secs,
              static_cast<double>(moved) / secs);
  std::printf("CATCHUP events=%llu seconds=%.3f eps=%.0f\n", static_cast<unsigned long long>(moved),
              secs, static_cast<double>(moved) / secs);
  return 0;
}

int Main(const Options& o) {
  std::vector<std::string> nodes = o.nodes.empty() ? NodesOf(o.network_dir) : o.nodes;
  if (nodes.empty()) {
    std::fprintf(stderr, "loadgen: no nodes: pass --node or a --network made by 'network init'\n");
    return 2;
  }
  // Authenticates as the first party's admin client; the node's certificate is checked against
  // the network's genesis.
  cli::ConnectOptions connect;
  connect.identity_dir = o.network_dir + "/" + o.parties.exporter + "/clients/admin";
  connect.genesis_path = o.network_dir + "/genesis.yaml";
  auto credentials = cli::LoadClientApiCredentials(connect);
  if (!credentials.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", credentials.status().ToString().c_str());
    return 2;
  }
  Credentials() = *credentials;
  if (!o.catchup_node.empty()) return WatchCatchup(o.catchup_node, nodes);

  cli::NodeClient first(nodes[0], Credentials());
  auto status = first.GetNodeStatus();
  if (!status.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", status.status().ToString().c_str());
    return 1;
  }
  const uint32_t network_nodes = std::max<uint32_t>(1, status->nodes());
  auto identities = LoadParties(o.network_dir, o.parties);
  if (!identities.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", identities.status().ToString().c_str());
    return 1;
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const std::string run_tag = std::to_string(now_ms % 100000000);

  // The workload, signed before the clock starts.
  const uint64_t journey_len = Journey(o.parties, "x").size();
  const uint64_t shipments = (o.events + journey_len - 1) / journey_len;
  std::vector<std::vector<Step>> plans;
  plans.reserve(shipments);
  for (uint64_t s = 0; s < shipments; ++s) {
    plans.push_back(Journey(o.parties, "LG-" + run_tag + "-" + std::to_string(s)));
  }
  const auto sign_start = SteadyClock::now();
  auto signed_events = PreSign(plans, status->chain_id(), *identities, now_ms, cores);
  if (!signed_events.ok()) {
    std::fprintf(stderr, "loadgen: signing: %s\n", signed_events.status().ToString().c_str());
    return 1;
  }
  plans.clear();
  std::printf(
      "signed %llu events of %llu shipments on %d threads in %.1f s; mean %zu bytes\n",
      static_cast<unsigned long long>(shipments * journey_len),
      static_cast<unsigned long long>(shipments), cores, Seconds(SteadyClock::now() - sign_start),
      (*signed_events)[0][0].ByteSizeLong() / 2 + (*signed_events)[0][5].ByteSizeLong() / 2);

  // The machine's limit, measured now on all cores with the workload's own signatures.
  std::vector<v1::SignedEvent> samples;
  for (size_t i = 0; i < signed_events->size() && samples.size() < 256; ++i) {
    samples.push_back((*signed_events)[i][i % journey_len]);
  }
  const VerifyRate verify = MeasureVerifyRate(samples, cores, o.verify_seconds);
  const double crypto_limit = verify.per_second / network_nodes;
  std::printf(
      "verify rate: %.0f signatures/s on %d cores (%.0f per core); crypto limit for %u "
      "node(s): %.0f events/s\n",
      verify.per_second, cores, verify.per_second / cores, network_nodes, crypto_limit);

  // The load.
  RunOptions run = o.run;
  run.credentials = Credentials();
  run.nodes = nodes;
  std::vector<double> pid_cpu0;
  for (int pid : o.pids) pid_cpu0.push_back(ProcessCpuSeconds(pid));
  const double machine0 = MachineBusySeconds();
  const double self0 = SelfCpuSeconds();
  const auto start = SteadyClock::now();
  cli::Progress progress(std::cerr, cli::IsInteractiveTerminal(STDERR_FILENO), "load", "events");
  run.on_progress = [&progress](uint64_t finished, uint64_t total) {
    progress.Update(finished, total);
  };
  RunResult result = Run(std::move(signed_events).value(), run);
  progress.Finish();
  auto converged = WaitConverged(nodes);
  if (!converged.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", converged.status().ToString().c_str());
    return 1;
  }
  const double seconds = Seconds(*converged - start);
  const double machine_cpu = MachineBusySeconds() - machine0;
  const double self_cpu = SelfCpuSeconds() - self0;
  double nodes_cpu = 0;
  for (size_t i = 0; i < o.pids.size(); ++i)
    nodes_cpu += ProcessCpuSeconds(o.pids[i]) - pid_cpu0[i];

  const uint64_t committed = result.valid + result.rejected;
  const double eps = committed == 0 ? 0 : static_cast<double>(committed) / seconds;
  const auto& lat = result.latency_ms;
  const double per_event_us = committed == 0 ? 0 : 1e6 / static_cast<double>(committed);
  std::printf(
      "load: %llu events committed (%llu valid, %llu rejected), %llu failed, %llu retried, "
      "%d clients x %d, rate %s, over %zu node(s)\n",
      static_cast<unsigned long long>(committed), static_cast<unsigned long long>(result.valid),
      static_cast<unsigned long long>(result.rejected),
      static_cast<unsigned long long>(result.failed),
      static_cast<unsigned long long>(result.retries), run.clients, run.batch,
      run.rate > 0 ? std::to_string(static_cast<int>(run.rate)).c_str() : "unlimited",
      nodes.size());
  if (!result.first_failure.empty())
    std::printf("first failure: %s\n", result.first_failure.c_str());
  if (!result.first_retry.empty()) std::printf("first retry: %s\n", result.first_retry.c_str());
  std::printf("committed on all nodes: %.0f events/s (%.2f s)\n", eps, seconds);
  std::printf("latency submit->commit: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              Quantile(lat, 0.5), Quantile(lat, 0.95), Quantile(lat, 0.99),
              lat.empty() ? 0 : lat.back());
  std::printf("cpu per event: machine %.1f us, loadgen %.1f us", machine_cpu * per_event_us,
              self_cpu * per_event_us);
  if (!o.pids.empty()) std::printf(", nodes %.1f us", nodes_cpu * per_event_us);
  std::printf("\n");
  for (int pid : o.pids) {
    std::printf("node pid %d: rss %.1f MiB, peak %.1f MiB\n", pid,
                static_cast<double>(ResidentBytes(pid)) / (1 << 20),
                static_cast<double>(PeakResidentBytes(pid)) / (1 << 20));
  }

  if (o.history_shipments > 0) {
    std::vector<std::vector<Step>> long_plans;
    std::vector<std::string> ids;
    for (int s = 0; s < o.history_shipments; ++s) {
      ids.push_back("LH-" + run_tag + "-" + std::to_string(s));
      long_plans.push_back(LongHistory(o.parties, ids.back(), o.history_events));
    }
    auto long_signed = PreSign(long_plans, status->chain_id(), *identities, now_ms, cores);
    if (!long_signed.ok()) return 1;
    RunOptions history_run = run;
    history_run.clients = 1;
    history_run.batch = o.history_shipments;
    history_run.rate = 0;
    RunResult h = Run(std::move(long_signed).value(), history_run);
    progress.Finish();
    if (h.valid != static_cast<uint64_t>(o.history_shipments * o.history_events)) {
      std::printf("history: only %llu of %d events valid (%s)\n",
                  static_cast<unsigned long long>(h.valid), o.history_shipments * o.history_events,
                  h.first_failure.c_str());
    }
    if (!WaitConverged(nodes).ok()) return 1;
    ProbeHistory(nodes[0], ids, o.history_queries, "right after the load");
    if (o.history_settle_s > 0) {
      // The load leaves the store compacting in the background for a while; a node at rest
      // holding the same events answers without that competition for the cores.
      std::this_thread::sleep_for(std::chrono::duration<double>(o.history_settle_s));
      char when[64];
      std::snprintf(when, sizeof when, "%.0f s later, at rest", o.history_settle_s);
      ProbeHistory(nodes[0], ids, o.history_queries, when);
    }
    for (int pid : o.pids) {
      std::printf("node pid %d after history: rss %.1f MiB\n", pid,
                  static_cast<double>(ResidentBytes(pid)) / (1 << 20));
    }
  }

  std::printf(
      "RESULT nodes=%u committed_eps=%.0f p50_ms=%.1f p99_ms=%.1f crypto_limit_eps=%.0f "
      "ratio=%.3f p95_ms=%.1f max_ms=%.1f verify_eps=%.0f cpu_us_per_event=%.1f failed=%llu "
      "rejected=%llu\n",
      network_nodes, eps, Quantile(lat, 0.5), Quantile(lat, 0.99), crypto_limit,
      crypto_limit > 0 ? eps / crypto_limit : 0, Quantile(lat, 0.95), lat.empty() ? 0 : lat.back(),
      verify.per_second, machine_cpu * per_event_us, static_cast<unsigned long long>(result.failed),
      static_cast<unsigned long long>(result.rejected));
  return result.failed == 0 && result.rejected == 0 ? 0 : 3;
}

}  // namespace
}  // namespace shipledger::loadgen

int main(int argc, char** argv) {
  shipledger::loadgen::Options o;
  CLI::App app{
      "shipledger-loadgen: pre-signs shipment journeys, submits them to a running network with "
      "concurrent gRPC clients and reports committed events/s on all nodes, submit->commit "
      "latency, CPU per event and the ratio to the crypto limit (cores x verifies/s / nodes). "
      "The last line is machine-readable: RESULT nodes=N committed_eps=X p50_ms=X p99_ms=X "
      "crypto_limit_eps=X ratio=X ..."};
  app.add_option("--network", o.network_dir,
                 "Network folder made by 'shipledger network init' (identities ORG/clients/admin; "
                 "nodes from ORG/node/node.yaml)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--node", o.nodes,
                 "gRPC target HOST:PORT (repeat; default: every node of --network)");
  app.add_option("--events", o.events, "Events to submit (13-event journeys)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{13}, uint64_t{100000000}));
  app.add_option("--clients", o.run.clients, "Concurrent gRPC clients")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--batch", o.run.batch, "Shipments per client chunk = events per SubmitEvents")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--rate", o.run.rate, "Target events/s over all clients (0: as fast as possible)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e7));
  app.add_option("--verify-seconds", o.verify_seconds,
                 "How long to measure the all-core verification rate")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 60.0));
  app.add_option("--pid", o.pids, "Node process id, for CPU time and RSS (repeat)");
  app.add_option("--history-shipments", o.history_shipments,
                 "After the load, add this many long shipments and time GetShipment on them")
      ->check(CLI::Range(0, 1000));
  app.add_option("--history-events", o.history_events, "Events per long shipment")
      ->capture_default_str()
      ->check(CLI::Range(3, 1000));
  app.add_option("--history-queries", o.history_queries, "GetShipment calls to time")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--history-settle", o.history_settle_s,
                 "Seconds to wait after the first history probe before timing it again at rest "
                 "(0: only the first probe)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--catchup", o.catchup_node,
                 "Instead of a load: wait for this node to answer, then time its catch-up to the "
                 "other nodes (prints CATCHUP events=X seconds=X eps=X)");
  app.add_option("--exporter", o.parties.exporter, "Organisation playing the exporter")
      ->capture_default_str();
  app.add_option("--forwarder", o.parties.forwarder, "Organisation playing the forwarder")
      ->capture_default_str();
  app.add_option("--customs", o.parties.customs, "Organisation playing customs")
      ->capture_default_str();
  app.add_option("--importer", o.parties.importer, "Organisation playing the importer")
      ->capture_default_str();
  app.footer(
      "On a terminal, a progress line on stderr while the load runs.\n"
      "Examples:\n"
      "  shipledger-loadgen --network net --events 20000 --clients 16 --batch 100\n"
      "  shipledger-loadgen --network net --events 5000 --rate 2000 --node 127.0.0.1:7052\n"
      "  shipledger-loadgen --network net --catchup 127.0.0.1:7056");
  CLI11_PARSE(app, argc, argv);
  return shipledger::loadgen::Main(o);
}
