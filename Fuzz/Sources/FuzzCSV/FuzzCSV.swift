@testable import Kensho
import FuzzSupport

/// The CSV path: the byte-level scanner against a reference reading (as one part without
/// a header, and split in two with one), with the delimiter the sniffer picks; then the
/// whole loader as `load` runs it — encoding detection,
/// delimiter and header sniffing, type inference, role inference — which must give a
/// consistent table or a `Diagnostic` with its place.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let delimiter = CSVSniffer.sniffDelimiter(input, preferTab: false)
    ScannerCheck.run(input, delimiter: delimiter)
    load(input, path: "fuzz.csv", options: LoadOptions())
    return 0
}

private func load(_ input: UnsafeBufferPointer<UInt8>, path: String, options: LoadOptions) {
    let file = FileBytes(path: path, copying: UnsafeRawBufferPointer(input))
    let loader = CSVLoader(path: path, options: options, datasetName: "fuzz", isCancelled: { false })
    withExtendedLifetime(file) {
        do {
            LoadChecks.check(try loader.load(file), strictlyIncreasingLines: true)
        } catch {
            LoadChecks.checkFailure(error, path: path, count: input.count)
        }
    }
}
