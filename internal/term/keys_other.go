//go:build !js && !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package term

import "errors"

// isTerminal says no where fssim does not set a terminal's mode itself: a
// pause there reads a line (NewKeys returns nil).
func isTerminal(int) bool { return false }

func rawMode(int) (func(), error) { return nil, errors.ErrUnsupported }
