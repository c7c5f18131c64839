#!/usr/bin/python3
"""The fast, native check of docker/ (the ctest docker_compose_check; docker/test.sh runs the
real containers): docker/network.sh makes a network with the CLI just built, and then
- every file compose.yaml mounts exists, and no CA key is mounted;
- each node's command, node.yaml, published and exposed ports, host name, genesis endpoints,
  health check address and identity agree, and `shipledgerd --check-config` accepts its config;
- Prometheus scrapes each node at its operations port with that organisation's CA and monitor
  identity, its config passes `promtool check config`, and every job is relabelled "shipledger";
- the runtime stage of the Dockerfile installs every Debian package whose libraries the two
  binaries load (ldd, dpkg -S), and copies what the build stage made.
Usage: compose_check.py SHIPLEDGER SHIPLEDGERD
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCKER = os.path.join(ROOT, "docker")
ORGS = ["exporter", "forwarder", "customs", "importer"]
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def mounts(service, net_dir):
    """container path -> host path, for the bind mounts of a service (./net is net_dir)."""
    out = {}
    for volume in service.get("volumes", []):
        parts = volume.split(":")
        if not parts[0].startswith("."):
            continue  # a named volume
        host = parts[0]
        host = net_dir + host[len("./net"):] if host.startswith("./net") else os.path.join(DOCKER, host)
        out[parts[1]] = os.path.normpath(host)
    return out


def to_host(path, table):
    """The host path of container path `path` through the mounts in `table`."""
    for container, host in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if path == container or path.startswith(container + "/"):
            return host + path[len(container):]
    return None


def main(cli, daemon):
    work = tempfile.mkdtemp(prefix="shipledger-compose.")
    try:
        net = os.path.join(work, "net")
        env = dict(os.environ, SHIPLEDGER=cli)
        subprocess.run([os.path.join(DOCKER, "network.sh"), net], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        compose = yaml.safe_load(open(os.path.join(DOCKER, "compose.yaml")))
        genesis = yaml.safe_load(open(os.path.join(net, "genesis.yaml")))
        replicas = {r["id"]: r for r in genesis["replicas"]}
        services = compose["services"]
        ops_ports = {}
        for i, org in enumerate(ORGS):
            name = "node%d" % i
            service = services.get(name)
            check(service is not None, "compose.yaml has no service " + name)
            if service is None:
                continue
            table = mounts(service, net)
            for container, host in table.items():
                check(os.path.exists(host), "%s mounts %s, which network.sh did not make" % (name, host))
                check("/ca" not in host, "%s mounts a CA folder (%s): a node never holds its CA key" % (name, host))
            check(service.get("hostname") == name, name + ": hostname is not " + name)
            command = service.get("command", [])
            config = to_host(command[command.index("--config") + 1], table) if "--config" in command else None
            check(config is not None and os.path.exists(config), name + ": --config is not a mounted node.yaml")
            if config is None or not os.path.exists(config):
                continue
            node = yaml.safe_load(open(config))
            grpc = int(node["grpc_listen"].rsplit(":", 1)[1])
            peer = int(node["peer_listen"].rsplit(":", 1)[1])
            ops = int(node["operations_listen"].rsplit(":", 1)[1])
            ops_ports[name] = ops
            check(node["replica_id"] == i, "%s runs replica %s, not %d" % (name, node["replica_id"], i))
            check(node.get("operations_tls") is True, name + ": the operations endpoint is not TLS")
            check(node["data_dir"].startswith("/var/lib/shipledger"), name + ": data_dir is not on its volume")
            check(any(v.split(":")[0] == name + "-data" and v.split(":")[1] == "/var/lib/shipledger"
                      for v in service["volumes"]), name + ": no named volume at /var/lib/shipledger")
            published = {int(p.split(":")[-1]) for p in service.get("ports", [])}
            check({grpc, ops} <= published, "%s publishes %s, not its API %d and operations %d" % (name, published, grpc, ops))
            check(str(peer) in [str(p) for p in service.get("expose", [])], "%s does not expose its peer port %d" % (name, peer))
            replica = replicas.get(i, {})
            check(replica.get("grpc") == "%s:%d" % (name, grpc), "%s: genesis gRPC endpoint %s" % (name, replica.get("grpc")))
            check(replica.get("peer") == "%s:%d" % (name, peer), "%s: genesis peer endpoint %s" % (name, replica.get("peer")))
            environment = service.get("environment", {})
            check(environment.get("SHIPLEDGER_NODE", "").endswith(":%d" % grpc), name + ": the health check dials another port")
            identity = to_host(environment.get("SHIPLEDGER_IDENTITY", ""), table)
            check(identity is not None and os.path.exists(os.path.join(identity, "key.pem")), name + ": the health check identity is not mounted")
            # The identity's default genesis is three folders above it (the CLI's rule).
            genesis_in_container = os.path.normpath(os.path.join(environment.get("SHIPLEDGER_IDENTITY", "/"), "../../../genesis.yaml"))
            check(to_host(genesis_in_container, table) is not None, name + ": no genesis three folders above its identity")
            result = subprocess.run([daemon, "--config", config, "--check-config"], capture_output=True, text=True)
            check(result.returncode == 0, "%s: --check-config: %s" % (name, result.stderr.strip()))

        prometheus = services.get("prometheus", {})
        table = mounts(prometheus, net)
        for container, host in table.items():
            check(os.path.exists(host), "prometheus mounts %s, which does not exist" % host)
        config_host = to_host("/etc/prometheus/prometheus.yml", table)
        config = yaml.safe_load(open(config_host))
        check(config.get("rule_files") == ["/etc/prometheus/alerts.yml"], "prometheus.yml does not load the alert rules")
        scraped = {}
        for job in config["scrape_configs"]:
            target = job["static_configs"][0]["targets"][0]
            host, port = target.rsplit(":", 1)
            scraped[host] = int(port)
            org = job["static_configs"][0]["labels"]["org"]
            check(ORGS.index(org) == int(host[len("node"):]), "%s is scraped as %s" % (host, org))
            tls = job["tls_config"]
            check(to_host(tls["ca_file"], table) == os.path.join(net, org, "ca", "cert.pem"), host + ": not its organisation's CA")
            check(to_host(tls["cert_file"], table) == os.path.join(net, org, "clients", "monitor", "cert.pem"), host + ": not its organisation's monitor identity")
            check(tls.get("server_name") == host, host + ": server_name")
            check(job.get("scheme") == "https", host + ": not https")
            check(any(r.get("target_label") == "job" and r.get("replacement") == "shipledger" for r in job.get("relabel_configs", [])), host + ": job not relabelled shipledger")
        check(scraped == ops_ports, "Prometheus scrapes %s; the nodes serve operations on %s" % (scraped, ops_ports))
        promtool = shutil.which("promtool")
        if promtool:
            local = os.path.join(work, "prometheus.yml")
            text = open(config_host).read()
            for container, host in table.items():
                text = text.replace(container, host)
            open(local, "w").write(text)
            result = subprocess.run([promtool, "check", "config", local], capture_output=True, text=True)
            check(result.returncode == 0, "promtool check config: " + result.stdout + result.stderr)
        else:
            print("promtool not installed: prometheus.yml not checked by it")

        dockerfile = open(os.path.join(DOCKER, "Dockerfile")).read()
        runtime = dockerfile.split("FROM debian:bookworm-slim", 1)[1]
        installed = set(re.findall(r"\b(lib[a-z0-9+.\-]+)", runtime.split("rm -rf", 1)[0]))
        needed = set()
        for binary in (cli, daemon):
            for line in subprocess.run(["ldd", binary], capture_output=True, text=True).stdout.splitlines():
                match = re.search(r"=> (\S+)", line)
                if not match:
                    continue
                owner = subprocess.run(["dpkg", "-S", os.path.realpath(match.group(1))], capture_output=True, text=True)
                if owner.returncode == 0:
                    needed.add(owner.stdout.split(":")[0])
        in_slim = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g"}
        missing = needed - installed - in_slim
        check(not missing, "the Dockerfile's runtime stage lacks " + " ".join(sorted(missing)))
        for copied in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
            check(os.path.exists(os.path.join(ROOT, copied)), "the Dockerfile copies %s, which is not in the repository" % copied)
        check('"shipledger", "--node"' in dockerfile or "shipledger --node" in dockerfile, "HEALTHCHECK does not run the CLI health check")
        check("STOPSIGNAL SIGTERM" in dockerfile and "USER shipledger" in dockerfile, "the image must stop with SIGTERM and run as non-root")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("ok: compose.yaml, prometheus.yml and the Dockerfile agree with a network network.sh makes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])))
