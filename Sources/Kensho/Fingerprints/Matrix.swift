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
    /// What the matrix reads of one dataset: its name, its origin signals by row, and its
    /// profile. The embedded engine reads them off the loaded table; a warehouse sends
    /// the signals it was pushed with and computes the profiles in SQL.
    struct Side {
        var name: String
        var signals: (Int) -> OriginSignals.Row
        var profile: Profile
    }

    static func table(_ inputs: [Occurrences.Input], groups: Occurrences.Groups) -> Table {
        // Each input's first row in each shared group.
        var rowOf: [[Int: Int]] = Array(repeating: [:], count: inputs.count)
        for group in groups.shared.indices {
            for (input, row) in groups.members(group) where rowOf[input][group] == nil { rowOf[input][group] = row }
        }
        let sides = inputs.indices.map { index in
            let signals = OriginSignals(inputs[index].table)
            return Side(name: inputs[index].name, signals: signals.row,
                        profile: Profile(signals, rowCount: inputs[index].table.rowCount, sharedRows: Set(rowOf[index].values)))
        }
        return table(sides, firstRows: rowOf)
    }

    /// The matrix from each side's first row in each shared fingerprint group
    /// (`firstRows[side][group]`); groups are any numbering common to all sides.
    static func table(_ sides: [Side], firstRows rowOf: [[Int: Int]]) -> Table {
        let count = sides.count
        var shares: [[Int]] = Array(repeating: Array(repeating: 0, count: count), count: count)
        var partners = [Int](repeating: 0, count: count)
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) {
                let shared = rowOf[a].keys.reduce(0) { $0 + (rowOf[b][$1] != nil ? 1 : 0) }
                shares[a][b] = shared
                if shared > 0 { partners[a] += 1; partners[b] += 1 }
            }
        }
        var rows: [[Value]] = []
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) where shares[a][b] > 0 {
                let sharedGroups = rowOf[a].keys.filter { rowOf[b][$0] != nil }.sorted()
                let signalsA = sharedGroups.map { sides[a].signals(rowOf[a][$0]!) }
                let signalsB = sharedGroups.map { sides[b].signals(rowOf[b][$0]!) }
                let (origin, evidence) = decide(a: a, b: b, signalsA: signalsA, signalsB: signalsB, sides: sides,
                                                partners: partners)
                rows.append([.text(sides[a].name), .text(sides[b].name), .integer(Int64(shares[a][b])),
                             origin.map { .text(sides[$0].name) } ?? .null, .text(evidence)])
            }
        }
        return Table.build([("a", .text), ("b", .text), ("shared", .integer), ("likely_origin", .text), ("evidence", .text)],
                           rows: rows)
    }

    /// What one dataset looks like apart from what it shares: its area and id shape.
    struct Profile {
        var homeArea: String?
        var idShape: String?

        init(homeArea: String?, idShape: String?) {
            self.homeArea = homeArea
            self.idShape = idShape
        }

        /// From the rows that are not a first copy of a shared record (all rows when
        /// fewer than 10 remain).
        init(_ signals: OriginSignals, rowCount: Int, sharedRows: Set<Int>) {
            let own = (0..<rowCount).filter { !sharedRows.contains($0) }
            let basis = own.count >= 10 ? own : Array(0..<rowCount)
            homeArea = Matrix.dominant(basis.compactMap { signals.area($0) })
            idShape = Matrix.dominant(basis.compactMap { signals.idShape($0) })
        }
    }

    static func decide(a: Int, b: Int, signalsA: [OriginSignals.Row], signalsB: [OriginSignals.Row], sides: [Side],
                       partners: [Int]) -> (Int?, String) {
        let nameA = sides[a].name, nameB = sides[b].name
        let profiles = sides.map(\.profile)
        // 1. Area of the shared records against each dataset's own area.
        let areas = signalsA.compactMap(\.area) + signalsB.compactMap(\.area)
        if let sharedArea = dominant(areas) {
            let share = Double(areas.filter { $0 == sharedArea }.count) / Double(areas.count)
            let homes = profiles.indices.filter { profiles[$0].homeArea == sharedArea }
            if share >= 0.6, homes.count == 1 {
                let home = homes[0]
                let outside = home != a && home != b
                return (home, "area: \(percent(share)) of the shared records are in postal area \(sharedArea)-, "
                    + "\(sides[home].name)'s own" + (outside ? " (both \(nameA) and \(nameB) received them)" : ""))
            }
        }
        // 2. Registration dates.
        if let medianA = medianRegistration(signalsA), let medianB = medianRegistration(signalsB), medianA != medianB {
            let (origin, other) = medianA < medianB ? (a, b) : (b, a)
            let (early, late) = medianA < medianB ? (medianA, medianB) : (medianB, medianA)
            var text = "registration: shared records registered at \(sides[origin].name) by \(early) (median), at \(sides[other].name) by \(late)"
            if let batch = batch(other == a ? signalsA : signalsB, name: sides[other].name) { text += "; \(batch)" }
            return (origin, text)
        }
        // 3. Numbering.
        let fitA = fit(signalsA.compactMap(\.idShape), profiles[a].idShape)
        let fitB = fit(signalsB.compactMap(\.idShape), profiles[b].idShape)
        if let fitA, let fitB, abs(fitA - fitB) >= 0.5 {
            let origin = fitA > fitB ? a : b
            return (origin, "numbering: \(percent(max(fitA, fitB))) of the shared records have \(sides[origin].name)'s own id shape, "
                + "\(percent(min(fitA, fitB))) at \(sides[origin == a ? b : a].name)")
        }
        // 4. Spread.
        if partners[a] != partners[b] {
            let origin = partners[a] > partners[b] ? a : b
            return (origin, "spread: \(sides[origin].name) shares records with \(max(partners[a], partners[b])) datasets, "
                + "\(sides[origin == a ? b : a].name) with \(min(partners[a], partners[b]))")
        }
        return (nil, "no evidence either way (no area, registration date or id shape separates \(nameA) and \(nameB))")
    }

    // MARK: - Signals

    static func medianRegistration(_ rows: [OriginSignals.Row]) -> String? {
        let dates = rows.compactMap(\.registered).sorted()
        guard dates.count * 2 >= rows.count, !dates.isEmpty else { return nil }
        return dates[dates.count / 2]
    }

    static func batch(_ rows: [OriginSignals.Row], name: String) -> String? {
        var counts: [String: Int] = [:]
        for date in rows.compactMap(\.registered) { counts[date, default: 0] += 1 }
        guard let (day, n) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              n * 2 >= rows.count, n >= 3 else { return nil }
        return "\(n) of \(rows.count) registered at \(name) on \(day)"
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
