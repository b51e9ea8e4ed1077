package repl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fssim/fssim/docs"
	"github.com/fssim/fssim/internal/render"
)

// ruleVerb is rule [N]: the model's rules, so that the numbers explain
// cites can be looked up at the prompt.
func (s *Session) ruleVerb(c *Call) error {
	rules := docs.Rules()
	th := s.Theme
	var b strings.Builder
	if len(c.Args) == 0 {
		fmt.Fprintf(&b, "%s\n", th.Bold("the rules of docs/model.md (rule N prints one, with its sources)"))
		for _, r := range rules {
			fmt.Fprintf(&b, "  %2d  %s\n", r.N, plainMarkdown(r.Title))
		}
		_, err := s.Out.Write([]byte(b.String()))
		return err
	}
	n, err := strconv.Atoi(c.Arg(0))
	if err != nil || n < 1 || n > len(rules) {
		return usageErr(c.Verb, fmt.Sprintf("no rule %q: the rules are numbered 1 to %d (rule lists them)", c.Arg(0), len(rules)))
	}
	r := rules[n-1]
	fmt.Fprintf(&b, "%s\n", th.Bold("rule "+strconv.Itoa(r.N)+". "+plainMarkdown(r.Title)))
	text := strings.TrimPrefix(r.Text, "**Rule "+strconv.Itoa(r.N)+". ")
	for i, para := range strings.Split(text, "\n\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(ruleParagraph(para) + "\n")
	}
	if len(r.Sources) > 0 {
		fmt.Fprintf(&b, "\n%s\n", th.Bold("sources:"))
		for _, src := range r.Sources {
			if w := docs.Where(src); w != "" {
				fmt.Fprintf(&b, "  %s\n    %s\n", plainMarkdown(src), w)
			} else {
				fmt.Fprintf(&b, "  %s\n", plainMarkdown(src))
			}
		}
	}
	_, err = s.Out.Write([]byte(b.String()))
	return err
}

// ruleParagraph is one paragraph of a rule for a terminal: prose wrapped at
// 78 columns without its Markdown emphasis; a table or a list as the page
// has it.
func ruleParagraph(p string) string {
	lines := strings.Split(p, "\n")
	if t := strings.TrimSpace(lines[0]); strings.HasPrefix(t, "|") || strings.HasPrefix(t, "- ") {
		return plainMarkdown(p)
	}
	return render.Fill(plainMarkdown(strings.Join(lines, " ")), 78)
}

// plainMarkdown drops the bold and italic marks of the page's Markdown;
// backquotes stay, as a reader of code expects them.
func plainMarkdown(s string) string {
	return strings.NewReplacer("**", "", "*Modelled.*", "Modelled.", "*Modelled*", "Modelled").Replace(s)
}
