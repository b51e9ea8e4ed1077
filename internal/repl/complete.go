package repl

import (
	"sort"
	"strings"
)

// Complete returns the completions of the word being typed at the end of
// text, from the verb table and the session's state: verbs, then argument
// values (loaded filters, mounted volumes, ...), flags and flag values. Each
// candidate is a whole word; the caller replaces the partial word with it.
func (s *Session) Complete(text string) (partial string, cands []string) {
	words := strings.Fields(text)
	if len(words) > 0 && !strings.HasSuffix(text, " ") && !strings.HasSuffix(text, "\t") {
		partial = words[len(words)-1]
		words = words[:len(words)-1]
	}
	return partial, matchPrefix(partial, s.candidates(words, partial))
}

func (s *Session) candidates(words []string, partial string) []string {
	if len(words) == 0 {
		var out []string
		for _, v := range verbs {
			w, _, _ := strings.Cut(v.Name, " ")
			out = append(out, w)
			out = append(out, v.Aliases...)
		}
		return out
	}
	first := strings.ToLower(words[0])
	if isGroupWord(first) && len(words) == 1 {
		return subNames(first)
	}
	v, rest, err := Lookup(words)
	if err != nil {
		return nil
	}
	if v.Name == "help" {
		// help VERB: the words after help complete as a verb would at the
		// start of a line, one word at a time.
		if len(rest) == 0 || (len(rest) == 1 && isGroupWord(strings.ToLower(rest[0]))) {
			return s.candidates(rest, partial)
		}
		return nil
	}
	// What the words after the verb are: positional args and flags with values.
	pos := 0
	used := map[string]bool{}
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			pos++
			continue
		}
		name, _, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
		f := v.flag(strings.ToLower(name))
		if f == nil {
			continue
		}
		used[f.Name] = true
		if !hasVal && (f.Arg != "" || len(f.Values) > 0) {
			if i == len(rest)-1 {
				return flagValues(s, f) // completing the flag's value
			}
			i++
		}
	}
	if strings.HasPrefix(partial, "-") {
		if name, _, ok := strings.Cut(partial, "="); ok {
			// --type=<TAB>: the flag's values, each written after the '='.
			f := v.flag(strings.ToLower(strings.TrimLeft(name, "-")))
			if f == nil {
				return nil
			}
			var out []string
			for _, val := range flagValues(s, f) {
				out = append(out, name+"="+val)
			}
			return out
		}
		return unusedFlags(v, used)
	}
	if pos < len(v.Args) {
		a := v.Args[pos]
		if len(a.Values) > 0 {
			return a.Values
		}
		if a.Complete != nil {
			return a.Complete(s)
		}
		return nil
	}
	// Every argument is given: what is left to type is flags.
	if partial == "" {
		return unusedFlags(v, used)
	}
	return nil
}

// unusedFlags lists the flags of v not given yet, with their dashes.
func unusedFlags(v *Verb, used map[string]bool) []string {
	var out []string
	for _, f := range v.Flags {
		if !used[f.Name] {
			out = append(out, "--"+f.Name)
		}
	}
	return out
}

func flagValues(s *Session, f *Flag) []string {
	if len(f.Values) > 0 {
		return f.Values
	}
	if f.Complete != nil {
		return f.Complete(s)
	}
	return nil
}

// matchPrefix keeps the candidates that start with prefix (ignoring case),
// sorted and without duplicates.
func matchPrefix(prefix string, cands []string) []string {
	seen := map[string]bool{}
	var out []string
	lp := strings.ToLower(prefix)
	for _, c := range cands {
		if seen[c] || !strings.HasPrefix(strings.ToLower(c), lp) {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
