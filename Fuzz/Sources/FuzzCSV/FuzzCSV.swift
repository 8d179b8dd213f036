@testable import Kensho
import FuzzSupport

/// The CSV path. First the byte-level scanner against a reference reading, as one part
/// without a header and split in two with one, using the delimiter the sniffer picks;
/// then the whole loader as `load` runs it (encoding detection, delimiter and header
/// sniffing, type and role inference), which must give a consistent table or a
/// `Diagnostic` with its place.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let delimiter = CSVSniffer.sniffDelimiter(input, preferTab: false)
    ScannerCheck.run(input, delimiter: delimiter)
    load(input, path: "fuzz.csv")
    return 0
}

private func load(_ input: UnsafeBufferPointer<UInt8>, path: String) {
    let file = FileBytes(path: path, copying: UnsafeRawBufferPointer(input))
    let loader = CSVLoader(path: path, options: LoadOptions(), datasetName: "fuzz", isCancelled: { false })
    withExtendedLifetime(file) {
        do {
            LoadChecks.check(try loader.load(file), strictlyIncreasingLines: true)
        } catch {
            LoadChecks.checkFailure(error, path: path, count: input.count)
        }
    }
}
