package main

// runImport imports customers from a file.
func runImport(e *env, args []string) int {
	e.say(e.stderr, "usage.file")
	return exitUsage
}

// runExport exports customers to a file.
func runExport(e *env, args []string) int {
	return exitUsage
}
