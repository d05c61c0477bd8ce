import AttuneCore
import Foundation

/// Standard streams: diagnostics to standard error, and whether colour is welcome.
enum Terminal {
    static func standardError(_ text: String) {
        let shown = visible(text)
        FileHandle.standardError.write(Data((shown.hasSuffix("\n") ? shown : shown + "\n").utf8))
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(visible(text).utf8))
    }

    /// Line breaks are the caller's; anything else a terminal would act on (escape sequences,
    /// carriage returns, bidi overrides from file names and values) is shown escaped.
    static func visible(_ text: String) -> String {
        guard VisibleText.firstInvisible(in: text.replacingOccurrences(of: "\n", with: " ")) != nil else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { VisibleText.escaped(String($0)) }
            .joined(separator: "\n")
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static var wantsColour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }
}
