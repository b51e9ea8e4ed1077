// Package docs holds fssim's model, docs/model.md, embedded so that the
// rule verb prints the rules that explain cites. It lives beside the page
// because go:embed cannot reach a parent folder.
package docs

import (
	_ "embed"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Model is docs/model.md as built into fssim.
//
//go:embed model.md
var Model string

// Rule is one numbered rule of the model: its title (the bold words after
// "Rule N."), its text as the page has it (Markdown), and the sources it
// cites, each a key of the Sources table with what follows it in the
// citation ("XP `iomgr/iosubs.c`").
type Rule struct {
	N       int
	Title   string
	Text    string
	Sources []string
}

// The patterns are compiled when rule first asks, not at start-up: every
// fssim run would pay for them, and few print a rule.
var ruleHead = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\*\*Rule (\d+)\. (.*?)\*\*`) })

// citation is a bracketed list of source keys: [KEY; KEY detail], not a
// Markdown link ([text](address)) nor a link's text.
var citation = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\[([A-Z][A-Z0-9]*(?:-[^\]]*)?(?: [^\]]*)?)\](?:[^(]|$)`)
})

// Rules are the model's rules in the page's order, numbered from 1.
func Rules() []Rule {
	var out []Rule
	var cur *Rule
	var body []string
	end := func() {
		if cur == nil {
			return
		}
		cur.Text = strings.TrimSpace(strings.Join(body, "\n"))
		cur.Sources = sources(cur.Text)
		out = append(out, *cur)
		cur, body = nil, nil
	}
	for _, line := range strings.Split(Model, "\n") {
		if m := ruleHead().FindStringSubmatch(line); m != nil {
			end()
			n, _ := strconv.Atoi(m[1])
			cur = &Rule{N: n, Title: strings.TrimSuffix(strings.TrimSpace(m[2]), ".")}
		} else if strings.HasPrefix(line, "## ") {
			end()
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	end()
	return out
}

// sources are the citations of a rule's text, in order, each once.
func sources(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range citation().FindAllStringSubmatch(strings.ReplaceAll(text, "\n", " "), -1) {
		for _, s := range strings.Split(m[1], ";") {
			s = strings.Join(strings.Fields(s), " ")
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// Where is the address the Sources table gives for a citation: the row of
// its key, or of its key's family (DDI-, IFS-, ARCH-) with the page put in
// the family's address; "" if the table has neither.
func Where(cite string) string {
	key, _, _ := strings.Cut(cite, " ")
	rows := sourceRows()
	if w, ok := rows[key]; ok {
		return w
	}
	fam, page, ok := strings.Cut(key, "-")
	if !ok {
		return ""
	}
	for k, w := range rows {
		if !strings.HasPrefix(k, fam+"-*") {
			continue
		}
		addr, _, _ := strings.Cut(w, ";")
		addr = strings.Trim(addr, "`")
		if i := strings.Index(addr, "<"); i >= 0 {
			return addr[:i] + page
		}
	}
	return ""
}

// sourceRows reads the Sources table: key to where, Markdown links and
// angle brackets taken off.
func sourceRows() map[string]string {
	rows := map[string]string{}
	_, table, _ := strings.Cut(Model, "\n## Sources\n")
	link := regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		key := strings.TrimSpace(cells[1])
		where := strings.TrimSpace(cells[3])
		where = link.ReplaceAllString(where, "$2")
		where = strings.NewReplacer("<https", "https", ">", "").Replace(where)
		if key != "key" {
			rows[key] = where
		}
	}
	return rows
}
