/// An attached warehouse (`attach postgres "URL" as WH`): a PostgreSQL-compatible server
/// that holds pushed fingerprints and answers `occurrences`, `matrix`, `WH.name` and
/// joins in SQL, for sweeps that do not fit one machine's memory.
final class Warehouse {
    let name: String
    let connection: PostgresConnection
    /// The pushed datasets' names as last seen (attach, every listing, every push),
    /// for Tab completion: never a query of its own.
    private(set) var knownDatasets: [String] = []

    init(name: String, url: String) throws(WarehouseError) {
        self.name = name
        self.connection = try PostgresConnection(url: url)
    }

    /// One row of `kensho_datasets`.
    struct PushedDataset {
        var name: String
        var seq: Int
        var recipe: String
        var header: String
        var keyID: String?
        var personal: String
        var roles: [Role]
        var rows: Int
        /// The pushed input (`path sha256:HEX`), or how a derived dataset was made.
        var sources: String
        /// The SHA-256 of exactly what was sent.
        var digest: String
    }

    /// The datasets pushed so far, in push order (a dataset pushed again keeps its place).
    func datasets() throws -> [PushedDataset] {
        let exists = try connection.execute("SELECT to_regclass('kensho_datasets') IS NOT NULL")
        guard exists.first?.first == "t" else { return [] }
        let rows = try connection.execute(
            "SELECT dataset, seq, recipe, recipe_header, key_id, personal, roles, rows, sources, digest FROM kensho_datasets ORDER BY seq")
        let pushed = rows.map { row in
            PushedDataset(name: row[0] ?? "", seq: Int(row[1] ?? "") ?? 0, recipe: row[2] ?? "", header: row[3] ?? "",
                          keyID: row[4], personal: row[5] ?? "none",
                          roles: (row[6] ?? "").split(separator: ",").compactMap { Role(rawValue: String($0)) },
                          rows: Int(row[7] ?? "") ?? 0, sources: row[8] ?? "", digest: row[9] ?? "")
        }
        knownDatasets = pushed.map(\.name)
        return pushed
    }

    /// Notes a dataset pushed just now (`knownDatasets`).
    func remember(_ dataset: String) {
        if !knownDatasets.contains(dataset) { knownDatasets.append(dataset) }
    }

    /// The pushed datasets named, in the order named (`in wh.a, wh.b`), or all of them
    /// in push order (`in wh.*`); each must have been pushed with fingerprints
    /// comparable to `recipe` (same keyer versions, same case key).
    func scope(_ names: [Name]?, recipe: RecipeReference, prefix: Name) throws -> [PushedDataset] {
        let pushed = try datasets()
        let chosen: [PushedDataset]
        if let names {
            chosen = try names.map { name throws(Diagnostic) in try dataset(name, in: pushed) }
        } else {
            chosen = pushed
            if chosen.isEmpty {
                throw Diagnostic("warehouse '\(name)' holds no datasets yet", at: prefix.range,
                                 hint: "push one: push DS using FP to \(name)")
            }
        }
        for dataset in chosen {
            if dataset.header != recipe.header || dataset.keyID != recipe.keyID {
                let theirs = "\(dataset.header)\(dataset.keyID.map { ", keyed with \($0)" } ?? ", unkeyed")"
                let ours = "\(recipe.header)\(recipe.keyID.map { ", keyed with \($0)" } ?? ", unkeyed")"
                throw Diagnostic("'\(self.name).\(dataset.name)' was pushed with fingerprints made as \(theirs), "
                                 + "not as '\(recipe.name)' (\(ours)): they cannot be compared", at: recipe.range,
                                 hint: "push it again using \(recipe.name)")
            }
        }
        return chosen
    }

    /// The pushed dataset `name` names, or an error with the near miss.
    func dataset(_ name: Name, in pushed: [PushedDataset]) throws(Diagnostic) -> PushedDataset {
        guard let dataset = pushed.first(where: { $0.name == name.text }) else {
            throw Diagnostic("no dataset '\(name.text)' in warehouse '\(self.name)'", at: name.range,
                             hint: Suggestion.hint(for: name.text, in: pushed.map(\.name))
                                 ?? (pushed.isEmpty ? "nothing has been pushed to it yet" : nil))
        }
        return dataset
    }

    /// How a recipe's fingerprints were made, as a warehouse compares them.
    struct RecipeReference {
        var name: String
        var header: String
        var keyID: String?
        var range: SourceRange
    }
}
