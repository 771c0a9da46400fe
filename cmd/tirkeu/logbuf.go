package main

import (
	"io"
	"sync"
	"time"
)

// logBufferLimit is how many bytes of log lines wait before they are
// written at once.
const logBufferLimit = 32 << 10

// logBuffer is serve's log writer: lines wait in memory and are written
// out every interval, as soon as logBufferLimit bytes wait, and on Close,
// so that a request's log line is not a write(2) of its own (at thousands
// of requests a second, write(2) calls were a fifth of the server's CPU in
// the profiles, the log's among them).
// A crash loses at most the lines of the last interval; the records that
// must survive one (the access log of personal data, the events) are in
// the database, not in the log.
type logBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
}

func newLogBuffer(w io.Writer, interval time.Duration) *logBuffer {
	b := &logBuffer{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps a copy of p (slog writes one whole line per call).
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBufferLimit {
		b.flushLocked()
	}
	return len(p), nil
}

// Flush writes what waits.
func (b *logBuffer) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

func (b *logBuffer) flushLocked() {
	if len(b.buf) == 0 {
		return
	}
	_, _ = b.w.Write(b.buf) // a log that cannot be written has nowhere to say so
	b.buf = b.buf[:0]
}

// Close stops the timer and writes what waits; later writes are kept until
// the next Flush.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	b.Flush()
	return nil
}
