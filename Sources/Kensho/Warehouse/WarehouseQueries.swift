/// The analyses a warehouse runs, as SQL, and their answers as kensho tables.
///
/// Only constructs a distributed engine can run where the data lies are used: grouping
/// by the fingerprint, joins on the fingerprint (the distribution column), aggregates
/// per (fingerprint, dataset). Results stream back with `COPY (...) TO STDOUT`.
/// Every SQL text run is reported through `log`, so the journal records it.
struct WarehouseQueries {
    let warehouse: Warehouse
    let isCancelled: @Sendable () -> Bool
    let log: (String) -> Void

    /// `occurrences FP in WH.*`: the same table, row for row, as the embedded engine's
    /// over the same datasets pushed with `personal=all` (with less personal data pushed,
    /// the personal columns are absent or masked; everything else is the same).
    func occurrences(_ scope: [Warehouse.PushedDataset]) throws -> Table {
        let roles = Role.allCases.filter { role in scope.contains { $0.roles.contains(role) } }
        let roleList = roles.map { ", r." + WarehouseSchema.quoted($0.rawValue) }.joined()
        let sql = """
            COPY (WITH \(scopeCTE(scope)), \
            r AS (SELECT k.fingerprint, k.ordinal, k.source, k.line\(roles.map { ", k." + WarehouseSchema.quoted($0.rawValue) }.joined()), s.seq, s.dataset \
            FROM kensho_rows k JOIN scope s ON k.dataset = s.dataset WHERE \(pruning(scope)) AND k.fingerprint IS NOT NULL), \
            \(Self.sharedGroups) \
            SELECT encode(g.fingerprint, 'hex'), g.spread, r.dataset, r.source, r.line\(roleList) \
            FROM r JOIN g ON r.fingerprint = g.fingerprint ORDER BY g.spread DESC, g.first, r.seq, r.ordinal) TO STDOUT
            """
        let schema: [(String, ColumnType)] = [("fingerprint", .text), ("spread", .integer), ("_dataset", .text),
                                              ("_source", .text), ("_line", .integer)] + roles.map { ($0.rawValue, .text) }
        var rows: [[Value]] = []
        try run(sql) { fields in rows.append(try Self.values(fields, schema)) }
        var table = Table.build(schema, rows: rows)
        for (offset, role) in roles.enumerated() { table.fields[5 + offset].role = role }
        return table
    }

    /// The fingerprints held by two or more datasets of `r`: `d` has each dataset's first
    /// row (`first`, an ordinal) of each fingerprint, `g` the shared fingerprints with their
    /// spread and first appearance. Two hash aggregations, where `count(DISTINCT ...)`
    /// would sort every row.
    static let sharedGroups = """
        d AS (SELECT fingerprint, seq, min(ordinal) AS first FROM r WHERE fingerprint IS NOT NULL GROUP BY fingerprint, seq), \
        g AS (SELECT fingerprint, count(*) AS spread, min(seq * 4294967296 + first) AS first FROM d \
        GROUP BY fingerprint HAVING count(*) >= 2)
        """

    /// `matrix FP in WH.*`: the pairs, shared counts and origins the embedded engine
    /// gives. The warehouse finds the shared fingerprints and each dataset's first copy
    /// of each (with its origin signals), and each dataset's area and id-shape counts
    /// apart from those copies; `Matrix` argues the origins from them as it does locally.
    func matrix(_ scope: [Warehouse.PushedDataset]) throws -> Table {
        let shared = """
            r AS (SELECT k.fingerprint, k.ordinal, k.sig_area, k.sig_registered, k.sig_id_shape, s.seq \
            FROM kensho_rows k JOIN scope s ON k.dataset = s.dataset WHERE \(pruning(scope))), \(Self.sharedGroups), \
            f AS (SELECT d.fingerprint, d.seq, d.first AS ordinal FROM d JOIN g ON d.fingerprint = g.fingerprint)
            """
        var groupOf: [String: Int] = [:]
        var firstRows: [[Int: Int]] = Array(repeating: [:], count: scope.count)
        var signals: [[OriginSignals.Row]] = Array(repeating: [], count: scope.count)
        try run("""
            COPY (WITH \(scopeCTE(scope)), \(shared) \
            SELECT f.seq, encode(f.fingerprint, 'hex'), r.sig_area, r.sig_registered, r.sig_id_shape FROM f \
            JOIN r ON r.fingerprint = f.fingerprint AND r.seq = f.seq AND r.ordinal = f.ordinal) TO STDOUT
            """) { fields in
            guard fields.count == 5, let side = fields[0].flatMap(Self.integer).map({ Int($0) - 1 }), scope.indices.contains(side),
                  let fingerprint = fields[1].map({ String(decoding: $0, as: UTF8.self) }) else {
                throw WarehouseError("the warehouse sent a malformed row")
            }
            let group = groupOf[fingerprint] ?? groupOf.count
            groupOf[fingerprint] = group
            firstRows[side][group] = signals[side].count
            signals[side].append(OriginSignals.Row(area: Self.text(fields[2]), registered: Self.text(fields[3]),
                                                   idShape: Self.text(fields[4])))
        }
        // Area and id-shape counts per dataset: of its own rows (all but its first copies
        // of shared records), and of all its rows.
        var ownRows = [Int](repeating: 0, count: scope.count)
        var counts: [String: [[String: Int]]] = [:]
        for kind in ["own area", "own id", "all area", "all id"] { counts[kind] = Array(repeating: [:], count: scope.count) }
        try run("""
            COPY (WITH \(scopeCTE(scope)), \(shared), \
            own AS (SELECT r.* FROM r LEFT JOIN f ON f.fingerprint = r.fingerprint AND f.seq = r.seq AND f.ordinal = r.ordinal WHERE f.seq IS NULL) \
            SELECT 'own rows', seq, NULL, count(*) FROM own GROUP BY seq \
            UNION ALL SELECT 'own area', seq, sig_area, count(*) FROM own WHERE sig_area IS NOT NULL GROUP BY seq, sig_area \
            UNION ALL SELECT 'own id', seq, sig_id_shape, count(*) FROM own WHERE sig_id_shape IS NOT NULL GROUP BY seq, sig_id_shape \
            UNION ALL SELECT 'all area', seq, sig_area, count(*) FROM r WHERE sig_area IS NOT NULL GROUP BY seq, sig_area \
            UNION ALL SELECT 'all id', seq, sig_id_shape, count(*) FROM r WHERE sig_id_shape IS NOT NULL GROUP BY seq, sig_id_shape) TO STDOUT
            """) { fields in
            guard fields.count == 4, let kind = Self.text(fields[0]),
                  let side = fields[1].flatMap(Self.integer).map({ Int($0) - 1 }), scope.indices.contains(side),
                  let n = fields[3].flatMap(Self.integer) else { throw WarehouseError("the warehouse sent a malformed row") }
            if kind == "own rows" { ownRows[side] = Int(n) } else if let value = Self.text(fields[2]) { counts[kind]?[side][value] = Int(n) }
        }
        let sides = scope.indices.map { index in
            let basis = ownRows[index] >= 10 ? "own" : "all"
            let profile = Matrix.Profile(homeArea: Self.dominant(counts["\(basis) area"]![index]),
                                         idShape: Self.dominant(counts["\(basis) id"]![index]))
            let rows = signals[index]
            return Matrix.Side(name: scope[index].name, signals: { rows[$0] }, profile: profile)
        }
        return Matrix.table(sides, firstRows: firstRows)
    }

    /// `WH.name` as a source: the dataset's pushed rows in their original order — the
    /// fingerprint, provenance and whatever personal columns were pushed — optionally
    /// only those whose fingerprint is in `matching` (a join sends the other side's
    /// fingerprints first, so only rows that can match come back).
    func rows(of dataset: Warehouse.PushedDataset, matching: [String]? = nil) throws -> Table {
        let roles = dataset.roles
        let literal = PostgresConnection.literal(dataset.name)
        var sql = "COPY (SELECT encode(k.fingerprint, 'hex'), k.source, k.line"
            + roles.map { ", k." + WarehouseSchema.quoted($0.rawValue) }.joined()
            + " FROM kensho_rows k"
        if let matching {
            try warehouse.connection.execute("CREATE TEMP TABLE IF NOT EXISTS kensho_keys (fingerprint bytea PRIMARY KEY); TRUNCATE kensho_keys")
            try warehouse.connection.copyIn("COPY kensho_keys (fingerprint) FROM STDIN", isCancelled: isCancelled) { stream in
                for hex in Set(matching) { try stream.write([.text("\\x" + hex)]) }
            }
            sql += " JOIN kensho_keys USING (fingerprint)"
        }
        sql += " WHERE k.dataset = \(literal) ORDER BY k.ordinal) TO STDOUT"
        let name = Value.text("\(warehouse.name).\(dataset.name)")
        let schema: [(String, ColumnType)] = [("fingerprint", .text), ("_source", .text), ("_line", .integer)]
            + roles.map { ($0.rawValue, .text) }
        var rows: [[Value]] = []
        try run(sql) { fields in
            var values = try Self.values(fields, schema)
            values.insert(name, at: 1)
            rows.append(values)
        }
        var table = Table.build([schema[0], ("_dataset", .text)] + schema.dropFirst(), rows: rows)
        for index in 1...3 { table.fields[index].isProvenance = true }
        for (offset, role) in roles.enumerated() { table.fields[4 + offset].role = role }
        return table
    }

    // MARK: - Helpers

    private func run(_ sql: String, row: ([[UInt8]?]) throws -> Void) throws {
        log(sql)
        try warehouse.connection.copyOut(sql, isCancelled: isCancelled, row: row)
    }

    /// The datasets in scope with their order: `scope(dataset, seq)`.
    private func scopeCTE(_ scope: [Warehouse.PushedDataset]) -> String {
        let rows = scope.enumerated().map { "(\(PostgresConnection.literal($0.element.name))::text, \($0.offset + 1)::bigint)" }
        return "scope(dataset, seq) AS (VALUES \(rows.joined(separator: ", ")))"
    }

    /// A literal list of the datasets too, so the planner prunes partitions.
    private func pruning(_ scope: [Warehouse.PushedDataset]) -> String {
        "k.dataset IN (\(scope.map { PostgresConnection.literal($0.name) }.joined(separator: ", ")))"
    }

    /// A row's fields as values of the schema's types.
    private static func values(_ fields: [[UInt8]?], _ schema: [(String, ColumnType)]) throws -> [Value] {
        guard fields.count == schema.count else {
            throw WarehouseError("the warehouse sent \(fields.count) fields where \(schema.count) were expected")
        }
        return zip(fields, schema).map { field, column in
            guard let field else { return .null }
            if column.1 == .integer { return integer(field).map(Value.integer) ?? .null }
            return .text(String(decoding: field, as: UTF8.self))
        }
    }

    static func integer(_ bytes: [UInt8]) -> Int64? { Int64(String(decoding: bytes, as: UTF8.self)) }
    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    /// `Matrix.dominant` over counts: the most common value, ties to the smallest.
    static func dominant(_ counts: [String: Int]) -> String? {
        counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
