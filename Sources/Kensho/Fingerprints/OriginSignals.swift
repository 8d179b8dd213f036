import KenshoKeyers

/// The per-row facts the matrix argues an origin from (see `Matrix`): the postal area,
/// the registration date and the id's shape. None identifies a person — an area is the
/// first three postal digits, a shape turns every digit into 9 and every letter into A —
/// so a warehouse push sends them even with `personal=none`, and the warehouse's matrix
/// decides exactly as the embedded one.
struct OriginSignals {
    struct Row: Equatable {
        /// The first three digits of the postal code.
        var area: String?
        /// The registration date, keyed (ISO yyyy-mm-dd).
        var registered: String?
        /// Digits as 9, letters as A, other characters kept: 2100010000 → 9999999999.
        var idShape: String?
    }

    private let postal: Column?
    private let registration: Column?
    private let id: Column?
    private let postalKeyer = KeyerRegistry.keyer(named: "postal")
    private let dateKeyer = KeyerRegistry.keyer(named: "date")

    init(_ table: Table) {
        func column(_ role: Role) -> Column? {
            table.fields.firstIndex { $0.role == role && !$0.isProvenance }.map { table.columns[$0] }
        }
        postal = column(.postal)
        registration = column(.registered)
        id = column(.id)
    }

    func row(_ row: Int) -> Row {
        Row(area: area(row), registered: registered(row), idShape: idShape(row))
    }

    func area(_ row: Int) -> String? {
        guard let text = postal?.value(at: row).text, let key = postalKeyer?.key(text) else { return nil }
        return String(key.prefix(3))
    }

    func registered(_ row: Int) -> String? {
        registration?.value(at: row).text.flatMap { dateKeyer?.key($0) }
    }

    func idShape(_ row: Int) -> String? {
        guard let text = id?.value(at: row).text, !text.isEmpty else { return nil }
        return String(text.map { $0.isNumber ? "9" : ($0.isLetter ? "A" : $0) })
    }
}
