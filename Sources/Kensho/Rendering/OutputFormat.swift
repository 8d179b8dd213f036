/// How results are written: `table` for people, the others for machines.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, jsonl, md

    /// Machine formats carry values as they are (DESIGN §6); `table` is what a person reads.
    public var isMachineFormat: Bool { self != .table && self != .md }
}
