import Foundation
import Testing
@testable import Kensho

/// A database of its own on the test PostgreSQL server (`.ci/start-postgres`, which
/// `Tests/run.sh` starts): created per test, dropped at the end, so tests run in
/// parallel without seeing each other's pushes.
///
/// Without `KENSHO_TEST_PG_URL` the warehouse tests are skipped on a developer's
/// machine; under CI (`CI=true`) they fail instead, so CI can never pass them silently.
final class TestWarehouse {
    static let serverURL = ProcessInfo.processInfo.environment["KENSHO_TEST_PG_URL"]
    static var available: Bool { serverURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    let database: String
    let url: String
    private let admin: PostgresConnection

    init() throws {
        guard let serverURL = TestWarehouse.serverURL else {
            throw Failure("KENSHO_TEST_PG_URL is not set: start a server with .ci/start-postgres (Tests/run.sh does)")
        }
        admin = try PostgresConnection(url: serverURL)
        database = "kensho_t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try admin.execute("CREATE DATABASE \(database)")
        url = TestWarehouse.url(serverURL, database: database)
    }

    deinit {
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        admin.close()
    }

    /// The server URL with another database (and optionally another user).
    static func url(_ serverURL: String, database: String, user: String? = nil) -> String {
        var url = serverURL
        if let slash = url.range(of: "/", options: .backwards) { url = String(url[..<slash.lowerBound]) + "/" + database }
        if let user, let scheme = url.range(of: "://"), let at = url.range(of: "@") {
            url.replaceSubrange(scheme.upperBound..<at.lowerBound, with: user)
        }
        return url
    }

    /// A separate connection to the test database, to look at what a push left.
    func connect() throws -> PostgresConnection { try PostgresConnection(url: url) }

    /// The first column of every row of `sql`.
    func values(_ sql: String) throws -> [String?] {
        let connection = try connect()
        defer { connection.close() }
        return try connection.execute(sql).map { $0.first ?? nil }
    }

    /// A session journaled to `s.kensho` in its scratch folder, with the journal's path.
    static func journaledHarness() throws -> (SessionHarness, String) {
        let harness = try SessionHarness()
        let path = harness.path("s.kensho")
        harness.session.journal = try JournalWriter(path: path, header: .current(operatorName: "t"))
        return (harness, path)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
