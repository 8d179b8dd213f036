/// Canonical composition of conjoining Hangul jamo, applied after Foundation's NFC.
///
/// Foundation on Linux leaves `1100 AC00 11A8` (ᄀ 가 ᆨ) as it is; Unicode's
/// NormalizationTest.txt requires `1100 AC01` (the syllable 가 takes the final ᆨ). Jamo
/// compose algorithmically (Unicode §3.12) and all have combining class 0, so pairing
/// adjacent L+V and LV+T after NFC is exact and needs no tables.
enum HangulComposition {
    static let syllableBase: UInt32 = 0xAC00
    static let leadingBase: UInt32 = 0x1100
    static let vowelBase: UInt32 = 0x1161
    static let trailingBase: UInt32 = 0x11A7
    static let vowelCount: UInt32 = 21
    static let trailingCount: UInt32 = 28
    static let syllableCount: UInt32 = 11172

    /// True when `scalars` hold a conjoining jamo, so composition may have work to do.
    static func mayApply(to scalars: [UInt32]) -> Bool {
        scalars.contains { $0 >= 0x1100 && $0 <= 0x11FF }
    }

    /// Composes L+V into LV and LV+T into LVT, in place.
    static func compose(_ scalars: inout [UInt32]) {
        var result: [UInt32] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if let last = result.last {
                if last >= leadingBase, last < leadingBase + 19, scalar >= vowelBase, scalar < vowelBase + vowelCount {
                    let lv = syllableBase + ((last - leadingBase) * vowelCount + (scalar - vowelBase)) * trailingCount
                    result[result.count - 1] = lv
                    continue
                }
                if last >= syllableBase, last < syllableBase + syllableCount,
                    (last - syllableBase) % trailingCount == 0,
                    scalar > trailingBase, scalar < trailingBase + trailingCount
                {
                    result[result.count - 1] = last + (scalar - trailingBase)
                    continue
                }
            }
            result.append(scalar)
        }
        scalars = result
    }
}
