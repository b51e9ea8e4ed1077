package term

import "golang.org/x/sys/unix"

// The requests that get and set a terminal's mode; the last sets it once
// output is written and throws away input not yet read.
const (
	ioctlGetTermios      = unix.TCGETS
	ioctlSetTermios      = unix.TCSETS
	ioctlSetTermiosFlush = unix.TCSETSF
)
