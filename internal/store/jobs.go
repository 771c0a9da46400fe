package store

import (
	"encoding/json"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tirkeu/internal/residence"
)

// jobArgs carries a residence.Job into River: its kind is the job's kind and
// its JSON the job's args, verbatim, so that workers in internal/jobs decode
// their own argument types.
type jobArgs struct {
	kind string
	args json.RawMessage
}

// Kind returns the job kind.
func (a jobArgs) Kind() string { return a.kind }

// MarshalJSON returns the job's args unchanged ("{}" when empty).
func (a jobArgs) MarshalJSON() ([]byte, error) {
	if len(a.args) == 0 {
		return []byte("{}"), nil
	}
	return a.args, nil
}

// jobInsert maps a residence.Job to River's arguments and options. A job
// with a UniqueKey is unique by its kind and args among jobs not yet
// finished or discarded.
func jobInsert(j residence.Job) (jobArgs, *river.InsertOpts) {
	opts := &river.InsertOpts{MaxAttempts: j.MaxAttempts}
	if !j.RunAt.IsZero() {
		opts.ScheduledAt = j.RunAt.UTC()
	}
	if j.UniqueKey != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	return jobArgs{kind: j.Kind, args: j.Args}, opts
}

// Job time limits. Our jobs are short (an SMS to the centre, one
// transaction), so a job still "running" well past jobTimeout was being
// worked by a node that died (kill -9, power loss): River's rescuer puts it
// back to be retried after rescueStuckJobsAfter instead of River's default
// hour, so that a consent expiring or an SMS going out during a crash is
// late by about a minute, not an hour. Workers are idempotent, so a job
// whose effect committed before the crash is a no-op when it runs again.
const (
	jobTimeout           = 30 * time.Second
	rescueStuckJobsAfter = 45 * time.Second
)

// jobConfig is the configuration of a working River client: the default
// queue with up to ten workers. poll, when not zero, is the fetch poll
// interval (SQLite has no LISTEN/NOTIFY, so it polls).
func jobConfig(workers *river.Workers, schema string, logger *slog.Logger, poll time.Duration) *river.Config {
	cfg := &river.Config{
		Logger:               logger,
		Schema:               schema,
		Workers:              workers,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: rescueStuckJobsAfter,
	}
	if poll > 0 {
		cfg.FetchPollInterval = poll
		cfg.FetchCooldown = poll / 2
	}
	return cfg
}
