// swift-tools-version:6.1
import PackageDescription

// A site's own `attune`: Attune's command line with one more detector kind (worsening_run) and one
// more report format (tally), built from this package (docs/plugins.md, "The Swift route"). It is
// called clinic-attune so that, built on the repository's scratch path as CI builds it, it never
// replaces the repository's `attune`.
//
//   swift build --package-path Examples/plugins/swift-package
//   $(swift build --package-path Examples/plugins/swift-package --show-bin-path)/clinic-attune lint pack
//
// A site's copy would point at a release of Attune instead of this repository's folder:
//   .package(url: "https://example.org/attune.git", from: "0.1.0")
let package = Package(
    name: "clinic-attune",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clinic-attune", targets: ["SiteAttune"])
    ],
    dependencies: [
        .package(name: "Attune", path: "../../..")
    ],
    targets: [
        // The site's kinds and reporters, in a library of their own so that tests can import them.
        .target(
            name: "ClinicKinds",
            dependencies: [
                .product(name: "AttuneCore", package: "Attune"),
                .product(name: "AttuneReporters", package: "Attune"),
            ]
        ),
        // The site's `attune`: one line, AttuneCLI.main with the site's kinds and reporters.
        .executableTarget(
            name: "SiteAttune",
            dependencies: ["ClinicKinds", .product(name: "AttuneCLI", package: "Attune")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
