import KenshoKeyers

/// `matrix FP in ...`: whose data is in whose system. One row per pair of datasets that
/// share fingerprints: `a`, `b`, `shared` (distinct fingerprints held by both),
/// `likely_origin` and the `evidence` for it.
///
/// The origin of a shared record is argued from what a copy cannot fake:
///
/// 1. **Area.** Municipal records belong to a place. The postal area (first three
///    digits) most shared records carry is compared with each dataset's own area — the
///    area of its records that are not shared with anyone. The dataset whose own area
///    it is, inside the pair or outside it, is the likely origin: two systems that both
///    received another library's patrons point to that library.
/// 2. **Registration.** Where both sides record a registration date, the side that
///    registered the shared records earlier (by median) is the likely origin; a batch
///    (most shared records registered on one day) marks the receiving side.
/// 3. **Numbering.** Where both sides have ids, the side whose shared records' ids have
///    the shape of its own other ids (length and digit/letter pattern) is the origin.
/// 4. **Spread.** Otherwise the side that shares with more other datasets.
///
/// The evidence column says which of these decided, with the numbers; when none
/// separates the sides, `likely_origin` is null and the evidence says so.
enum Matrix {
    static func table(_ inputs: [Occurrences.Input], groups: Occurrences.Groups) -> Table {
        let count = inputs.count
        // Fingerprint groups held by each input, and each input's row per group.
        var rowOf: [[Int: Int]] = Array(repeating: [:], count: count)
        for group in groups.shared.indices {
            for (input, row) in groups.members(group) where rowOf[input][group] == nil { rowOf[input][group] = row }
        }
        var shares: [[Int]] = Array(repeating: Array(repeating: 0, count: count), count: count)
        var partners = [Int](repeating: 0, count: count)
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) {
                let shared = rowOf[a].keys.reduce(0) { $0 + (rowOf[b][$1] != nil ? 1 : 0) }
                shares[a][b] = shared
                if shared > 0 { partners[a] += 1; partners[b] += 1 }
            }
        }
        let profiles = inputs.indices.map { Profile(inputs[$0], sharedRows: Set(rowOf[$0].values)) }

        var rows: [[Value]] = []
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) where shares[a][b] > 0 {
                let sharedGroups = rowOf[a].keys.filter { rowOf[b][$0] != nil }.sorted()
                let rowsA = sharedGroups.map { rowOf[a][$0]! }
                let rowsB = sharedGroups.map { rowOf[b][$0]! }
                let (origin, evidence) = decide(a: a, b: b, rowsA: rowsA, rowsB: rowsB, inputs: inputs,
                                                profiles: profiles, partners: partners)
                rows.append([.text(inputs[a].name), .text(inputs[b].name), .integer(Int64(shares[a][b])),
                             origin.map { .text(inputs[$0].name) } ?? .null, .text(evidence)])
            }
        }
        return Table.build([("a", .text), ("b", .text), ("shared", .integer), ("likely_origin", .text), ("evidence", .text)],
                           rows: rows)
    }

    /// What one dataset looks like apart from what it shares: its area and id shape.
    struct Profile {
        var homeArea: String?
        var idShape: String?

        init(_ input: Occurrences.Input, sharedRows: Set<Int>) {
            let own = (0..<input.table.rowCount).filter { !sharedRows.contains($0) }
            let basis = own.count >= 10 ? own : Array(0..<input.table.rowCount)
            homeArea = Matrix.dominant(basis.compactMap { Matrix.area(input, row: $0) })
            idShape = Matrix.dominant(basis.compactMap { Matrix.idShape(input, row: $0) })
        }
    }

    static func decide(a: Int, b: Int, rowsA: [Int], rowsB: [Int], inputs: [Occurrences.Input],
                       profiles: [Profile], partners: [Int]) -> (Int?, String) {
        let nameA = inputs[a].name, nameB = inputs[b].name
        // 1. Area of the shared records against each dataset's own area.
        let areas = rowsA.compactMap { area(inputs[a], row: $0) } + rowsB.compactMap { area(inputs[b], row: $0) }
        if let sharedArea = dominant(areas) {
            let share = Double(areas.filter { $0 == sharedArea }.count) / Double(areas.count)
            let homes = profiles.indices.filter { profiles[$0].homeArea == sharedArea }
            if share >= 0.6, homes.count == 1 {
                let home = homes[0]
                let outside = home != a && home != b
                return (home, "area: \(percent(share)) of the shared records are in postal area \(sharedArea)-, "
                    + "\(inputs[home].name)'s own" + (outside ? " (both \(nameA) and \(nameB) received them)" : ""))
            }
        }
        // 2. Registration dates.
        if let medianA = medianRegistration(inputs[a], rows: rowsA), let medianB = medianRegistration(inputs[b], rows: rowsB),
           medianA != medianB {
            let (origin, other) = medianA < medianB ? (a, b) : (b, a)
            let (early, late) = medianA < medianB ? (medianA, medianB) : (medianB, medianA)
            var text = "registration: shared records registered at \(inputs[origin].name) by \(early) (median), at \(inputs[other].name) by \(late)"
            if let batch = batch(inputs[other], rows: other == a ? rowsA : rowsB) { text += "; \(batch)" }
            return (origin, text)
        }
        // 3. Numbering.
        let fitA = fit(rowsA.compactMap { idShape(inputs[a], row: $0) }, profiles[a].idShape)
        let fitB = fit(rowsB.compactMap { idShape(inputs[b], row: $0) }, profiles[b].idShape)
        if let fitA, let fitB, abs(fitA - fitB) >= 0.5 {
            let origin = fitA > fitB ? a : b
            return (origin, "numbering: \(percent(max(fitA, fitB))) of the shared records have \(inputs[origin].name)'s own id shape, "
                + "\(percent(min(fitA, fitB))) at \(inputs[origin == a ? b : a].name)")
        }
        // 4. Spread.
        if partners[a] != partners[b] {
            let origin = partners[a] > partners[b] ? a : b
            return (origin, "spread: \(inputs[origin].name) shares records with \(max(partners[a], partners[b])) datasets, "
                + "\(inputs[origin == a ? b : a].name) with \(min(partners[a], partners[b]))")
        }
        return (nil, "no evidence either way (no area, registration date or id shape separates \(nameA) and \(nameB))")
    }

    // MARK: - Signals

    static func column(_ input: Occurrences.Input, _ role: Role) -> Column? {
        input.table.fields.firstIndex { $0.role == role && !$0.isProvenance }.map { input.table.columns[$0] }
    }

    /// The first three digits of the row's postal code.
    static func area(_ input: Occurrences.Input, row: Int) -> String? {
        guard let column = column(input, .postal), let text = column.value(at: row).text,
              let postal = KeyerRegistry.keyer(named: "postal")?.key(text) else { return nil }
        return String(postal.prefix(3))
    }

    /// Digits as 9, letters as A, other characters kept: 2100010000 → 9999999999.
    static func idShape(_ input: Occurrences.Input, row: Int) -> String? {
        guard let column = column(input, .id), let text = column.value(at: row).text, !text.isEmpty else { return nil }
        return String(text.map { $0.isNumber ? "9" : ($0.isLetter ? "A" : $0) })
    }

    static func medianRegistration(_ input: Occurrences.Input, rows: [Int]) -> String? {
        guard let column = column(input, .registered), let keyer = KeyerRegistry.keyer(named: "date") else { return nil }
        let dates = rows.compactMap { column.value(at: $0).text.flatMap { keyer.key($0) } }.sorted()
        guard dates.count * 2 >= rows.count, !dates.isEmpty else { return nil }
        return dates[dates.count / 2]
    }

    static func batch(_ input: Occurrences.Input, rows: [Int]) -> String? {
        guard let column = column(input, .registered), let keyer = KeyerRegistry.keyer(named: "date") else { return nil }
        let dates = rows.compactMap { column.value(at: $0).text.flatMap { keyer.key($0) } }
        var counts: [String: Int] = [:]
        for date in dates { counts[date, default: 0] += 1 }
        guard let (day, n) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              n * 2 >= rows.count, n >= 3 else { return nil }
        return "\(n) of \(rows.count) registered at \(input.name) on \(day)"
    }

    static func fit(_ shapes: [String], _ own: String?) -> Double? {
        guard let own, !shapes.isEmpty else { return nil }
        return Double(shapes.filter { $0 == own }.count) / Double(shapes.count)
    }

    /// The most common value (ties: the smallest), if any.
    static func dominant(_ values: [String]) -> String? {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
