package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// TestOpsStats: the job counts see committed jobs by kind and state, and
// the pool reports its limit and its connections.
func TestOpsStats(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		type ops interface {
			PoolStats() store.PoolStats
			JobCounts(context.Context) ([]store.JobCount, error)
		}
		o, ok := s.(ops)
		if !ok {
			t.Fatalf("%T has no PoolStats and JobCounts", s)
		}
		mustTx(t, s, func(tx residence.Tx) error {
			for _, id := range []string{"a", "b"} {
				if err := tx.Enqueue(ctx(t), residence.Job{Kind: "storetest_ops", Args: json.RawMessage(`{"id":"` + id + `"}`), MaxAttempts: 1}); err != nil {
					return err
				}
			}
			return nil
		})
		counts, err := o.JobCounts(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, c := range counts {
			if c.Kind == "storetest_ops" && c.State == "available" {
				n += c.N
			}
		}
		if n != 2 {
			t.Errorf("JobCounts: %d available storetest_ops jobs, want 2 (%+v)", n, counts)
		}
		if p := o.PoolStats(); p.Max < 1 || p.Open < 0 || p.InUse > p.Open {
			t.Errorf("PoolStats = %+v", p)
		}
	})
}
