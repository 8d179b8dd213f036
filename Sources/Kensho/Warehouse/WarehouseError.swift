/// What went wrong talking to a warehouse, in words for the investigator. The session
/// places it at the statement (file, line, column) like any other error.
struct WarehouseError: Error, CustomStringConvertible {
    var message: String
    var hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    var description: String { message }

    static func connectionFailed(_ libpqMessage: String) -> WarehouseError {
        var hint: String?
        if libpqMessage.contains("no password supplied") || libpqMessage.contains("password authentication failed") {
            hint = "kensho reads the password from PGPASSWORD or ~/.pgpass (mode 0600), never from the URL"
        } else if libpqMessage.contains("Connection refused") {
            hint = "is the server running, and listening on that host and port?"
        }
        return WarehouseError("cannot connect to the warehouse: \(libpqMessage)", hint: hint)
    }

    static func badURL(_ libpqMessage: String) -> WarehouseError {
        WarehouseError("not a PostgreSQL connection URL: \(libpqMessage)",
                       hint: "write it as \"postgresql://USER@HOST:PORT/DATABASE\"")
    }

    static let passwordInURL = WarehouseError(
        "the URL holds a password; it was not used, and it is masked in the journal and the history",
        hint: "give the password in PGPASSWORD or ~/.pgpass instead")

    static func connectionLost(_ libpqMessage: String) -> WarehouseError {
        WarehouseError("the warehouse connection was lost: \(libpqMessage)",
                       hint: "nothing of the statement was kept in the warehouse (its transaction was rolled back)")
    }
}
