package repl

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed lessons/*.fss
var lessons embed.FS

// Lesson returns a built-in scenario by name ("tour").
func Lesson(name string) (string, bool) {
	b, err := lessons.ReadFile("lessons/" + name + ".fss")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// Lessons lists the built-in scenarios by name.
func Lessons() []string {
	var out []string
	entries, _ := fs.ReadDir(lessons, "lessons")
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".fss"))
	}
	sort.Strings(out)
	return out
}
