import AttuneCLI

// The `attune` of this repository: the command line with the built-in kinds and reporters only.
AttuneCLI.main()
