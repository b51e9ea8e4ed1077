//go:build js && wasm

package main

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fssim/fssim/internal/repl"
)

// memFiles is repl.Files in the page's memory: save and export FILE write
// here, load and source read what was saved, and each file written whole
// (the rename that ends repl's safe write) goes to landed, which hands it
// to the browser as a download. The folder is flat: "." and "/" only.
type memFiles struct {
	files  map[string]string
	landed func(name, text string)
	n      int
}

func newMemFiles(landed func(name, text string)) *memFiles {
	return &memFiles{files: map[string]string{}, landed: landed}
}

type memInfo struct {
	name string
	size int
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return int64(i.size) }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

func clean(name string) string { return path.Clean(strings.TrimPrefix(name, "./")) }

func isDir(name string) bool { name = clean(name); return name == "." || name == "/" }

func (m *memFiles) Open(name string) (io.ReadCloser, error) {
	if t, ok := m.files[clean(name)]; ok {
		return io.NopCloser(strings.NewReader(t)), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m *memFiles) Stat(name string) (fs.FileInfo, error) {
	if t, ok := m.files[clean(name)]; ok {
		return memInfo{name: path.Base(name), size: len(t)}, nil
	}
	if isDir(name) {
		return memInfo{name: name, dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

func (m *memFiles) Lstat(name string) (fs.FileInfo, error) { return m.Stat(name) }

func (m *memFiles) Readlink(name string) (string, error) {
	return "", &fs.PathError{Op: "readlink", Path: name, Err: errors.New("no links in the browser")}
}

func (m *memFiles) CreateTemp(dir, pattern string) (repl.TempFile, error) {
	if !isDir(dir) {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: errors.New("the browser has one folder: give a plain file name")}
	}
	m.n++
	f := &memTemp{m: m, name: clean(path.Join(dir, strings.Replace(pattern, "*", strconv.Itoa(m.n), 1)))}
	m.files[f.name] = ""
	return f, nil
}

func (m *memFiles) Rename(oldpath, newpath string) error {
	text, ok := m.files[clean(oldpath)]
	if !ok {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: fs.ErrNotExist}
	}
	delete(m.files, clean(oldpath))
	m.files[clean(newpath)] = text
	m.landed(path.Base(newpath), text)
	return nil
}

func (m *memFiles) Remove(name string) error {
	if _, ok := m.files[clean(name)]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(m.files, clean(name))
	return nil
}

func (m *memFiles) RemoveStale(dir, prefix string) {
	var stale []string
	for name := range m.files {
		if strings.HasPrefix(path.Base(name), prefix) && strings.HasSuffix(name, ".tmp") {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		delete(m.files, name)
	}
}

func (m *memFiles) SyncDir(string) error { return nil }

// memTemp is a file being written; it becomes a file on Rename.
type memTemp struct {
	m    *memFiles
	name string
}

func (f *memTemp) Write(p []byte) (int, error) {
	f.m.files[f.name] += string(p)
	return len(p), nil
}
func (f *memTemp) Close() error            { return nil }
func (f *memTemp) Name() string            { return f.name }
func (f *memTemp) Sync() error             { return nil }
func (f *memTemp) Chmod(fs.FileMode) error { return nil }
