import AttuneCore
import Foundation

/// A digest of the record files a review read (each file's path and bytes, in the order given),
/// recorded in the ledger so that a review can be tied to its input without keeping the input.
///
/// ```swift
/// let digest = try InputDigest.of(paths: ["records/2026-W48.yaml"])   // "fnv1a64:9c0e…"
/// ```
public enum InputDigest {
    public static func of(paths: [String]) throws(LedgerError) -> String {
        var hash = StableHash()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for path in paths {
            hash.combine(path)
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw LedgerError(
                    path: path, reason: "cannot read for the input digest: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw LedgerError(
                        path: path, reason: "cannot read for the input digest: \(String(cString: strerror(errno)))")
                }
                buffer.withUnsafeBytes { hash.combine(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
            hash.combine(byte: 0x1E)
        }
        return "fnv1a64:" + hash.hex
    }
}
