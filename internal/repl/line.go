package repl

import "strings"

// Split breaks a line into words: runs of non-blank characters, or text in
// single or double quotes. A '#' at the start of a word begins a comment that
// runs to the end of the line. A line of only blanks and a comment has no
// words.
func Split(line string) ([]string, error) {
	var words []string
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '#':
			return words, nil
		}
		var w strings.Builder
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			c := line[i]
			if c == '\'' || c == '"' {
				end := strings.IndexByte(line[i+1:], c)
				if end < 0 {
					return nil, errorf(ErrSyntax, "unterminated %c quote at column %d", c, i+1)
				}
				w.WriteString(line[i+1 : i+1+end])
				i += end + 2
				continue
			}
			w.WriteByte(c)
			i++
		}
		words = append(words, w.String())
	}
	return words, nil
}
