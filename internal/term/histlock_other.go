//go:build !unix && !js

package term

import "os"

// lockFile does nothing where flock does not exist: lines are still
// appended in one write each (O_APPEND), but two prompts that trim the
// file at the same moment may lose a line.
func lockFile(f *os.File) (unlock func(), err error) { return func() {}, nil }

// openNonBlocking opens path; without FIFOs there is nothing to wait for.
func openNonBlocking(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, flag, 0o600)
}
