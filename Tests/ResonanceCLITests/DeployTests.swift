import Foundation
import ResonanceEngine
import Testing
import Yams
import ResonanceTestSupport

/// Deploy/ cannot be run here (no Docker engine, no cluster), so these tests read the files and
/// check that they agree with each other and with the application: ports, topic names,
/// environment variables, probe paths, grace periods.
@Suite struct DeployTests {
    let defaults = ResonanceConfiguration()
    let deploy = TestPaths.packageRoot.appendingPathComponent("Deploy")

    private func text(_ path: String) throws -> String {
        try String(contentsOf: deploy.appendingPathComponent(path), encoding: .utf8)
    }

    private func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: text(path)) as? [String: Any])
    }

    private func documents(_ path: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: text(path)).compactMap { $0 as? [String: Any] }
    }

    private var shutdownSeconds: Int64 { defaults.shutdownTimeout.components.seconds }

    /// `40s`, `1m30s` → seconds.
    private func seconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number = ""
        for character in text {
            if character.isNumber { number.append(character); continue }
            guard let value = Int64(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            number = ""
        }
        return number.isEmpty ? total : nil
    }

    // MARK: docker-compose.yml

    @Test func composeRunsKafkaInKRaftModeFromTheOfficialImage() throws {
        let services = try #require(try yaml("docker-compose.yml")["services"] as? [String: Any])
        let kafka = try #require(services["kafka"] as? [String: Any])
        #expect((kafka["image"] as? String)?.hasPrefix("apache/kafka:") == true)
        let environment = try #require(kafka["environment"] as? [String: Any])
        #expect(environment["KAFKA_PROCESS_ROLES"] as? String == "broker,controller")
        #expect(environment["KAFKA_ZOOKEEPER_CONNECT"] == nil)
        #expect((environment["KAFKA_ADVERTISED_LISTENERS"] as? String)?.contains("kafka:9092") == true)
    }

    @Test func composeScorersAgreeWithTheApplicationDefaults() throws {
        let services = try #require(try yaml("docker-compose.yml")["services"] as? [String: Any])
        let known = Set(ResonanceConfiguration.environmentVariables.map(\.name))
        let scorers = services.keys.filter { $0.hasPrefix("scorer-") }.sorted()
        #expect(scorers == ["scorer-1", "scorer-2"])
        for name in scorers {
            let scorer = try #require(services[name] as? [String: Any])
            let environment = try #require(scorer["environment"] as? [String: Any]).mapValues { "\($0)" }
            #expect(Set(environment.keys).isSubset(of: known), "unknown variables in \(name): \(Set(environment.keys).subtracting(known))")
            var configuration = ResonanceConfiguration()
            try configuration.apply(environment: environment)
            #expect(configuration.kafka.inputTopics == defaults.kafka.inputTopics)
            #expect(configuration.kafka.outputTopic == defaults.kafka.outputTopic)
            #expect(configuration.kafka.resolvedDeadLetterTopic == defaults.kafka.resolvedDeadLetterTopic)
            #expect(configuration.kafka.group == defaults.kafka.group)
            #expect(configuration.kafka.partitions == defaults.kafka.partitions)
            #expect(configuration.http.port == defaults.http.port)
            #expect(configuration.http.host == "0.0.0.0")
            #expect(configuration.kafka.brokers == "kafka:9092")
            let ports = try #require(scorer["ports"] as? [String])
            #expect(ports.count == 1)
            #expect(ports.allSatisfy { $0.hasSuffix(":\(defaults.http.port)") })
            let grace = try #require((scorer["stop_grace_period"] as? String).flatMap(seconds))
            #expect(grace > shutdownSeconds)
            let volumes = try #require(scorer["volumes"] as? [String])
            #expect(volumes.contains { $0.hasSuffix(":\(configuration.state.directory)") })
        }
    }

    @Test func composeCreatesEveryTopicCoPartitioned() throws {
        let services = try #require(try yaml("docker-compose.yml")["services"] as? [String: Any])
        let oneShot = try #require(services["create-topics"] as? [String: Any])
        #expect(oneShot["restart"] as? String == "no")
        let script = try #require((oneShot["command"] as? [String])?.joined(separator: "\n"))
        var created: [String: String] = [:]
        for line in script.split(separator: "\n") where line.contains("--create") {
            let words = line.split(separator: " ").map(String.init)
            let topic = try #require(words.firstIndex(of: "--topic").map { words[$0 + 1] })
            created[topic] = String(line)
        }
        let expected = Set(defaults.kafka.inputTopics + [defaults.kafka.outputTopic, defaults.kafka.resolvedDeadLetterTopic])
        #expect(Set(created.keys) == expected)
        for line in created.values {
            #expect(line.contains("--partitions \(defaults.kafka.partitions)"))
        }
        #expect(created[defaults.kafka.outputTopic]?.contains("cleanup.policy=compact") == true)
    }

    @Test func prometheusScrapesEveryScorerOnTheAPIPort() throws {
        let compose = try #require(try yaml("docker-compose.yml")["services"] as? [String: Any])
        let prometheus = try #require(compose["prometheus"] as? [String: Any])
        #expect((prometheus["volumes"] as? [String])?.contains { $0.hasPrefix("./prometheus.yml:") } == true)
        let configuration = try yaml("prometheus.yml")
        let jobs = try #require(configuration["scrape_configs"] as? [[String: Any]])
        let job = try #require(jobs.first { $0["job_name"] as? String == "resonance" })
        #expect(job["metrics_path"] as? String == "/metrics")
        let targets = try #require((job["static_configs"] as? [[String: Any]])?.first?["targets"] as? [String])
        let scorers = compose.keys.filter { $0.hasPrefix("scorer-") }
        #expect(Set(targets) == Set(scorers.map { "\($0):\(defaults.http.port)" }))
    }

    // MARK: Dockerfile

    @Test func dockerfileBuildsInTwoStagesAndExposesTheAPIPort() throws {
        let dockerfile = try text("Dockerfile")
        let lines = dockerfile.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.contains("swift:") == true)
        #expect(lines.contains("EXPOSE \(defaults.http.port)"))
        #expect(lines.contains { $0.hasPrefix("COPY --from=build") && $0.contains("librdkafka.so.1") })
        #expect(lines.contains { $0.hasPrefix("COPY --from=build") && $0.contains("resonance") })
        // The librdkafka built is the one scripts/bootstrap builds.
        let bootstrap = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("scripts/bootstrap"), encoding: .utf8)
        let wanted = try #require(bootstrap.split(separator: "\n").first { $0.hasPrefix("wanted_rdkafka=") }?.split(separator: "=").last)
        #expect(lines.contains("ARG RDKAFKA_VERSION=\(wanted)"))
        // Every variable set is one the application reads, with a value it accepts.
        let known = Set(ResonanceConfiguration.environmentVariables.map(\.name))
        var environment: [String: String] = [:]
        for match in dockerfile.matches(of: /(RESONANCE_[A-Z_]+)=(\S+)/) {
            environment[String(match.output.1)] = String(match.output.2)
        }
        #expect(!environment.isEmpty)
        #expect(Set(environment.keys).isSubset(of: known))
        var configuration = ResonanceConfiguration()
        try configuration.apply(environment: environment)
        #expect(configuration.http.port == defaults.http.port)
        // The configuration file the command names is the one copied into the image.
        #expect(lines.contains("COPY config/resonance.toml /etc/resonance/resonance.toml"))
        #expect(lines.contains { $0.hasPrefix("CMD") && $0.contains("/etc/resonance/resonance.toml") })
    }

    // MARK: Kubernetes

    @Test func kubernetesConfigMapIsAValidConfigurationWithTheDefaultTopics() throws {
        let configMap = try yaml("kubernetes/configmap.yaml")
        let toml = try #require((configMap["data"] as? [String: Any])?["resonance.toml"] as? String)
        var configuration = ResonanceConfiguration()
        try configuration.apply(toml: toml, origin: "configmap.yaml")
        #expect(configuration.kafka.inputTopics == defaults.kafka.inputTopics)
        #expect(configuration.kafka.outputTopic == defaults.kafka.outputTopic)
        #expect(configuration.kafka.resolvedDeadLetterTopic == defaults.kafka.resolvedDeadLetterTopic)
        #expect(configuration.kafka.group == defaults.kafka.group)
        #expect(configuration.http.port == defaults.http.port)
        #expect(configuration.http.host == "0.0.0.0")
    }

    @Test func kubernetesStatefulSetProbesPortsVolumesAndGraceAgree() throws {
        let configMap = try yaml("kubernetes/configmap.yaml")
        let toml = try #require((configMap["data"] as? [String: Any])?["resonance.toml"] as? String)
        var configuration = ResonanceConfiguration()
        try configuration.apply(toml: toml, origin: "configmap.yaml")

        let set = try yaml("kubernetes/statefulset.yaml")
        #expect(set["kind"] as? String == "StatefulSet")
        let spec = try #require(set["spec"] as? [String: Any])
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let grace = try #require(template["terminationGracePeriodSeconds"] as? Int)
        #expect(Int64(grace) > configuration.shutdownTimeout.components.seconds)
        let container = try #require((template["containers"] as? [[String: Any]])?.first)
        let ports = try #require(container["ports"] as? [[String: Any]])
        #expect(ports.first?["name"] as? String == "http")
        #expect(ports.first?["containerPort"] as? Int == configuration.http.port)
        func probe(_ name: String) -> (path: String?, port: String?) {
            let get = (container[name] as? [String: Any])?["httpGet"] as? [String: Any]
            return (get?["path"] as? String, get?["port"] as? String)
        }
        #expect(probe("livenessProbe").path == "/healthz" && probe("livenessProbe").port == "http")
        #expect(probe("readinessProbe").path == "/readyz" && probe("readinessProbe").port == "http")
        // Static membership: each pod is its own group instance, named after the pod.
        let env = try #require(container["env"] as? [[String: Any]])
        let instance = env.first { $0["name"] as? String == "RESONANCE_INSTANCE_ID" }
        #expect(((instance?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String == "metadata.name")
        #expect(ResonanceConfiguration.environmentVariables.contains { $0.name == "RESONANCE_INSTANCE_ID" })
        let args = try #require(container["args"] as? [String])
        let configPath = try #require(args.firstIndex(of: "--config").map { args[$0 + 1] })

        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        let claims = try #require(spec["volumeClaimTemplates"] as? [[String: Any]])
        let claimName = try #require((claims.first?["metadata"] as? [String: Any])?["name"] as? String)
        #expect(mounts.contains { $0["name"] as? String == claimName && $0["mountPath"] as? String == configuration.state.directory })
        let volumes = try #require(template["volumes"] as? [[String: Any]])
        let configVolume = try #require(volumes.first { ($0["configMap"] as? [String: Any])?["name"] as? String == (configMap["metadata"] as? [String: Any])?["name"] as? String })
        let configMount = try #require(mounts.first { $0["name"] as? String == configVolume["name"] as? String })
        #expect(configPath == "\(configMount["mountPath"] as? String ?? "")/resonance.toml")

        let services = try documents("kubernetes/service.yaml")
        #expect(services.contains { ($0["metadata"] as? [String: Any])?["name"] as? String == spec["serviceName"] as? String })
        let selector = (spec["selector"] as? [String: Any])?["matchLabels"] as? [String: String]
        for service in services {
            let serviceSpec = try #require(service["spec"] as? [String: Any])
            #expect(serviceSpec["selector"] as? [String: String] == selector)
            let port = try #require((serviceSpec["ports"] as? [[String: Any]])?.first)
            #expect(port["targetPort"] as? String == "http")
            #expect(port["port"] as? Int == configuration.http.port)
        }
    }
}
