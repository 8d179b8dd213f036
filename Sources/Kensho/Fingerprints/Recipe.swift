import KenshoKeyers

/// A fingerprint recipe (`fingerprint person = name + birthdate + phone`): which fields,
/// each through which keyer, make the key that finds one person across systems.
///
/// A field names a role (so one recipe runs over datasets whose headers differ) or a
/// column. Without an explicit keyer a field uses its role's keyer (`name` → `name`,
/// `birthdate` → `date`, ...), and a column without a role uses `text`. The recipe's
/// header, the keyer versions in order (`name@1+date@1+phone@1`), is hashed into every
/// fingerprint and written beside exported ones, so two parties can tell whether their
/// fingerprints are comparable.
public struct Recipe: Sendable {
    public struct Part: Sendable {
        /// The role or column name as written in the recipe.
        public var field: String
        public var role: Role?
        public var keyer: any Keyer
    }

    public var name: String
    public var parts: [Part]

    public var header: String { parts.map { $0.keyer.id.description }.joined(separator: "+") }

    /// The recipe as written back: `name:name@1 + birthdate:date@1`.
    public var definition: String {
        parts.map { "\($0.field):\($0.keyer.id)" }.joined(separator: " + ")
    }

    init(name: String, parts: [Part]) {
        self.name = name
        self.parts = parts
    }

    /// Builds a recipe from its statement, checking every keyer.
    static func make(_ statement: RecipeStatement) throws(Diagnostic) -> Recipe {
        var parts: [Part] = []
        for field in statement.fields {
            let role = Role(rawValue: field.field.text.lowercased())
            let keyerName = field.keyer?.text ?? role?.defaultKeyer ?? "text"
            guard let keyer = KeyerRegistry.keyer(named: keyerName, version: field.version) else {
                let range = field.keyer?.range ?? field.field.range
                if field.version != nil, KeyerRegistry.keyer(named: keyerName) != nil {
                    throw Diagnostic("keyer '\(keyerName)' has no version \(field.version!)", at: range)
                }
                throw Diagnostic("unknown keyer '\(keyerName)'", at: range,
                                 hint: Suggestion.hint(for: keyerName, in: KeyerRegistry.names)
                                     ?? "keyers: " + KeyerRegistry.names.joined(separator: ", "))
            }
            parts.append(Part(field: field.field.text, role: role, keyer: keyer))
        }
        return Recipe(name: statement.name.text, parts: parts)
    }

    /// The columns of `table` this recipe reads, in part order: the column with the
    /// part's role, or the column of that name. A column named in the recipe without a
    /// keyer takes its role's keyer.
    func bind(to table: Table, datasetName: String, range: SourceRange) throws(Diagnostic) -> BoundRecipe {
        var columns: [Int] = []
        var keyers: [any Keyer] = []
        for part in parts {
            if let index = table.index(of: part.field), !table.fields[index].isProvenance,
               part.role == nil || table.fields[index].role == nil || table.fields[index].role == part.role {
                columns.append(index)
                keyers.append(part.keyer)
                continue
            }
            if let role = part.role, let index = table.fields.firstIndex(where: { $0.role == role && !$0.isProvenance }) {
                columns.append(index)
                keyers.append(part.keyer)
                continue
            }
            if let role = part.role {
                throw Diagnostic("'\(datasetName)' has no column with role '\(role.rawValue)' for fingerprint '\(name)'", at: range,
                                 hint: "give one the role: role \(datasetName).COLUMN = \(role.rawValue)  (see: roles \(datasetName))")
            }
            throw Diagnostic("'\(datasetName)' has no column '\(part.field)' for fingerprint '\(name)'", at: range,
                             hint: Suggestion.hint(for: part.field, in: table.fields.map(\.name)))
        }
        return BoundRecipe(recipe: self, columns: columns, keyers: keyers)
    }
}

/// A recipe bound to one table's columns.
struct BoundRecipe {
    let recipe: Recipe
    let columns: [Int]
    let keyers: [any Keyer]
}
