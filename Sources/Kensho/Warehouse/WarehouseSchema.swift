/// The tables kensho keeps in a warehouse.
///
/// - `kensho_datasets`: one row per pushed dataset — its recipe (name, keyer versions,
///   definition), the case key's id, what personal data was sent, the rows, the source
///   files' SHA-256 and the digest of exactly what was sent.
/// - `kensho_rows`: every pushed row — dataset, ordinal (row number in the dataset), the
///   fingerprint (32 bytes, NULL when a field was empty or invalid), provenance (source
///   SHA-256, line), the origin signals (`OriginSignals`), and one column per role,
///   filled only as `personal=` allows (`registered` is not personal and always sent).
///
/// kensho creates `kensho_rows` partitioned by dataset, so a push lands in a staging
/// table that is renamed and attached as the dataset's partition only once every row
/// is in (`Layout.partitionPerDataset`). A warehouse laid out by its administrator — hash
/// partitions on the fingerprint over postgres_fdw shards, or a Citus table distributed
/// on the fingerprint (docs/scale.md) — is filled from the staging table by one
/// `INSERT ... SELECT` instead (`Layout.administered`). Both happen in one transaction.
enum WarehouseSchema {
    /// Role columns of `kensho_rows`, in `Role.allCases` order.
    static let roleColumns = Role.allCases.map(\.rawValue)

    /// The columns a push sends, in COPY order.
    static let rowColumns = ["dataset", "ordinal", "fingerprint", "source", "line",
                             "sig_area", "sig_registered", "sig_id_shape"] + roleColumns

    static let createDatasets = """
        CREATE TABLE IF NOT EXISTS kensho_datasets (
          dataset text PRIMARY KEY,
          seq bigint NOT NULL,
          recipe text NOT NULL,
          recipe_header text NOT NULL,
          recipe_definition text NOT NULL,
          key_id text,
          personal text NOT NULL,
          roles text NOT NULL,
          rows bigint NOT NULL,
          fingerprinted bigint NOT NULL,
          sources text NOT NULL,
          digest text NOT NULL,
          kensho_version text NOT NULL,
          pushed_at timestamptz NOT NULL DEFAULT now())
        """

    /// `kensho_rows` as kensho creates it when it is missing.
    static let createRows = """
        CREATE TABLE IF NOT EXISTS kensho_rows (
          dataset text NOT NULL,
          ordinal bigint NOT NULL,
          fingerprint bytea,
          source text,
          line bigint,
          sig_area text,
          sig_registered text,
          sig_id_shape text,
        \(roleColumns.map { "  \(quoted($0)) text" }.joined(separator: ",\n"))
        ) PARTITION BY LIST (dataset)
        """

    enum Layout {
        /// kensho's own: one list partition per dataset.
        case partitionPerDataset
        /// Anything else (hash partitions on the fingerprint, a distributed table).
        case administered
    }

    /// Creates what is missing (under the transaction-scoped lock every push takes) and
    /// says how `kensho_rows` is laid out.
    static func prepare(_ connection: PostgresConnection) throws -> Layout {
        try connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
        try connection.execute(createDatasets + ";\n" + createRows)
        let key = try connection.execute("SELECT pg_get_partkeydef('kensho_rows'::regclass)")
        return key.first?.first??.lowercased() == "list (dataset)" ? .partitionPerDataset : .administered
    }

    /// The advisory lock that serializes pushes (and schema creation) across sessions.
    static let lockKey = 0x6b656e73686f  // "kensho"

    /// The partition of a dataset: named from a hash of its name, which may be Japanese or dotted.
    static func partitionName(_ dataset: String) -> String {
        "kensho_part_" + SHA256Digest.hex(of: Array(dataset.utf8)).prefix(16)
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
