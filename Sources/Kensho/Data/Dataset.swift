/// A named table in the session's catalog, and where it came from.
public struct Dataset: Sendable {
    public var name: String
    public var table: Table
    public var origin: Origin
    /// Rows the loader kept but flagged (wrong field count, text after a quote).
    public var loadIssues: [LoadIssue]
    /// Column roles with their evidence; `Field.role` mirrors the role of each.
    public private(set) var roles: [String: RoleAssignment] = [:]

    /// Sets (or with nil clears) a column's role, keeping the fields in step.
    public mutating func assign(_ assignment: RoleAssignment?, to column: String) {
        roles[column] = assignment
        for index in table.fields.indices where table.fields[index].name == column {
            table.fields[index].role = assignment?.role
        }
    }

    /// Infers roles from headers and values (loaded datasets) or takes them from the
    /// fields (derived datasets, whose fields carry their sources' roles).
    public mutating func assignRoles() {
        if sourceFile != nil {
            for (column, assignment) in RoleInference.infer(table) { assign(assignment, to: column) }
        } else {
            for field in table.fields {
                if let role = field.role { roles[field.name] = RoleAssignment(role: role, evidence: "from its source") }
            }
        }
    }

    public enum Origin: Sendable {
        case file(SourceFile)
        /// Bound with `NAME = PIPELINE`; the statement as typed.
        case derived(statement: String)
    }

    public init(name: String, table: Table, origin: Origin, loadIssues: [LoadIssue] = []) {
        self.name = name
        self.table = table
        self.origin = origin
        self.loadIssues = loadIssues
    }

    public var sourceFile: SourceFile? {
        if case .file(let file) = origin { return file }
        return nil
    }
}

/// An input file as loaded: the evidence record of what was read.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var sha256: String
    public var size: Int
    public var modified: Double
    /// `csv`, `tsv`, `json`, ...
    public var format: String
    /// A short account of how the file was read: delimiter, header, ...
    public var layout: String
    public var encoding: EncodingDecision
}

/// Which text encoding a file was read as, and how sure the loader was.
public struct EncodingDecision: Sendable, Hashable {
    public var name: String
    /// `auto` when detected, `given` when named in `with encoding=`, or how else the
    /// loader knows (`declared by the database`).
    public var how: String
    public var confidence: Double
    public var replacedBytes: Int = 0

    public var description: String {
        var text: String
        switch how {
        case "auto": text = "\(name) (auto, confidence \(String(format: "%.2f", confidence)))"
        case "given": text = "\(name) (given)"
        default: text = "\(name) (\(how))"
        }
        if replacedBytes > 0 { text += ", \(replacedBytes) undecodable bytes replaced" }
        return text
    }
}

/// A problem with one record that did not stop the load.
///
/// For a file, `line` and `byteOffset` say where the record starts. For a tree
/// manifest, `path` names the file or directory (as displayed), `line` is its row in
/// the manifest or 0 when it has none (skipped, or under an unreadable directory),
/// and `byteOffset` is unused (0). Skipped symbolic links and special files are notes;
/// everything else is a warning.
public struct LoadIssue: Sendable, Hashable {
    public var line: Int
    public var byteOffset: Int
    public var reason: String
    public var path: String? = nil
    public var severity: Diagnostic.Severity = .warning
}

import Foundation
