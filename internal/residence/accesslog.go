package residence

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Access-log batching.
//
// Every read of personal data is recorded as a personal_data.read event
// (DESIGN.md §6). Written synchronously, each lookup would be a read plus a
// single-row write transaction (and, on PostgreSQL, a turn on the event
// lock), so the write would dominate the read. BatchAccessLog moves those
// records into an in-process buffer that one goroutine writes every interval
// (or as soon as maxBatch records are waiting) in one transaction with one
// multi-row insert.
//
// What a crash can lose: a read is answered before its record is committed,
// so a kill -9 (or power loss) loses the records of the reads answered since
// the last successful flush began — at most one interval (100 ms in serve)
// of reads, and never more than the buffer's capacity (16 × maxBatch). While
// the database refuses writes, records stay buffered and are retried; once
// the buffer is full, reads write their records themselves and fail when
// that fails, so no read goes unrecorded except by a crash inside that
// window. A graceful stop (SIGTERM, the stop function) flushes everything.
// Records keep the time of the read (Event.At), so their IDs may be a flush
// later than events written in between.

// accessLog is the buffer behind BatchAccessLog.
type accessLog struct {
	store    Store
	maxBatch int
	capacity int

	mu  sync.Mutex
	buf []Event

	flushMu sync.Mutex // one flush at a time, so records are written in order
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// BatchAccessLog makes the service buffer its access-log records and write
// them every interval, or when maxBatch are waiting, in one transaction (see
// the comment above for what a crash can lose). Until it is called records
// are written synchronously, one transaction per read, which tests rely on.
// The returned stop function stops the flusher and writes what is buffered;
// call it before closing the store. BatchAccessLog is not safe to call
// concurrently with reads, nor twice.
func (s *Service) BatchAccessLog(interval time.Duration, maxBatch int) (stop func(context.Context) error) {
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	if maxBatch <= 0 {
		maxBatch = 500
	}
	a := &accessLog{store: s.store, maxBatch: maxBatch, capacity: 16 * maxBatch,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	s.access = a
	go a.run(s, interval)
	var once sync.Once
	return func(ctx context.Context) error {
		once.Do(func() { close(a.stop) })
		select {
		case <-a.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		return a.flush(ctx)
	}
}

// FlushAccessLog writes the buffered access-log records now. It does nothing
// when the log is synchronous.
func (s *Service) FlushAccessLog(ctx context.Context) error {
	if s.access == nil {
		return nil
	}
	return s.access.flush(ctx)
}

func (a *accessLog) run(s *Service, interval time.Duration) {
	defer close(a.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
		case <-a.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := a.flush(ctx); err != nil {
			s.log.Warn("access log flush failed; records kept for the next attempt", "error", err.Error())
		}
		cancel()
	}
}

// add buffers evs. When the buffer is at capacity (the database has been
// refusing writes, or cannot keep up) the caller writes the buffer itself and
// gets the error if that fails: back-pressure instead of unbounded memory or
// unrecorded reads.
func (a *accessLog) add(ctx context.Context, evs []Event) error {
	a.mu.Lock()
	a.buf = append(a.buf, evs...)
	n := len(a.buf)
	a.mu.Unlock()
	if n >= a.capacity {
		return a.flush(ctx)
	}
	if n >= a.maxBatch {
		select {
		case a.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// flush writes the buffered records in one transaction, sealed into the
// audit chain as they are inserted (AppendSealedEvents, multi-row
// statements): each record is written once, not inserted and then updated
// by the sealer. On failure the records go back to the front of the buffer.
func (a *accessLog) flush(ctx context.Context) error {
	a.flushMu.Lock()
	defer a.flushMu.Unlock()
	a.mu.Lock()
	evs := a.buf
	a.buf = nil
	a.mu.Unlock()
	if len(evs) == 0 {
		return nil
	}
	err := a.store.InTx(ctx, func(tx Tx) error { return tx.AppendSealedEvents(ctx, evs...) })
	if err != nil {
		a.mu.Lock()
		a.buf = append(evs, a.buf...)
		a.mu.Unlock()
		return errors.Join(errors.New("residence: write access log"), err)
	}
	return nil
}
