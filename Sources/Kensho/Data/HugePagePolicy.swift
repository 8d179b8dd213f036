import Foundation

/// Whether big buffers (`LargeAllocation`) ask the kernel for 2 MiB pages.
///
/// On a machine of its own they should: a huge page is one fault where 4 KiB pages are
/// 512. Under a hypervisor that takes free memory back they should not. A virtio memory
/// balloon with free page reporting (its feature bit 5) hands each free 2 MiB block to
/// the host about two seconds after it is freed, and the guest's next touch of such a
/// block costs a host fault for every 4 KiB inside it — and a huge page is made of
/// exactly those blocks. Measured on a 2-core VM with reporting, first touch of 260 MB:
/// 350–900 ms with huge pages against 66–180 ms with 4 KiB pages; huge pages won
/// (15–25 ms) only on memory another process had freed less than two seconds before.
/// A 157 MB CSV load took 0.50–0.72 s with huge pages and 0.27–0.43 s without, after a
/// few idle seconds. `KENSHO_HUGE_PAGES=1` or `=0` decides instead (for measuring).
enum HugePagePolicy {
    /// Decided once per process, on the first large allocation.
    static let asksForHugePages: Bool = decide(
        override: ProcessInfo.processInfo.environment["KENSHO_HUGE_PAGES"],
        balloonFeatures: balloonFeatureBits())

    /// virtio-balloon's free page reporting feature (VIRTIO_BALLOON_F_REPORTING).
    static let reportingFeatureBit = 5

    /// The decision from an override ("1"/"0") and the feature bit strings of the
    /// machine's memory balloons (as sysfs shows them: one character per bit, bit 0 first).
    static func decide(override: String?, balloonFeatures: [String]) -> Bool {
        switch override {
        case "1": return true
        case "0": return false
        default: break
        }
        let reports = balloonFeatures.contains { bits in
            let characters = Array(bits.utf8)
            return characters.count > reportingFeatureBit && characters[reportingFeatureBit] == UInt8(ascii: "1")
        }
        return !reports
    }

    /// The feature bits of each virtio memory balloon device, from sysfs; none on a
    /// machine without one (or not Linux).
    private static func balloonFeatureBits() -> [String] {
        let driver = "/sys/bus/virtio/drivers/virtio_balloon"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: driver) else { return [] }
        return entries.filter { $0.hasPrefix("virtio") }.compactMap { device in
            try? String(contentsOfFile: "\(driver)/\(device)/features", encoding: .utf8)
        }
    }
}
