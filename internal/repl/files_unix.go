//go:build unix

package repl

import (
	"io/fs"
	"os"
	"syscall"
)

// openNoWait opens name for reading without waiting for a writer, as
// opening a named pipe would: O_NONBLOCK changes nothing for a regular file.
func openNoWait(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// links is how many hard links a file has.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

// keepOwner gives the new file the old one's owner when fssim runs as root
// (anyone else cannot, and makes files of their own).
func keepOwner(tmp TempFile, st fs.FileInfo) error {
	f, ok := tmp.(*os.File)
	s, ok2 := st.Sys().(*syscall.Stat_t)
	if !ok || !ok2 || os.Geteuid() != 0 {
		return nil
	}
	return f.Chown(int(s.Uid), int(s.Gid))
}

// lockTemp marks a temporary file as held by a running write: the lock goes
// when the process does, kill -9 included.
func lockTemp(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// unlocked reports whether no running write holds the temporary file p.
func unlocked(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
