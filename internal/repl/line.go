package repl

import "strings"

// The command language's one lexer. A line holds verbs separated by ';' or
// a newline outside quotes (fssim -c's argument may hold several lines; a
// file's or the prompt's line holds none). A verb is words: runs of
// characters other than blanks (space, tab), where text in single or double
// quotes is taken as it is, blanks, ';' and newlines included. A '#' at the
// start of a word begins a comment that runs to the end of the line (for
// fssim -c, to the next newline). A verb may start with '!' (it must fail),
// optionally naming the kind of refusal it expects:
// "! [not-mounted] filter attach av Q:". Empty verbs are dropped.
//
// The lexer reads one verb at a time and reuses its word list, so what a
// line costs beyond the line itself is bounded by its longest verb, however
// many verbs it holds.

// lineVerb is one verb of a line as the runners see it.
type lineVerb struct {
	// words are the verb's words, without quotes; the slice is reused by
	// the lexer's next verb.
	words []string
	// text is the verb as written, without its '!' part and the blanks
	// around it: what the history records.
	text   string
	expect bool   // it must fail
	kind   string // the error kind it must fail with; "" for any
	// err is the verb's own syntax error (an unterminated quote): the verb
	// fails with it instead of running, and a '!' verb may expect it.
	err error
}

// lexer reads a line's verbs one at a time.
type lexer struct {
	line  string
	pos   int      // where the next verb starts
	n     int      // verbs read so far
	words []string // the last verb's words, reused
	buf   []byte   // a quoted word being put together, reused
	dry   bool     // read the verbs' prefixes only: keep no words
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// endsVerb reports whether line[i] ends a verb: a ';', a newline, or a
// "\r\n" (a -c argument written on Windows).
func endsVerb(line string, i int) bool {
	switch line[i] {
	case ';', '\n':
		return true
	case '\r':
		return i+1 < len(line) && line[i+1] == '\n'
	}
	return false
}

// next reads the next verb. ok is false at the end of the line. err is a
// '!' prefix that does not parse: the line is wrong, and there is no verb
// to run. An unterminated quote is the verb's own error (v.err); the quote
// runs to the end of the line, so that verb is the line's last.
func (l *lexer) next() (v lineVerb, ok bool, err error) {
	line := l.line
	i := l.pos
	// Skip blanks, empty verbs and comments to the verb's first character.
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		switch {
		case i == len(line):
			l.pos = i
			return v, false, nil
		case line[i] == '\r' && endsVerb(line, i):
			i += 2
			continue
		case endsVerb(line, i):
			i++
			continue
		case line[i] == '#':
			i = l.commentEnd(i)
			continue
		}
		break
	}
	l.n++
	start := i
	// The '!' prefix: '!' alone, or followed by a blank or '['.
	if line[i] == '!' && (i+1 == len(line) || isBlank(line[i+1]) || line[i+1] == '[' || endsVerb(line, i+1)) {
		v.expect = true
		i++
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i < len(line) && line[i] == '[' {
			end := i + 1
			for end < len(line) && line[end] != ']' && !endsVerb(line, end) {
				end++
			}
			if end == len(line) || line[end] != ']' {
				l.pos = len(line)
				return v, true, errorf(ErrSyntax, "unterminated '[' in %s: write ! [KIND] VERB", quoteWord(l.verbText(start)))
			}
			v.kind = strings.TrimSpace(line[i+1 : end])
			if kindErr(v.kind) == nil {
				l.pos = len(line)
				return v, true, errorf(ErrSyntax, "unknown error kind %s in '! [KIND]' (known: %s)", quoteWord(v.kind), strings.Join(ErrorKindNames(), ", "))
			}
			i = end + 1
			for i < len(line) && isBlank(line[i]) {
				i++
			}
		}
	}
	// The words, up to the end of the verb or a comment.
	textStart, textEnd := i, i
	l.words = l.words[:0]
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) || endsVerb(line, i) {
			break
		}
		if line[i] == '#' {
			i = l.commentEnd(i)
			break
		}
		wordStart, quoted := i, false
		for i < len(line) && !isBlank(line[i]) && !endsVerb(line, i) {
			c := line[i]
			if c != '\'' && c != '"' {
				if quoted && !l.dry {
					l.buf = append(l.buf, c)
				}
				i++
				continue
			}
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				l.pos = len(line)
				v.err = errorf(ErrSyntax, "unterminated %c quote at column %d", c, i-textStart+1)
				return v, true, nil
			}
			if !quoted && !l.dry {
				l.buf = append(l.buf[:0], line[wordStart:i]...)
			}
			if !l.dry {
				l.buf = append(l.buf, line[i+1:i+1+end]...)
			}
			i, quoted = i+end+2, true
		}
		switch {
		case l.dry:
		case quoted:
			l.words = append(l.words, string(l.buf))
		default:
			l.words = append(l.words, line[wordStart:i])
		}
		textEnd = i
	}
	l.pos = i
	v.words, v.text = l.words, line[textStart:textEnd]
	return v, true, nil
}

// rest counts the verbs after the last one read, keeping nothing.
func (l *lexer) rest() int {
	d := lexer{line: l.line, pos: l.pos, dry: true}
	n := 0
	for {
		if _, ok, err := d.next(); !ok || err != nil {
			return n
		}
		n++
	}
}

// commentEnd is where a comment that starts at i ends: at the newline that
// ends its line, or at the end.
func (l *lexer) commentEnd(i int) int {
	if n := strings.IndexByte(l.line[i:], '\n'); n >= 0 {
		if n > 0 && l.line[i+n-1] == '\r' {
			n--
		}
		return i + n
	}
	return len(l.line)
}

// verbText is the verb that starts at start as written, up to its end, for
// a message about its '!' prefix.
func (l *lexer) verbText(start int) string {
	line, i, quote := l.line, start, byte(0)
	for ; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case endsVerb(line, i), c == '#' && i > start && isBlank(line[i-1]):
			return strings.TrimRight(line[start:i], " \t")
		}
	}
	return strings.TrimRight(line[start:], " \t")
}

// checkLine finds a '!' prefix in line that does not parse, and the
// number (from 1) of its verb: a line with one runs none of its verbs. It
// reads the line as the runners do, and keeps nothing.
func checkLine(line string) (verb int, err error) {
	l := lexer{line: line, dry: true}
	for {
		_, ok, err := l.next()
		if err != nil {
			return l.n, err
		}
		if !ok {
			return 0, nil
		}
	}
}

// Split returns the words of a line that holds one verb, as the runners
// read them: a line of several verbs, a '!' prefix or an unterminated
// quote is a syntax error.
func Split(line string) ([]string, error) {
	l := lexer{line: line}
	v, ok, err := l.next()
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, nil
	case v.err != nil:
		return nil, v.err
	case v.expect:
		return nil, errorf(ErrSyntax, "Split reads one verb's words; %s starts with '!', which only a runner reads", quoteWord(line))
	}
	if _, more, _ := l.next(); more {
		return nil, errorf(ErrSyntax, "Split reads one verb's words, and %s holds more than one", quoteWord(line))
	}
	return v.words, nil
}
