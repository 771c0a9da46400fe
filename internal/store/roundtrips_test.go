package store_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tirkeu/internal/residence"
	"tirkeu/internal/residence/residencetest"
	"tirkeu/internal/store"
	"tirkeu/internal/store/storetest"
)

// countingConn counts round trips on one connection: a read that returns
// data after the client wrote something is the answer to that write.
type countingConn struct {
	net.Conn
	c *roundTrips
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.c.wrote()
	}
	return n, err
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.c.read()
	}
	return n, err
}

// roundTrips counts the round trips of every connection of a pool, and
// (as a pgx tracer) the statements sent, in order, for the failure message.
type roundTrips struct {
	mu      sync.Mutex
	on      bool
	written bool
	n       int
	sql     []string
}

func (r *roundTrips) wrote() {
	r.mu.Lock()
	r.written = true
	r.mu.Unlock()
}

func (r *roundTrips) read() {
	r.mu.Lock()
	if r.written && r.on {
		r.n++
		r.sql = append(r.sql, fmt.Sprintf("— round trip %d —", r.n))
	}
	r.written = false
	r.mu.Unlock()
}

// start counts from zero.
func (r *roundTrips) start() {
	r.mu.Lock()
	r.on, r.n, r.sql = true, 0, nil
	r.mu.Unlock()
}

// stop returns the round trips and statements since start.
func (r *roundTrips) stop() (int, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.n, r.sql
}

func (r *roundTrips) statement(sql string) {
	r.mu.Lock()
	if r.on {
		sql = strings.Join(strings.Fields(sql), " ")
		if len(sql) > 90 {
			sql = sql[:90] + "…"
		}
		r.sql = append(r.sql, sql)
	}
	r.mu.Unlock()
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.statement(d.SQL)
	return ctx
}

func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	for _, q := range d.Batch.QueuedQueries {
		r.statement("batch: " + q.SQL)
	}
	return ctx
}

func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// openCounted opens a migrated PostgreSQL store of one connection (its
// statement cache stays warm, and a connection wrongly returned to the pool
// in a transaction would be the next transaction's) whose round trips rt
// counts.
func openCounted(t *testing.T) (*store.Postgres, *roundTrips) {
	t.Helper()
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off")
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	rt := &roundTrips{}
	ctx := t.Context()
	st, err := store.OpenPostgres(ctx, u.String(), nil, store.WithPoolConfigForTest(func(c *pgxpool.Config) {
		dial := c.ConnConfig.DialFunc
		c.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: conn, c: rt}, nil
		}
		c.ConnConfig.Tracer = rt
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st, rt
}

// TestSubmitRoundTrips counts, on a wrapped network connection, the round
// trips to PostgreSQL of one submission of the bench's submit scenario —
// anonymous, EDS-signed, temporary, a sole owner at the flat they own —
// after a first submission has warmed the connection's statement cache.
// It fails when a change adds a round trip to the hot path (or, once one
// is saved, when the count is not lowered here).
func TestSubmitRoundTrips(t *testing.T) {
	st, rt := openCounted(t)
	ctx := t.Context()

	owners := []string{validIIN(t, "8501013001"), validIIN(t, "8501013002"), validIIN(t, "8501013003")}
	err := st.InTx(ctx, func(tx residence.Tx) error {
		var ps []residence.Person
		var prem []residence.Premises
		var own []residence.Ownership
		for i, who := range owners {
			ps = append(ps, residence.Person{IIN: who, LastName: "Сәрсенов", FirstName: "Ерлан", BirthDate: date(1985, 1, 1),
				Citizenship: "KZ", Capacity: residence.CapacityFull, Phone: fmt.Sprintf("7701000000%d", i)})
			rka := fmt.Sprintf("RKA-RT-%d", i)
			prem = append(prem, residence.Premises{RKA: rka, Region: "Астана", Locality: "Астана", Street: "Абай",
				Building: fmt.Sprint(i + 1), Kind: residence.PremisesApartment})
			own = append(own, residence.Ownership{RKA: rka, OwnerIIN: who, Share: 1})
		}
		// The first and third owners have a second flat, to move their
		// temporary registration to.
		prem = append(prem, residence.Premises{RKA: "RKA-RT-9", Region: "Астана", Locality: "Астана", Street: "Абай",
			Building: "9", Kind: residence.PremisesApartment})
		own = append(own, residence.Ownership{RKA: "RKA-RT-9", OwnerIIN: owners[2], Share: 1})
		prem = append(prem, residence.Premises{RKA: "RKA-RT-8", Region: "Астана", Locality: "Астана", Street: "Абай",
			Building: "8", Kind: residence.PremisesApartment})
		own = append(own, residence.Ownership{RKA: "RKA-RT-8", OwnerIIN: owners[0], Share: 1})
		return upsertOwned(ctx, tx, ps, prem, own)
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := residencetest.NewFakeClock(time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC))
	svc := residence.NewService(st, clock, residence.DefaultConfig(), sigVerifier{clock: clock}, nil)
	submit := func(i int, rka string) (int, []string) {
		t.Helper()
		who := owners[i]
		today := residence.DateOf(clock.Now())
		in := residence.SubmitInput{Kind: residence.Temporary, ApplicantIIN: who, RKA: rka,
			StayFrom: today, StayUntil: today.AddDate(0, 3, 0), EDS: &residence.EDS{CMS: []byte(who + " signs for " + rka), Content: []byte("application")}}
		rt.start()
		v, created, err := svc.SubmitView(ctx, residence.Actor{}, in)
		n, sql := rt.stop()
		if err != nil || !created || v.Application.Status != residence.StatusRegistered {
			t.Fatalf("submit %d: %+v created %v: %v", i, v.Application.Status, created, err)
		}
		return n, sql
	}
	submit(0, "RKA-RT-0") // warms the statement cache
	submit(0, "RKA-RT-8") // and that of ending a registration
	const want = 2
	var check2 func(how string, n, want int, sql []string)
	check := func(how string, n int, sql []string) {
		t.Helper()
		check2(how, n, want, sql)
	}
	check2 = func(how string, n, want int, sql []string) {
		t.Helper()
		if n != want {
			t.Errorf("%s: a submission took %d round trips to PostgreSQL, want %d:\n%s", how, n, want, strings.Join(sql, "\n"))
		} else {
			t.Logf("%s: %d round trips:\n%s", how, n, strings.Join(sql, "\n"))
		}
	}
	n, sql := submit(1, "RKA-RT-1")
	check("plain", n, sql)
	// serve observes every transaction (its metrics): the wrapper must not
	// hide the store's fast paths.
	svc.Observe(nopObserver{})
	n, sql = submit(2, "RKA-RT-2")
	check("observed, as in serve", n, sql)
	// A registration that replaces one ends it with a write that must find
	// its row, which the client judges before it sends COMMIT: one round
	// trip more.
	n, sql = submit(2, "RKA-RT-9")
	check2("replacing a temporary registration", n, want+1, sql)
}

type nopObserver struct{}

func (nopObserver) Committed(residence.Commit) {}
