package cmd

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"sync"
)

// IOStreams are the command's input and outputs: results go to Out,
// progress and logs to ErrOut. Both outputs pass through a Redactor, so a
// password that reaches them by any path is masked.
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

// Redactor replaces secrets with *** in everything written through it. It
// is the last line of defence: code should never print a password at all.
type Redactor struct {
	mu      sync.RWMutex
	secrets [][]byte
}

// minSecretLen avoids masking every "a" for a one-letter password; such
// passwords still never get printed by our own code.
const minSecretLen = 3

// Add registers a secret, with its URL-encoded forms.
func (r *Redactor) Add(secret string) {
	if len(secret) < minSecretLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), (&url.URL{User: url.UserPassword("u", secret)}).User.String()[2:]} {
		if len(s) >= minSecretLen {
			r.secrets = append(r.secrets, []byte(s))
		}
	}
}

// Mask returns p with every secret replaced.
func (r *Redactor) Mask(p []byte) []byte {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.secrets {
		if bytes.Contains(p, s) {
			p = bytes.ReplaceAll(p, s, []byte("***"))
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
