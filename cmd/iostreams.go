package cmd

import (
	"bytes"
	"io"
	"os"
	"sync"

	"github.com/timetracker/timetracker/internal/redact"
)

// IOStreams are the command's input and outputs: results go to Out,
// progress and logs to ErrOut. Both outputs pass through a Redactor.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Redactor masks registered secrets in Out, ErrOut and the log file.
	Redactor *Redactor
}

// System returns the process's standard streams.
func System() *IOStreams {
	r := &Redactor{}
	return &IOStreams{In: os.Stdin, Out: r.Wrap(os.Stdout), ErrOut: r.Wrap(os.Stderr), Redactor: r}
}

// Test returns streams writing into buffers, for tests.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	r := &Redactor{}
	return &IOStreams{In: &bytes.Buffer{}, Out: r.Wrap(out), ErrOut: r.Wrap(errOut), Redactor: r}, out, errOut
}

// Redactor removes secrets from everything written through it: by where
// they stand (a URL's password, password=..., "password": "..."; see
// package redact), and, for a registered password whose text is unlike
// ordinary words, wherever that text appears, raw or percent-encoded. A
// password such as "timetracker" or "postgres" is never masked by its text,
// so the program's name, table names and paths stay readable. It is the last
// line of defence: code should never print a password at all.
type Redactor struct {
	mu      sync.RWMutex
	secrets [][]byte
}

// Add registers a secret; only a distinctive one (redact.Distinctive) is
// masked by its text.
func (r *Redactor) Add(secret string) {
	if secret == "" || !redact.Distinctive(secret) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range redact.Forms(secret) {
		r.secrets = append(r.secrets, []byte(s))
	}
}

// Mask returns p with every secret replaced.
func (r *Redactor) Mask(p []byte) []byte {
	p = []byte(redact.String(string(p)))
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.secrets {
		if bytes.Contains(p, s) {
			p = bytes.ReplaceAll(p, s, []byte(redact.Mask))
		}
	}
	return p
}

// Wrap returns a writer that masks secrets before writing to w.
func (r *Redactor) Wrap(w io.Writer) io.Writer { return redactingWriter{r: r, w: w} }

type redactingWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactingWriter) Write(p []byte) (int, error) {
	if _, err := rw.w.Write(rw.r.Mask(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
