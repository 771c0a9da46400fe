// Package residencetest holds what tests of the domain and of its adapters
// share: a clock that moves only when told to.
package residencetest

import (
	"sync"
	"time"

	"tirkeu/internal/residence"
)

// FakeClock is a residence.Clock for tests that only moves when told to. It
// is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

var _ residence.Clock = (*FakeClock)(nil)

// NewFakeClock returns a FakeClock standing at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
