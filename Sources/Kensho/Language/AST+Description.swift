/// A compact S-expression rendering of the syntax tree, for tests and for seeing how a
/// statement was understood: `(query (dataset m) (where (= (col x) "a")))`.
extension Statement {
    public var treeDescription: String {
        switch self {
        case .load(let load):
            var text = "(load \(quoted(load.path))"
            if let alias = load.alias { text += " as \(alias.text)" }
            for option in load.options { text += " (\(option.key.text) \(quoted(option.value)))" }
            return text + ")"
        case .bind(let name, let pipeline): return "(bind \(name.dotted) \(pipeline.treeDescription))"
        case .query(let pipeline): return "(query \(pipeline.treeDescription))"
        case .fingerprint(let recipe):
            let fields = recipe.fields.map { field in
                field.field.text + (field.keyer.map { ":" + $0.text } ?? "") + (field.version.map { "@\($0)" } ?? "")
            }
            return "(fingerprint \(recipe.name.text) \(fields.joined(separator: " ")))"
        case .role(let dataset, let column, let role): return "(role \(dataset.dotted) \(column.text) \(role.text))"
        case .export(let export):
            let subject: String
            switch export.subject {
            case .pipeline(let pipeline): subject = pipeline.treeDescription
            case .findings: subject = "findings"
            case .fingerprints(let dataset, let recipe): subject = "(fingerprints \(dataset.dotted) \(recipe.text))"
            case .notification(let origin, let recipe): subject = "(notification \(origin.dotted) \(recipe.text))"
            }
            var text = "(export \(subject) \(quoted(export.path))"
            if let format = export.format { text += " as \(format.text)" }
            if let masking = export.masking { text += " \(masking.text)" }
            return text + ")"
        case .set(let name, let value, _):
            switch value {
            case .word(let word): return "(set \(name.text) \(word))"
            case .string(let string): return "(set \(name.text) \(quoted(string)))"
            case .number(let number): return "(set \(name.text) \(number))"
            }
        case .attach(let kind, let url, let name): return "(attach \(kind.text) \(quoted(url)) \(name.text))"
        case .push(let source, let recipe, let warehouse, let options):
            let what: String
            switch source {
            case .dataset(let name): what = name.dotted
            case .file(let path, _): what = quoted(path)
            }
            return "(push \(what) \(recipe.text) \(warehouse.text)"
                + options.map { " (\($0.key.text) \(quoted($0.value)))" }.joined() + ")"
        case .describe(let name): return "(describe \(name.dotted))"
        case .history: return "(history)"
        case .help(let topic): return topic.map { "(help \(quoted($0)))" } ?? "(help)"
        case .untag(let label, let condition):
            return "(untag \(label.text)" + (condition.map { " " + $0.treeDescription } ?? "") + ")"
        case .note(let label, let text): return "(note \(label.text) \(quoted(text)))"
        case .save(let path): return "(save \(quoted(path)))"
        }
    }
}

extension Pipeline {
    public var treeDescription: String {
        ([source.treeDescription] + operators.map(\.kind.treeDescription)).joined(separator: " ")
    }
}

extension Source {
    public var treeDescription: String {
        switch self {
        case .dataset(let name): return "(dataset \(name.dotted))"
        case .union(let names, _): return "(union \(names.map(\.dotted).joined(separator: " ")))"
        case .datasets: return "(datasets)"
        case .findings: return "(findings)"
        case .rejects(let name, _): return "(rejects \(name.dotted))"
        case .roles(let name, _): return "(roles \(name.dotted))"
        case .occurrences(let recipe, let scope, _): return "(occurrences \(recipe.text)\(scope.treeDescription))"
        case .matrix(let recipe, let scope, _): return "(matrix \(recipe.text)\(scope.treeDescription))"
        case .diff(let a, let b, let recipe, _):
            return "(diff \(a.dotted) \(b.dotted)" + (recipe.map { " by \($0.text)" } ?? "") + ")"
        }
    }
}

extension DatasetScope {
    var treeDescription: String {
        switch self {
        case .all: return ""
        case .everything(let prefix): return " in " + (prefix.map { "\($0.text).*" } ?? "*")
        case .listed(let names): return " in " + names.map(\.dotted).joined(separator: ",")
        }
    }
}

extension OperatorKind {
    public var treeDescription: String {
        switch self {
        case .filter(let condition): return "(where \(condition.treeDescription))"
        case .select(let items):
            return "(select " + items.map { item in
                item.expression.treeDescription + (item.alias.map { " as \($0.text)" } ?? "")
            }.joined(separator: ", ") + ")"
        case .derive(let items):
            return "(derive " + items.map { "\($0.0.text) = \($0.1.treeDescription)" }.joined(separator: ", ") + ")"
        case .sort(let keys):
            return "(sort " + keys.map { $0.expression.treeDescription + ($0.descending ? " desc" : "") }.joined(separator: ", ") + ")"
        case .limit(let count): return "(limit \(count))"
        case .distinct(let columns): return "(distinct" + columns.map { " " + $0.dotted }.joined() + ")"
        case .count: return "(count)"
        case .countBy(let columns): return "(count-by " + columns.map(\.dotted).joined(separator: " ") + ")"
        case .join(let kind, let dataset, let keys):
            let keyText = keys.map { $0.left.dotted == $0.right.dotted ? $0.left.dotted : "\($0.left.dotted)=\($0.right.dotted)" }
            return "(\(kind.rawValue) \(dataset.dotted) on \(keyText.joined(separator: " ")))"
        case .fingerprint(let recipe, let alias):
            return "(fingerprint \(recipe.text)" + (alias.map { " as \($0.text)" } ?? "") + ")"
        case .tag(let label, let note): return "(tag \(label.text)" + (note.map { " " + quoted($0) } ?? "") + ")"
        }
    }
}

extension Expression {
    public var treeDescription: String {
        switch kind {
        case .literal(let literal):
            switch literal {
            case .null: return "null"
            case .boolean(let value): return value ? "true" : "false"
            case .integer(let value): return String(value)
            case .float(let value): return String(value)
            case .string(let value): return quoted(value)
            }
        case .column(let name): return "(col \(name.dotted))"
        case .unary(let op, let operand): return "(\(op.rawValue) \(operand.treeDescription))"
        case .binary(let op, let left, let right): return "(\(op.rawValue) \(left.treeDescription) \(right.treeDescription))"
        case .call(let name, let arguments):
            return "(\(name.text)" + arguments.map { " " + $0.treeDescription }.joined() + ")"
        case .inList(let operand, let items, let negated):
            return "(\(negated ? "not-in" : "in") \(operand.treeDescription)" + items.map { " " + $0.treeDescription }.joined() + ")"
        case .isNull(let operand, let negated):
            return "(\(negated ? "is-not-null" : "is-null") \(operand.treeDescription))"
        }
    }
}

private func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

import Foundation
