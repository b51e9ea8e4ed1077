package repl

import "embed"

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
