package engine

import (
	"sort"
	"strings"
)

// Suggest returns the candidate closest to w, if it is close enough to be a
// typo: within two edits (one for words of four letters or fewer), else
// the first candidate w begins, else one whose letters w holds in order with
// the same first and last letter ("windows7" for win7). It is the one
// did-you-mean of fssim: verbs, flags, names the user created, formats,
// profiles and lessons all ask it. Candidates are compared sorted, so the
// answer never depends on their order.
func Suggest(w string, cands []string) string {
	if w == "" {
		return ""
	}
	best, bestD := "", 3
	if len(w) <= 4 { // "myfs" is not a typo of cdfs
		bestD = 2
	}
	sorted := append([]string(nil), cands...)
	sort.Strings(sorted)
	// "windows7" and "winxp" for the profiles win7 and xp: the word
	// without its "windows" or "win" is a candidate without its own.
	if bare, ok := trimWin(w); ok {
		for _, c := range sorted {
			if b, _ := trimWin(c); b == bare && c != w {
				return c
			}
		}
	}
	for i, c := range sorted {
		if c == w || (i > 0 && c == sorted[i-1]) {
			continue
		}
		if d := editDistance(w, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range sorted {
		if len(w) >= 2 && strings.HasPrefix(c, w) && c != w {
			return c
		}
	}
	for _, c := range sorted {
		if len(c) >= 3 && c != w && c[0] == w[0] && c[len(c)-1] == w[len(w)-1] && subsequence(c, w) {
			return c
		}
	}
	return ""
}

// subsequence reports whether the bytes of a appear in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	// Optimal string alignment: insertions, deletions, substitutions and
	// transpositions of neighbours ("moutn" is one edit from "mount").
	rows := [3][]int{make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)}
	for j := range rows[1] {
		rows[1][j] = j
	}
	for i := 1; i <= len(a); i++ {
		pp, prev, cur := rows[0], rows[1], rows[2]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		rows[0], rows[1], rows[2] = prev, cur, pp
	}
	return rows[1][len(b)]
}

// orDidYouMean is the parenthesis a "not loaded" refusal ends with: the
// name closest to key among cands if there is one (a typo is likelier than
// a missing load), else otherwise.
func orDidYouMean(key string, cands []string, otherwise string) string {
	if s := Suggest(key, cands); s != "" {
		return "(did you mean " + s + "?)"
	}
	return otherwise
}

// miniNames lists the loaded minifilters' names, for did-you-mean.
func (e *Engine) miniNames() []string {
	if e.flt == nil {
		return nil
	}
	out := make([]string, 0, len(e.flt.minis))
	for k := range e.flt.minis {
		out = append(out, k)
	}
	return out // Suggest sorts
}

// FormatFamilies lists the first format of each built-in file system (ntfs,
// fat, exfat, ...): what a mistyped --format is compared with, so "fat33"
// is taken for fat, the family, rather than for fat32 by one letter.
func FormatFamilies() []string {
	out := make([]string, 0, len(knownFileSystems))
	for _, k := range knownFileSystems {
		out = append(out, k.formats[0])
	}
	return out
}

// trimWin cuts a leading "windows" or "win" (and a space or '-' after it)
// and reports whether there was one.
func trimWin(w string) (string, bool) {
	for _, p := range []string{"windows", "win"} {
		if rest, ok := strings.CutPrefix(w, p); ok && rest != "" {
			return strings.TrimLeft(rest, " -_"), true
		}
	}
	return w, false
}

// FileSystemFor names the built-in file system that recognizes format f
// (fastfat for fat or fat32), or "".
func FileSystemFor(f string) string {
	if k := knownForFormat(strings.ToLower(f)); k != nil {
		return k.key
	}
	return ""
}
