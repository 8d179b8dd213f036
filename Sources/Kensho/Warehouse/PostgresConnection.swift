import CLibPQ
import Crypto
import Foundation

/// One connection to a PostgreSQL-compatible server through libpq, PostgreSQL's own
/// client library: it reads `PGPASSWORD` and `~/.pgpass`, negotiates TLS when the server
/// offers it (`sslmode=prefer`, libpq's default), and speaks COPY both ways.
///
/// Every call blocks the calling thread but waits on the socket in short slices, so a
/// set cancellation flag interrupts a running query (libpq's cancel request) within a
/// tenth of a second. A failure is a `WarehouseError` with libpq's message on one line.
final class PostgresConnection {
    private var handle: OpaquePointer?
    /// `host:port/database` as connected, never with a password (for messages and the journal).
    let server: String
    /// The server's `server_version`, e.g. "15.18".
    let serverVersion: String
    /// Whether the connection is encrypted.
    let usesTLS: Bool

    /// Connects to `url` (`postgresql://user@host:port/db`). A password inside the URL is
    /// refused: it would sit in the journal and the history. Passwords come from
    /// `PGPASSWORD` or `~/.pgpass`, as for psql.
    init(url: String) throws(WarehouseError) {
        try PostgresConnection.refusePassword(in: url)
        let keywords = ["connect_timeout", "application_name", "client_encoding", "dbname"]
        let values = ["10", "kensho", "UTF8", url]
        var keywordPointers = keywords.map { strdup($0) } + [nil]
        var valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keywordPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        let connection = keywordPointers.withUnsafeMutableBufferPointer { keys in
            valuePointers.withUnsafeMutableBufferPointer { vals in
                keys.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keys in
                    vals.withMemoryRebound(to: UnsafePointer<CChar>?.self) { vals in
                        PQconnectdbParams(keys.baseAddress, vals.baseAddress, 1)
                    }
                }
            }
        }
        guard let connection else { throw WarehouseError("out of memory while connecting") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresConnection.oneLine(PQerrorMessage(connection))
            PQfinish(connection)
            throw WarehouseError.connectionFailed(message)
        }
        handle = connection
        // Server notices ("relation ... already exists, skipping") are not for the investigator.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let host = PQhost(connection).map { String(cString: $0) } ?? "?"
        let port = PQport(connection).map { String(cString: $0) } ?? "?"
        let database = PQdb(connection).map { String(cString: $0) } ?? "?"
        server = "\(host.hasPrefix("/") ? "local socket" : host):\(port)/\(database)"
        serverVersion = PQparameterStatus(connection, "server_version").map { String(cString: $0) } ?? "?"
        usesTLS = PQsslInUse(connection) != 0
    }

    deinit { close() }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Throws when `url` carries a password (in its user-info part or as a parameter).
    static func refusePassword(in url: String) throws(WarehouseError) {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let message = error.map { oneLine($0) } ?? "not a connection string"
            if let error { PQfreemem(error) }
            throw WarehouseError.badURL(message)
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val, value.pointee != 0 {
                throw WarehouseError.passwordInURL
            }
            option += 1
        }
    }

    // MARK: - Queries

    /// Runs `sql` (one or more statements) and returns the last result's rows as text
    /// (nil for SQL NULL).
    @discardableResult
    func execute(_ sql: String, isCancelled: () -> Bool = { false }) throws -> [[String?]] {
        let connection = try open()
        guard PQsendQuery(connection, sql) == 1 else { throw failure(connection) }
        var rows: [[String?]] = []
        var firstError: WarehouseError?
        while let result = try nextResult(connection, isCancelled: isCancelled) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK:
                rows = PostgresConnection.rows(of: result)
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                rows = []
            case PGRES_COPY_IN, PGRES_COPY_OUT:
                firstError = firstError ?? WarehouseError("unexpected COPY in '\(sql.prefix(60))'")
            default:
                firstError = firstError ?? resultError(result)
            }
        }
        if let firstError { throw firstError }
        return rows
    }

    /// Runs `COPY ... FROM STDIN` and hands `produce` a writer for the rows (COPY text
    /// format). If `produce` throws or the flag is set, the COPY is aborted (the server
    /// then fails the statement, and with it the open transaction).
    func copyIn(_ sql: String, isCancelled: @escaping () -> Bool, produce: (CopyInStream) throws -> Void) throws {
        let connection = try startCopy(sql, expecting: PGRES_COPY_IN, isCancelled: isCancelled)
        let stream = CopyInStream(connection: connection, isCancelled: isCancelled)
        var aborted: Error?
        do { try produce(stream); try stream.flush() } catch { aborted = error }
        let reason = aborted.map { _ in "aborted by kensho" }
        let ended = reason.map { PQputCopyEnd(connection, $0) } ?? PQputCopyEnd(connection, nil)
        if ended != 1, aborted == nil { aborted = failure(connection) }
        let serverError = finishCopy(connection)
        if let aborted { throw aborted }
        if let serverError { throw serverError }
        if PQstatus(connection) != CONNECTION_OK { throw failure(connection) }
    }

    /// Runs `COPY (query) TO STDOUT` and passes each row's fields (COPY text format,
    /// unescaped; nil for NULL) to `row`, as they arrive.
    func copyOut(_ sql: String, isCancelled: () -> Bool, row: ([[UInt8]?]) throws -> Void) throws {
        let connection = try startCopy(sql, expecting: PGRES_COPY_OUT, isCancelled: isCancelled)
        var consumerError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 1)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if consumerError == nil {
                    let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(length))
                    do { try row(CopyText.fields(of: bytes)) } catch {
                        consumerError = error
                        cancel()
                    }
                }
            } else if length == 0 {
                if isCancelled(), consumerError == nil { consumerError = Cancelled(); cancel() }
                try waitReadable(connection)
                guard PQconsumeInput(connection) == 1 else { throw failure(connection) }
            } else if length == -1 {
                break
            } else {
                throw failure(connection)
            }
        }
        let serverError = finishCopy(connection)
        if let consumerError { throw consumerError }
        if let serverError { throw serverError }
    }

    /// Text for a literal in SQL: `'...'` with quotes doubled (standard_conforming_strings).
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: - Internals

    /// Reads the results that close a COPY; the first error among them, if any.
    private func finishCopy(_ connection: OpaquePointer) -> WarehouseError? {
        var serverError: WarehouseError?
        while let result = try? nextResult(connection, isCancelled: { false }) {
            if PQresultStatus(result) != PGRES_COMMAND_OK { serverError = serverError ?? resultError(result) }
            PQclear(result)
        }
        return serverError
    }

    /// Sends a COPY statement and waits until the server is ready to copy.
    private func startCopy(_ sql: String, expecting status: ExecStatusType, isCancelled: () -> Bool) throws -> OpaquePointer {
        let connection = try open()
        guard PQsendQuery(connection, sql) == 1 else { throw failure(connection) }
        guard let start = try nextResult(connection, isCancelled: isCancelled) else { throw WarehouseError("no answer to COPY") }
        let startError = PQresultStatus(start) == status ? nil : resultError(start)
        PQclear(start)
        if let startError { try drain(connection); throw startError }
        return connection
    }

    private func open() throws(WarehouseError) -> OpaquePointer {
        guard let handle else { throw WarehouseError("the warehouse connection is closed") }
        if PQstatus(handle) != CONNECTION_OK { throw failure(handle) }
        return handle
    }

    /// The next result of the query in flight, waiting in slices and sending a cancel
    /// request when the flag is set; nil when the query is done.
    private func nextResult(_ connection: OpaquePointer, isCancelled: () -> Bool) throws -> OpaquePointer? {
        var cancelSent = false
        while PQisBusy(connection) == 1 {
            if !cancelSent, isCancelled() { cancel(); cancelSent = true }
            try waitReadable(connection)
            guard PQconsumeInput(connection) == 1 else { throw failure(connection) }
        }
        let result = PQgetResult(connection)
        if cancelSent, let result, PQresultStatus(result) == PGRES_FATAL_ERROR {
            PQclear(result)
            try drain(connection)
            throw Cancelled()
        }
        return result
    }

    private func drain(_ connection: OpaquePointer) throws {
        while let result = try nextResult(connection, isCancelled: { false }) { PQclear(result) }
    }

    /// Waits up to 100 ms for the socket to become readable.
    private func waitReadable(_ connection: OpaquePointer) throws(WarehouseError) {
        let socket = PQsocket(connection)
        guard socket >= 0 else { throw failure(connection) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 100)
    }

    /// Asks the server to cancel the query in flight.
    private func cancel() {
        guard let handle, let request = PQgetCancel(handle) else { return }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(request, &message, Int32(message.count))
        PQfreeCancel(request)
    }

    private func failure(_ connection: OpaquePointer) -> WarehouseError {
        let message = PostgresConnection.oneLine(PQerrorMessage(connection))
        if PQstatus(connection) != CONNECTION_OK {
            return WarehouseError.connectionLost(message.isEmpty ? "the server closed the connection" : message)
        }
        return WarehouseError(message.isEmpty ? "the server did not answer" : message)
    }

    private func resultError(_ result: OpaquePointer) -> WarehouseError {
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let message = primary ?? PostgresConnection.oneLine(PQresultErrorMessage(result))
        // FATAL ends the session (a server shutting down, a terminated backend).
        let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) }
        if PQstatus(handle) != CONNECTION_OK || severity == "FATAL" || severity == "PANIC" {
            return WarehouseError.connectionLost(message)
        }
        return WarehouseError("the warehouse said: \(message)")
    }

    private static func rows(of result: OpaquePointer) -> [[String?]] {
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        return (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// libpq's messages span lines ("...failed: Connection refused\n\tIs the server
    /// running..."): kept on one line, without libpq's own prefixes.
    static func oneLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text)
            .split(whereSeparator: { $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
            .replacingOccurrences(of: "ERROR:  ", with: "")
    }
}

/// Rows on their way into a `COPY ... FROM STDIN`, buffered and sent 1 MiB at a time.
final class CopyInStream {
    private let connection: OpaquePointer
    private let isCancelled: () -> Bool
    private var buffer: [UInt8] = []
    /// Bytes sent so far (what the progress bar shows).
    private(set) var bytesSent = 0
    /// SHA-256 of every byte sent: the digest of a push.
    private(set) var hasher = SHA256()

    init(connection: OpaquePointer, isCancelled: @escaping () -> Bool) {
        self.connection = connection
        self.isCancelled = isCancelled
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    /// Appends one row (COPY text format, escaped by `CopyText`).
    func write(_ fields: [CopyText.Field]) throws {
        CopyText.append(fields, to: &buffer)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        if isCancelled() { throw Cancelled() }
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else {
            let message = PostgresConnection.oneLine(PQerrorMessage(connection))
            throw WarehouseError.connectionLost(message.isEmpty ? "the server closed the connection" : message)
        }
        bytesSent += buffer.count
        hasher.update(data: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
