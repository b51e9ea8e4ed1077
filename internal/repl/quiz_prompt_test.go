package repl

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// askScript is an Ask that answers from a list, then fails with err.
func askScript(answers []string, err error, asked *int) func(string) (string, error) {
	return func(prompt string) (string, error) {
		*asked++
		if len(answers) == 0 {
			return "", err
		}
		a := answers[0]
		answers = answers[1:]
		return a + "\n", nil
	}
}

// TestQuizAtThePrompt: an empty answer asks again, Ctrl-C or Ctrl-D skips
// the quiz with a line that says so, the verdict follows the explanation
// too, and the answer's echo is capped (issue 16 point 13).
func TestQuizAtThePrompt(t *testing.T) {
	t.Run("empty asks again", func(t *testing.T) {
		s, out := newTestSession()
		asked := 0
		s.Ask = askScript([]string{"", "   ", "quota spy ntfs"}, io.EOF, &asked)
		if err := s.Exec("quiz --seed 4"); err != nil {
			t.Fatal(err)
		}
		o := out.String()
		if asked != 3 || !strings.Contains(o, "your answer: quota spy ntfs\n") {
			t.Errorf("asked %d times:\n%s", asked, o)
		}
		verdict := "right: C: is quota spy ntfs, top first\n"
		if strings.Count(o, verdict) != 2 || !strings.HasSuffix(o, "\n"+verdict) || !strings.Contains(o, "why each device of C:") {
			t.Errorf("the verdict is not before and after the explanation:\n%s", o)
		}
	})
	for _, err := range []error{io.EOF, errors.New("Interrupt")} {
		t.Run("skipped by "+err.Error(), func(t *testing.T) {
			s, out := newTestSession()
			asked := 0
			s.Ask = askScript([]string{""}, err, &asked)
			if err := s.Exec("quiz --seed 4"); err != nil {
				t.Fatal(err)
			}
			o := out.String()
			if !strings.Contains(o, "quiz skipped: the lab stays built (quiz --seed 4 --answer shows the answer and why)\n") ||
				strings.Contains(o, "nobody to answer") || strings.Contains(o, "your answer") {
				t.Errorf("printed:\n%s", o)
			}
			if h, _ := s.History(); len(h) == 0 {
				t.Errorf("the quiz's lab is gone")
			}
		})
	}
	t.Run("echo capped", func(t *testing.T) {
		s, out := newTestSession()
		asked := 0
		s.Ask = askScript([]string{strings.Repeat("x", 5000)}, io.EOF, &asked)
		if err := s.Exec("quiz --seed 4"); err != nil {
			t.Fatal(err)
		}
		if o := out.String(); strings.Contains(o, strings.Repeat("x", maxEcho+1)) || !strings.Contains(o, "… [5000 bytes]") {
			t.Errorf("the echo is not capped:\n%.300s", o)
		}
	})
}

// TestQuizAcceptsTheFormat: the file system at the bottom may be named by
// its format.
func TestQuizAcceptsTheFormat(t *testing.T) {
	for _, tc := range []struct {
		answer string
		want   []string
		right  bool
	}{
		{"av fat", []string{"av", "fastfat"}, true},
		{"av FAT32", []string{"av", "fastfat"}, true},
		{"av fastfat", []string{"av", "fastfat"}, true},
		{"av", []string{"av", "fastfat"}, true},
		{"av ntfs", []string{"av", "fastfat"}, false},
		{"fat av", []string{"av", "fastfat"}, false},
		{"av udf", []string{"av", "udfs"}, true},
	} {
		if got := quizRight(tc.answer, tc.want); got != tc.right {
			t.Errorf("quizRight(%q, %q) = %v", tc.answer, tc.want, got)
		}
	}
}
