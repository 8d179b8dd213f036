import Foundation

/// `push DS using FP to WH [with personal=none|masked|all]`: a dataset's fingerprints,
/// provenance and origin signals (and its personal columns only when asked) sent into
/// the warehouse with COPY, 1 MiB at a time.
///
/// The keyers run here, so the warehouse never needs Japanese normalization. Rows go
/// into a staging table; only when all are in is it renamed into place (or copied into
/// an administered layout), and the `kensho_datasets` row written — all in one
/// transaction, so a push that fails or is cancelled, or whose connection drops, leaves
/// nothing behind, and one pushed again replaces the old copy only if it succeeds.
struct WarehousePush {
    enum Personal: String, CaseIterable {
        /// Fingerprints, provenance and origin signals only.
        case none
        /// Personal columns masked as on screen (山田 *, ***-****-5678).
        case masked
        /// Personal columns as they are.
        case all
    }

    /// One dataset's rows, ready to send: what `push DS` reads from a loaded table and
    /// `push "FILE"` from each slice of a file.
    struct Batch {
        var table: Table
        var fingerprints: Fingerprinter.Result
        /// The ordinal of the batch's first row within its dataset.
        var firstOrdinal: Int
    }

    let warehouse: Warehouse
    let datasetName: String
    let recipe: Recipe
    let key: CaseKey?
    let personal: Personal
    let sources: String
    let isCancelled: @Sendable () -> Bool

    struct Outcome {
        var rows = 0
        var fingerprinted = 0
        var digest = ""
        var bytes = 0
        var roles: [Role] = []
        var layout = WarehouseSchema.Layout.partitionPerDataset
    }

    /// Sends the batches `next` yields (nil when done) in one transaction. `progress`
    /// gets the rows sent so far after every batch.
    func run(next: () throws -> Batch?, progress: (Int) -> Void) throws -> Outcome {
        let connection = warehouse.connection
        let dataset = PostgresConnection.literal(datasetName)
        var outcome = Outcome()
        try connection.execute("BEGIN")
        do {
            outcome.layout = try WarehouseSchema.prepare(connection)
            let staging = "kensho_staging_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            try connection.execute("CREATE TABLE \(staging) (LIKE kensho_rows INCLUDING DEFAULTS, "
                                   + "CONSTRAINT kensho_one_dataset CHECK (dataset = \(dataset)))")
            let columns = WarehouseSchema.rowColumns.map(WarehouseSchema.quoted).joined(separator: ", ")
            var roles = Set<Role>()
            try connection.copyIn("COPY \(staging) (\(columns)) FROM STDIN", isCancelled: isCancelled) { stream in
                while let batch = try next() {
                    try send(batch, to: stream, roles: &roles, outcome: &outcome, progress: progress)
                    progress(outcome.rows)
                }
                try stream.flush()
                outcome.digest = SHA256Digest.hex(stream.hasher.finalize())
                outcome.bytes = stream.bytesSent
            }
            outcome.roles = Role.allCases.filter { roles.contains($0) }
            try moveIntoPlace(staging, dataset: dataset, layout: outcome.layout)
            try connection.execute(record(outcome, dataset: dataset))
            try connection.execute("COMMIT")
        } catch {
            // After a lost connection the server has rolled back already.
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
        return outcome
    }

    private func send(_ batch: Batch, to stream: CopyInStream, roles: inout Set<Role>, outcome: inout Outcome,
                      progress: (Int) -> Void) throws {
        let table = batch.table
        let signals = OriginSignals(table)
        let source = table.index(of: "_source").map { table.columns[$0] }
        let line = table.index(of: "_line").map { table.columns[$0] }
        // Per role: the column holding it, if it is sent.
        let roleColumns: [(Role, Column?)] = Role.allCases.map { role in
            guard role == .registered || personal != .none,
                  let index = table.fields.firstIndex(where: { $0.role == role && !$0.isProvenance }) else { return (role, nil) }
            return (role, table.columns[index])
        }
        for (role, column) in roleColumns where column != nil { roles.insert(role) }
        var fields: [CopyText.Field] = []
        fields.reserveCapacity(WarehouseSchema.rowColumns.count)
        try batch.fingerprints.digests.withUnsafeBytes { digests in
            for row in 0..<table.rowCount {
                if row & 4095 == 0, row > 0 {
                    if isCancelled() { throw Cancelled() }
                    if row & 65535 == 0 { progress(outcome.rows + row) }
                }
                fields.removeAll(keepingCapacity: true)
                fields.append(.text(datasetName))
                fields.append(.integer(Int64(batch.firstOrdinal + row)))
                if batch.fingerprints.present[row] {
                    fields.append(.bytea(UnsafeRawBufferPointer(rebasing: digests[row * 32..<row * 32 + 32])))
                    outcome.fingerprinted += 1
                } else {
                    fields.append(.null)
                }
                fields.append(source.flatMap { $0.value(at: row).text }.map(CopyText.Field.text) ?? .null)
                if let line, case .integer(let number) = line.value(at: row) { fields.append(.integer(number)) } else { fields.append(.null) }
                let signal = signals.row(row)
                fields.append(signal.area.map(CopyText.Field.text) ?? .null)
                fields.append(signal.registered.map(CopyText.Field.text) ?? .null)
                fields.append(signal.idShape.map(CopyText.Field.text) ?? .null)
                for (role, column) in roleColumns {
                    guard let column, let text = column.value(at: row).text else { fields.append(.null); continue }
                    fields.append(.text(personal == .masked && role.isPersonal ? Masking.mask(text, as: role) : text))
                }
                try stream.write(fields)
            }
        }
        outcome.rows += table.rowCount
    }

    /// Makes the staging table the dataset's rows, replacing an earlier push of it.
    private func moveIntoPlace(_ staging: String, dataset: String, layout: WarehouseSchema.Layout) throws {
        let connection = warehouse.connection
        switch layout {
        case .partitionPerDataset:
            let partition = WarehouseSchema.partitionName(datasetName)
            let old = try connection.execute("SELECT to_regclass('\(partition)') IS NOT NULL")
            if old.first?.first == "t" {
                try connection.execute("ALTER TABLE kensho_rows DETACH PARTITION \(partition); DROP TABLE \(partition)")
            }
            // The CHECK constraint proves the partition bound, so ATTACH does not rescan.
            try connection.execute("""
                ALTER TABLE \(staging) RENAME TO \(partition);
                ALTER TABLE kensho_rows ATTACH PARTITION \(partition) FOR VALUES IN (\(dataset));
                ANALYZE \(partition)
                """)
        case .administered:
            let columns = WarehouseSchema.rowColumns.map(WarehouseSchema.quoted).joined(separator: ", ")
            try connection.execute("""
                DELETE FROM kensho_rows WHERE dataset = \(dataset);
                INSERT INTO kensho_rows (\(columns)) SELECT \(columns) FROM \(staging);
                DROP TABLE \(staging)
                """)
        }
    }

    /// The `kensho_datasets` row: a dataset pushed again keeps its place in `WH.*`.
    private func record(_ outcome: Outcome, dataset: String) -> String {
        let literal = PostgresConnection.literal
        let values = [
            dataset,
            "COALESCE((SELECT seq FROM kensho_datasets WHERE dataset = \(dataset)), (SELECT COALESCE(max(seq), 0) + 1 FROM kensho_datasets))",
            literal(recipe.name), literal(recipe.header), literal(recipe.definition),
            key.map { literal($0.id) } ?? "NULL", literal(personal.rawValue),
            literal(outcome.roles.map(\.rawValue).joined(separator: ",")),
            String(outcome.rows), String(outcome.fingerprinted), literal(sources), literal(outcome.digest),
            literal(KenshoVersion.string),
        ]
        let columns = ["dataset", "seq", "recipe", "recipe_header", "recipe_definition", "key_id", "personal", "roles",
                       "rows", "fingerprinted", "sources", "digest", "kensho_version"]
        let updates = columns.dropFirst(2).map { "\($0) = EXCLUDED.\($0)" } + ["pushed_at = now()"]
        return "INSERT INTO kensho_datasets (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) "
            + "ON CONFLICT (dataset) DO UPDATE SET \(updates.joined(separator: ", "))"
    }
}
