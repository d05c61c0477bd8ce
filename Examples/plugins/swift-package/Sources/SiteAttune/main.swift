import AttuneCLI
import ClinicKinds

// This site's `attune`: every command, with the built-in kinds and reporters and these.
AttuneCLI.main(kinds: [WorseningRunKind.self], reporters: [TallyReporter.self])
