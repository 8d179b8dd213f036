// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for kensho's input-facing code. Build and run them with
// `./run.sh` (see README.md): `swift build -c release --sanitize=fuzzer` plus
// `-Xswiftc -enable-testing`, so the harnesses can `@testable import` the engine's
// internal scanners and decoders instead of widening its public API.
//
// A harness has no main.swift: libFuzzer's runtime provides `main` and calls the
// `LLVMFuzzerTestOneInput` function each harness defines, which is why each target is
// compiled with `-parse-as-library`. That flag is unsafe to SwiftPM, so this has to be
// its own root package; it never takes part in the main package's build or tests.
let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "kensho-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, because a local package's identity is its directory's name.
        .package(name: "kensho", path: ".."),
    ],
    targets: [
        // Invariant checks and the table and diagnostic checks the loaders share.
        .target(name: "FuzzSupport", dependencies: [.product(name: "Kensho", package: "kensho")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"], swiftSettings: harness),
        .executableTarget(name: "FuzzEncoding", dependencies: ["FuzzSupport"], swiftSettings: harness),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport"], swiftSettings: harness),
        .executableTarget(name: "FuzzLanguage", dependencies: ["FuzzSupport"], swiftSettings: harness),
        .executableTarget(
            name: "FuzzKeyers",
            dependencies: ["FuzzSupport", .product(name: "KenshoKeyers", package: "kensho")],
            swiftSettings: harness
        ),
        .executableTarget(name: "FuzzJournal", dependencies: ["FuzzSupport"], swiftSettings: harness),
    ]
)
