package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"tirkeu/internal/residence"
)

// querier is the little the shared SQL code needs from a connection, a pool
// or a transaction of either engine. SQL is written once with $1-style
// placeholders, which both PostgreSQL and SQLite accept.
type querier interface {
	exec(ctx context.Context, sql string, args ...any) (int64, error)
	query(ctx context.Context, sql string, args ...any) (rows, error)
}

// rows is a result set of either engine.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// errKind classifies a driver error for translation at the boundary.
type errKind int

const (
	errOther errKind = iota
	errUnique
	errForeignKey
	errCheck
	errRetry       // serialization failure or deadlock: the transaction may be retried
	errUnavailable // the database cannot be reached or is not accepting work now
)

// dialect holds the few places where the engines differ for the shared SQL
// code: how a timestamp or a date is passed as an argument, how a list of
// strings is passed, and how driver errors are classified.
type dialect struct {
	name string
	// ts returns the argument for a timestamp; nil for the zero time.
	ts func(time.Time) any
	// date returns the argument for a calendar date; nil for the zero time.
	date func(time.Time) any
	// list returns SQL that yields the strings of a JSON array parameter as
	// one text column, e.g. "SELECT value FROM json_each($1)".
	list func(param string) string
	// classify tells what kind of constraint an error broke, if any.
	classify func(error) errKind
	// constraint names the constraint an error broke, when the driver says.
	constraint func(error) string
	// sealHead reads the chain head in a writing transaction, holding it
	// until the transaction ends.
	sealHead string
	// eventIDs takes $1 new event IDs, in increasing order, for rows
	// inserted with insertEventID.
	eventIDs string
	// overriding follows the column list of an INSERT whose rows bring
	// their own event IDs.
	overriding string
	// forUpdate ends a SELECT that locks the rows it reads until the
	// transaction ends ("" where transactions are serialised anyway).
	forUpdate string
}

// errNoRows is the shared code's own "no rows" signal, translated into
// residence.ErrNotFound with context by the caller.
var errNoRows = errors.New("no rows")

// queryOne runs a query that returns at most one row and scans it. It
// returns errNoRows when there is none.
func queryOne(ctx context.Context, q querier, sql string, args []any, dest ...any) error {
	rs, err := q.query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	if !rs.Next() {
		if err := rs.Err(); err != nil {
			return err
		}
		return errNoRows
	}
	if err := rs.Scan(dest...); err != nil {
		return err
	}
	return rs.Err()
}

// queryAll runs a query and calls scan for every row.
func queryAll(ctx context.Context, q querier, sql string, args []any, scan func(rows) error) error {
	rs, err := q.query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// translate turns a driver error into a residence error with context. op is
// the lowercase operation ("insert registration"), ref names what a foreign
// key of the operation refers to ("person, premises or application").
func (d *dialect) translate(err error, op, ref string) error {
	if err == nil {
		return nil
	}
	var re *residence.Error
	if errors.As(err, &re) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if errors.Is(err, errNoRows) {
		return fmt.Errorf("store: %s: %w", op, residence.ErrNotFound)
	}
	switch d.classify(err) {
	case errUnique:
		e := residence.Errorf(residence.EConflict, "%s: the record already exists or conflicts with an active one", op)
		e.Err = err
		return fmt.Errorf("store: %w", e)
	case errForeignKey:
		if ref == "" {
			ref = "a referenced record"
		}
		if c := d.constraint(err); c != "" {
			ref += "; " + c
		}
		e := residence.Errorf(residence.EInvalid, "%s: unknown reference (%s)", op, ref)
		e.Err = err
		return fmt.Errorf("store: %w", e)
	case errCheck:
		e := residence.Errorf(residence.EInvalid, "%s: a value is out of its allowed range", op)
		e.Err = err
		return fmt.Errorf("store: %w", e)
	case errUnavailable:
		return fmt.Errorf("store: %s: %w", op, residence.Unavailable(err))
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// unavailable returns err as EUnavailable when it says that the database
// cannot be reached (refused or broken connection, server shutting down or
// starting up, a connection not acquired in time, SQLite busy beyond its
// timeout), and err unchanged otherwise. InTx and View apply it to what
// they return, so that errors raised outside translate (begin, enqueue, a
// connection lost mid-transaction) become a 503 with Retry-After instead
// of a 500. An error that already carries a residence code keeps it.
func (d *dialect) unavailable(err error) error {
	if err == nil {
		return nil
	}
	var re *residence.Error
	if errors.As(err, &re) || d.classify(err) != errUnavailable {
		return err
	}
	return fmt.Errorf("store: %w", residence.Unavailable(err))
}

// tsFormat is the SQLite text form of a timestamp: fixed width, so that the
// text order is the time order.
const tsFormat = "2006-01-02T15:04:05.000000Z"

// dateFormat is the text form of a calendar date.
const dateFormat = "2006-01-02"

// normTime is the precision both engines keep: microseconds, UTC.
func normTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// normDate is a calendar date as midnight UTC.
func normDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// timeCol scans a nullable timestamp or date column of either engine into a
// time.Time (zero for NULL): PostgreSQL hands over a time.Time, SQLite text.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", src)
	}
	return nil
}

// ScanDate scans a PostgreSQL date directly (pgtype.DateScanner), which
// pgx prefers to Scan: no time.Time is boxed into an interface per value.
func (c timeCol) ScanDate(v pgtype.Date) error {
	return c.scanPG(v.Time, v.InfinityModifier, v.Valid)
}

// ScanTimestamptz scans a PostgreSQL timestamptz directly
// (pgtype.TimestamptzScanner), as ScanDate.
func (c timeCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	return c.scanPG(v.Time, v.InfinityModifier, v.Valid)
}

func (c timeCol) scanPG(t time.Time, inf pgtype.InfinityModifier, valid bool) error {
	switch {
	case !valid:
		*c.t = time.Time{}
	case inf != pgtype.Finite:
		return fmt.Errorf("store: cannot scan an infinite time")
	default:
		*c.t = t.UTC()
	}
	return nil
}

func (c timeCol) parse(s string) error {
	layout := time.RFC3339Nano
	if len(s) == len(dateFormat) {
		layout = dateFormat
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return fmt.Errorf("store: parse time %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}

// textCol scans a nullable text column into a string ("" for NULL).
type textCol struct{ s *string }

// Scan implements sql.Scanner.
func (c textCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = v
	case []byte:
		*c.s = string(v)
	default:
		return fmt.Errorf("store: cannot scan %T into a string", src)
	}
	return nil
}

// jsonCol scans a nullable JSON column (jsonb or text) into raw bytes.
type jsonCol struct{ b *[]byte }

// Scan implements sql.Scanner.
func (c jsonCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.b = nil
	case string:
		*c.b = []byte(v)
	case []byte:
		*c.b = append([]byte(nil), v...)
	default:
		// pgx decodes jsonb for sql.Scanner into Go values; re-encode.
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("store: cannot scan %T into JSON: %w", src, err)
		}
		*c.b = b
	}
	return nil
}

var (
	_ sql.Scanner = timeCol{}
	_ sql.Scanner = textCol{}
	_ sql.Scanner = jsonCol{}
)

// nullText returns nil for "" so that optional references stay NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// stringsJSON returns a JSON array of ss, for the dialect's list().
func stringsJSON(ss []string) string {
	if ss == nil {
		ss = []string{}
	}
	b, _ := json.Marshal(ss)
	return string(b)
}
