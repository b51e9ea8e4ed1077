//go:build unix && !js

package term

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive flock on f, waiting for it, and returns how
// to let it go. Every fssim prompt takes it before it writes the history
// file or replaces it.
func lockFile(f *os.File) (unlock func(), err error) {
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN) }, nil
}

// openNonBlocking opens path with O_NONBLOCK, which a regular file ignores
// and which keeps a FIFO from blocking the open.
func openNonBlocking(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, flag|unix.O_NONBLOCK, 0o600)
}
