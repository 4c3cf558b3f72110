package cmd

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// newLogger builds the program's logger: the startup format of TimeTracker's
// entrypoint ("[YYYY-mm-dd HH:MM:SS] message", local time of TZ) or JSON,
// on w and optionally appended to a log file. An unwritable log file is a
// warning, not a failure.
func newLogger(w io.Writer, format, level, file string, loc *time.Location, redactor *Redactor) (*slog.Logger, func()) {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(level))
	closeFn := func() {}
	var fileErr error
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fileErr = err
		} else {
			w = io.MultiWriter(w, redactor.Wrap(f))
			closeFn = func() { f.Close() }
		}
	}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl})
	} else {
		h = &lineHandler{w: w, level: lvl, loc: loc, mu: &sync.Mutex{}}
	}
	l := slog.New(h)
	if fileErr != nil {
		l.Warn("cannot write the log file; logging to stderr only", "file", file, "error", fileErr)
	}
	return l, closeFn
}

// lineHandler writes "[2006-01-02 15:04:05] message key=value ...".
type lineHandler struct {
	w     io.Writer
	level slog.Level
	loc   *time.Location
	attrs []slog.Attr
	group string
	mu    *sync.Mutex
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	t := r.Time
	if h.loc != nil {
		t = t.In(h.loc)
	}
	b.WriteString("[" + t.Format("2006-01-02 15:04:05") + "] ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString("ERROR: ")
	case r.Level >= slog.LevelWarn:
		b.WriteString("WARNING: ")
	}
	b.WriteString(r.Message)
	write := func(a slog.Attr) {
		a.Value = a.Value.Resolve()
		if a.Equal(slog.Attr{}) {
			return
		}
		key := a.Key
		if h.group != "" {
			key = h.group + "." + key
		}
		v := a.Value.String()
		if a.Value.Kind() == slog.KindDuration {
			v = a.Value.Duration().Round(time.Millisecond).String()
		}
		if strings.ContainsAny(v, " \t\"=") || v == "" {
			v = fmt.Sprintf("%q", v)
		}
		b.WriteString(" " + key + "=" + v)
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(func(a slog.Attr) bool { write(a); return true })
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *lineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr{}, h.attrs...), attrs...)
	return &c
}

func (h *lineHandler) WithGroup(name string) slog.Handler {
	c := *h
	if c.group != "" {
		name = c.group + "." + name
	}
	c.group = name
	return &c
}
