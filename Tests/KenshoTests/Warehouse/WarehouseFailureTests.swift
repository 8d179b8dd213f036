import Foundation
import Testing
@testable import Kensho

/// Bad connection strings, refused connections, failed authentication, a connection
/// that dies mid-push and a cancelled push: one clear error each, nothing left in the
/// warehouse, and a journal that says what happened.
@Suite(.enabled(if: TestWarehouse.available, "needs a PostgreSQL server (.ci/start-postgres)"))
struct WarehouseFailureTests {
    static func attach(_ url: String) throws -> SessionHarness {
        let harness = try SessionHarness()
        #expect(!harness.run("attach postgres \"\(url)\" as wh"))
        return harness
    }

    @Test func aBadConnectionStringIsOneErrorAtTheStatement() throws {
        let harness = try WarehouseFailureTests.attach("postgresql://kensho@[::1/db")
        #expect(harness.errors.hasPrefix("query:1:1: error: not a PostgreSQL connection URL: "))
        #expect(harness.errors.contains("write it as \"postgresql://USER@HOST:PORT/DATABASE\""))
        let kind = try SessionHarness()
        #expect(!kind.run("attach mysql \"mysql://x\" as wh"))
        #expect(kind.errors.contains("error: unknown warehouse kind 'mysql'"))
    }

    @Test func aRefusedConnectionSaysSo() throws {
        // A port nothing listens on: bind one, then close it.
        let harness = try WarehouseFailureTests.attach("postgresql://kensho@127.0.0.1:\(WarehouseFailureTests.closedPort())/kensho")
        #expect(harness.errors.contains("error: cannot connect to the warehouse: connection to server at \"127.0.0.1\""))
        #expect(harness.errors.contains("Connection refused"))
        #expect(harness.errors.contains("is the server running, and listening on that host and port?"))
    }

    @Test func failedAuthenticationAndAMissingPasswordAreClearErrors() throws {
        let server = try #require(TestWarehouse.serverURL)
        let wrong = try WarehouseFailureTests.attach(TestWarehouse.url(server, database: "kensho", user: "kensho_wrong"))
        #expect(wrong.errors.contains("password authentication failed for user \"kensho_wrong\""))
        #expect(wrong.errors.contains("PGPASSWORD or ~/.pgpass"))
        let none = try WarehouseFailureTests.attach(TestWarehouse.url(server, database: "kensho", user: "kensho_nopass"))
        #expect(none.errors.contains("no password supplied"))
    }

    @Test func aPasswordInTheURLIsRefusedAndMaskedEverywhere() throws {
        let server = try #require(TestWarehouse.serverURL)
        let (harness, path) = try TestWarehouse.journaledHarness()
        let url = server.replacingOccurrences(of: "kensho@", with: "kensho:hunter2secret@")
        #expect(!harness.run("attach postgres \"\(url)\" as wh\nattach postgres \"\(server)?password=hunter2secret\" as wh2",
                             stopOnError: false))
        #expect(harness.errors.contains("error: the URL holds a password; it was not used"))
        let journal = try String(contentsOfFile: path, encoding: .utf8)
        for text in [journal, harness.errors, harness.session.history.joined(separator: "\n")] {
            #expect(!text.contains("hunter2secret"))
        }
        #expect(journal.contains("kensho:*************@"))
    }

    @Test func aConnectionKilledMidPushLeavesNothingAndTheJournalSaysSo() throws {
        let warehouse = try TestWarehouse()
        let (harness, path) = try TestWarehouse.journaledHarness()
        #expect(harness.run("""
            load \(WarehouseAnswerTests.caseDirectory)/minatokita.csv
            load \(WarehouseAnswerTests.caseDirectory)/shiohama.csv
            fingerprint person = name + birthdate + phone
            attach postgres "\(warehouse.url)" as wh
            push minatokita using person to wh
            """), "\(harness.errors)")
        // Once every row is sent, before the staging table is moved into place, the
        // server ends the push's connection (as a restart or an administrator would).
        // Only this test's database: other tests push to the same server at the same time.
        let url = warehouse.url
        harness.session.pushProgress = { done, total in
            guard done > 0, done < total || done == total else { return }
            let killer = try? PostgresConnection(url: url)
            _ = try? killer?.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     + "WHERE application_name = 'kensho' AND pid <> pg_backend_pid() AND query LIKE 'COPY%'"
                                     + " AND datname = current_database()")
            killer?.close()
        }
        #expect(!harness.run("push shiohama using person to wh"))
        #expect(harness.errors.contains("error: the warehouse connection was lost"))
        #expect(harness.errors.contains("nothing of the statement was kept in the warehouse"))
        // Only the first push is there; no staging table, no half of shiohama.
        #expect(try warehouse.values("SELECT dataset FROM kensho_datasets") == ["minatokita"])
        #expect(try warehouse.values("SELECT count(*) FROM kensho_rows WHERE dataset = 'shiohama'") == ["0"])
        #expect(try warehouse.values("SELECT count(*) FROM pg_class WHERE relname LIKE 'kensho_staging_%'") == ["0"])
        let journal = try String(contentsOfFile: path, encoding: .utf8)
        #expect(journal.contains("push shiohama using person to wh\n--= time="))
        #expect(journal.contains("status=error error=\"the warehouse connection was lost"))
        #expect(JournalVerifier.verify(bytes: Array(journal.utf8)).isIntact)
    }

    @Test func aCancelledPushLeavesNothingBehind() throws {
        let warehouse = try TestWarehouse()
        let harness = try SessionHarness()
        #expect(harness.run("""
            load \(WarehouseAnswerTests.caseDirectory)/minatokita.csv
            fingerprint person = name + birthdate + phone
            attach postgres "\(warehouse.url)" as wh
            """), "\(harness.errors)")
        let flag = harness.session.cancellation
        harness.session.pushProgress = { done, _ in if done > 0 { flag.set() } }
        #expect(!harness.run("push minatokita using person to wh"))
        #expect(harness.errors.contains("cancelled"))
        #expect(try warehouse.values("SELECT to_regclass('kensho_datasets') IS NULL") == ["t"])
        #expect(try warehouse.values("SELECT count(*) FROM pg_class WHERE relname LIKE 'kensho_%' AND relkind = 'r'") == ["0"])
        // The connection is still usable afterwards.
        harness.session.pushProgress = nil
        #expect(harness.run("push minatokita using person to wh"), "\(harness.errors)")
    }

    @Test func pushNamesWhatIsMissing() throws {
        let warehouse = try TestWarehouse()
        let harness = try SessionHarness()
        try harness.file("p.csv", "name,birthdate,phone\n山田太郎,1980-01-02,090-1234-5678\n")
        #expect(harness.run("load $DIR/p.csv\nfingerprint person = name + birthdate + phone"))
        #expect(!harness.run("push p using person to wx"))
        #expect(harness.errors.contains("error: no warehouse named 'wx' is attached"))
        #expect(harness.run("attach postgres \"\(warehouse.url)\" as wh"), "\(harness.errors)")
        #expect(!harness.run("push p using person to wh with personal=some"))
        #expect(harness.errors.contains("error: personal must be none, masked or all, not 'some'"))
        #expect(!harness.run("push p using persona to wh"))
        #expect(harness.errors.contains("did you mean 'person'?"))
        #expect(!harness.run("wh.nothing | count"))
        #expect(harness.errors.contains("error: no dataset 'nothing' in warehouse 'wh'"))
    }

    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
