import ArgumentParser
import Kensho

/// Options shared by every way of running statements.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "How results print: table, csv, tsv, json, jsonl, md.")
    var format: String?

    @Option(name: .long, help: "Journal the session to this file (default: a new file under sessions/).")
    var journal: String?

    @Flag(name: .customLong("no-journal"), help: "Do not journal this session.")
    var noJournal = false

    @Flag(name: .customLong("keep-going"), help: "Run every statement even after one fails.")
    var keepGoing = false

    func validate() throws {
        if let format, OutputFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("unknown format '\(format)'; formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if journal != nil, noJournal {
            throw ValidationError("--journal and --no-journal cannot be used together")
        }
    }

    var outputFormat: OutputFormat? { format.flatMap { OutputFormat(rawValue: $0.lowercased()) } }
}
