package repl

// junitWrite is writeAtomic's wording for fssim test --junit. A CI job
// writes its report afresh on every run, so an old report is replaced; a
// symbolic link's target is written, as save writes it.
var junitWrite = writer{verb: "write the JUnit report", inFolder: "report.xml", again: func(p string, _ bool) string {
	return "fssim test --junit " + p
}}

// WriteJUnit writes fssim test's JUnit report as save writes a scenario: a
// temporary file in the same folder, synced and renamed over path, so a
// reader never sees half a report. Only a regular file or a new name is
// written: a folder, a device, a named pipe or a socket is refused, and the
// error says what it is.
func WriteJUnit(path string, data []byte) error {
	return writeAtomic(OSFiles{}, path, string(data), true, junitWrite)
}
