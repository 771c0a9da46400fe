// Package registry imports the national registries (persons, organisations,
// the address register, ownership, state rental agreements and existing
// registrations) from the JSON Lines format of DESIGN.md §4.
//
// Import streams: it holds one line and a few bounded batches at a time,
// never the file. Each line is decoded and validated on its own (Decode,
// Validate) and its
// references are checked against the records of earlier lines and the store;
// a bad line is reported with its number and the good ones are kept. Every
// write is an upsert by the record's natural key, so importing the same file
// twice changes nothing.
package registry

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"tirkeu/internal/residence"
)

// MaxLineBytes is the longest line Import accepts; a longer one is a bad line.
const MaxLineBytes = 1 << 20

// DefaultBatchSize is the number of records of one type written per
// transaction when Options.BatchSize is zero. On PostgreSQL 10 000 imports
// 100 000 persons 1.7 times as fast as 2 000 (fewer commits and upserts),
// for about 30 MB more memory (docs/PERFORMANCE.md); more gains little.
const DefaultBatchSize = 10000

// Options tune Import. The zero value is usable.
type Options struct {
	// BatchSize is the number of records of one type written in one
	// transaction (DefaultBatchSize when zero or negative).
	BatchSize int
	// Report, when set, is called once for every bad line with its 1-based
	// number and the reason, in an order that is not necessarily the line
	// order (references are checked batch by batch).
	Report func(line int, reason string)
	// Progress, when set, is called now and then with the number of records
	// read so far, and once at the end.
	Progress func(read int64)
	// Transform, when set, is called with every decoded record before it is
	// validated; it may change the record in place. The demo registry uses
	// it to shift dates.
	Transform func(rec *Record)
	// Clock dates the end of the registrations of persons imported as
	// deceased (the system clock when nil).
	Clock residence.Clock
}

// Summary counts the records of an import. Read is the number of non-blank
// lines; Imported + Bad equals Read once Import returns without error.
type Summary struct {
	Read     int64 `json:"read"`
	Imported int64 `json:"imported"`
	Bad      int64 `json:"bad"`
}

// Import reads the registry records of r and writes them to st. It returns
// an error only when reading fails, ctx ends or the store fails for a reason
// other than the record (a conflict or an invalid value is a bad line);
// records of batches already written stay written.
//
// A record may refer only to records on earlier lines of r or already in
// the store: a reference to a record on a later line is a bad line.
func Import(ctx context.Context, st residence.Store, r io.Reader, opts Options) (Summary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	im := newImporter(st, opts)
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	line := 0
	for {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Gather a long line up to MaxLineBytes, then skip the rest.
			buf = append(buf[:0], b...)
			tooLong := false
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = br.ReadSlice('\n')
				if !tooLong && len(buf)+len(b) <= MaxLineBytes {
					buf = append(buf, b...)
				} else {
					tooLong = true
				}
			}
			if tooLong {
				line++
				im.sum.Read++
				im.bad(line, fmt.Sprintf("line longer than %d bytes", MaxLineBytes))
				if err == io.EOF {
					break
				}
				if err != nil {
					return im.sum, fmt.Errorf("registry: read: %w", err)
				}
				continue
			}
			b = buf
		}
		if err != nil && err != io.EOF {
			return im.sum, fmt.Errorf("registry: read: %w", err)
		}
		if len(b) > 0 {
			line++
			if err := im.line(ctx, line, b); err != nil {
				return im.sum, err
			}
		}
		if err == io.EOF {
			break
		}
	}
	if err := im.flush(ctx); err != nil {
		return im.sum, err
	}
	if opts.Progress != nil {
		opts.Progress(im.sum.Read)
	}
	return im.sum, nil
}

type importer struct {
	st   residence.Store
	opts Options
	sum  Summary

	persons       *batch[residence.Person]
	organisations *batch[residence.Organisation]
	premises      *batch[residence.Premises]
	relations     *batch[residence.Relation]
	ownerships    *batch[residence.Ownership]
	rentals       *batch[residence.RentalAgreement]
	registrations *batch[residence.Registration]
}

func newImporter(st residence.Store, opts Options) *importer {
	n := opts.BatchSize
	return &importer{
		st: st, opts: opts,
		persons:       newBatch(n, func(p residence.Person) string { return p.IIN }),
		organisations: newBatch(n, func(o residence.Organisation) string { return o.BIN }),
		premises:      newBatch(n, func(p residence.Premises) string { return p.RKA }),
		relations: newBatch(n, func(r residence.Relation) string {
			return string(r.Kind) + "|" + r.From + "|" + r.To
		}),
		ownerships: newBatch(n, func(o residence.Ownership) string { return o.RKA + "|" + o.OwnerIIN + "|" + o.OwnerBIN }),
		rentals: newBatch(n, func(a residence.RentalAgreement) string {
			return a.RKA + "|" + a.TenantIIN + "|" + a.ValidFrom.Format(DateLayout)
		}),
		registrations: newBatch(n, func(g residence.Registration) string { return registrationKey(g) }),
	}
}

func registrationKey(g residence.Registration) string {
	return g.IIN + "|" + g.RKA + "|" + string(g.Kind) + "|" + g.Since.Format(DateLayout)
}

// registrationNamespace derives the IDs of imported registrations, so that
// the same registration imported twice has the same ID.
var registrationNamespace = uuid.MustParse("6f1c1c1e-8d55-4c1f-9a57-0c1d0e7a4b21")

func (im *importer) bad(line int, reason string) {
	im.sum.Bad++
	if im.opts.Report != nil {
		im.opts.Report(line, reason)
	}
}

// line handles one line: parse, validate, add to its batch, and flush the
// batches when one is full.
func (im *importer) line(ctx context.Context, n int, b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	im.sum.Read++
	if im.sum.Read%4096 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if im.opts.Progress != nil {
			im.opts.Progress(im.sum.Read)
		}
	}
	rec, err := Decode(b)
	if err == nil && im.opts.Transform != nil {
		im.opts.Transform(&rec)
	}
	if err == nil {
		err = Validate(rec)
	}
	if err != nil {
		prefix := ""
		if rec.Type != "" {
			prefix = rec.Type + ": "
		}
		im.bad(n, prefix+err.Error())
		return nil
	}
	if rec.Type == TypeRegistration {
		g := rec.Registration
		g.ID = uuid.NewSHA1(registrationNamespace, []byte(registrationKey(*g))).String()
	}
	return im.add(ctx, n, rec)
}

// add puts a valid record into its batch and flushes the batches when one is
// full.
func (im *importer) add(ctx context.Context, n int, rec Record) error {
	var full, dup bool
	switch rec.Type {
	case TypePerson:
		full, dup = im.persons.add(n, *rec.Person)
	case TypeOrganisation:
		full, dup = im.organisations.add(n, *rec.Organisation)
	case TypePremises:
		full, dup = im.premises.add(n, *rec.Premises)
	case TypeRelation:
		full, dup = im.relations.add(n, *rec.Relation)
	case TypeOwnership:
		full, dup = im.ownerships.add(n, *rec.Ownership)
	case TypeRental:
		full, dup = im.rentals.add(n, *rec.Rental)
	case TypeRegistration:
		full, dup = im.registrations.add(n, *rec.Registration)
	}
	if dup {
		// A second record with the same key waits for the first to be
		// written, so one upsert never holds a key twice.
		if err := im.flush(ctx); err != nil {
			return err
		}
		return im.add(ctx, n, rec)
	}
	if full {
		return im.flush(ctx)
	}
	return nil
}

// flush checks the references of every pending record and writes the good
// ones, referenced types first. The store is asked which referenced keys it
// holds before anything is written, so that a record never sees one from a
// later line: the pending records are all later than what the store holds.
func (im *importer) flush(ctx context.Context) error {
	needP, needO, needM := keySet{}, keySet{}, keySet{}
	wantP := func(k string, line int) {
		if !im.persons.earlier(k, line) {
			needP[k] = false
		}
	}
	wantM := func(k string, line int) {
		if !im.premises.earlier(k, line) {
			needM[k] = false
		}
	}
	for _, it := range im.organisations.items {
		for _, rep := range it.v.Representatives {
			wantP(rep, it.line)
		}
	}
	for _, it := range im.relations.items {
		wantP(it.v.From, it.line)
		wantP(it.v.To, it.line)
	}
	for _, it := range im.ownerships.items {
		wantM(it.v.RKA, it.line)
		if it.v.OwnerIIN != "" {
			wantP(it.v.OwnerIIN, it.line)
		} else if !im.organisations.earlier(it.v.OwnerBIN, it.line) {
			needO[it.v.OwnerBIN] = false
		}
	}
	for _, it := range im.rentals.items {
		wantM(it.v.RKA, it.line)
		wantP(it.v.TenantIIN, it.line)
		for _, m := range it.v.Members {
			wantP(m, it.line)
		}
	}
	for _, it := range im.registrations.items {
		wantP(it.v.IIN, it.line)
		wantM(it.v.RKA, it.line)
	}
	if len(needP)+len(needO)+len(needM) > 0 {
		err := im.st.View(ctx, func(r residence.Reader) error {
			return errors.Join(
				needP.fill(ctx, r.ExistingPersons),
				needO.fill(ctx, r.ExistingOrganisations),
				needM.fill(ctx, r.ExistingPremises))
		})
		if err != nil {
			return fmt.Errorf("registry: check references: %w", err)
		}
	}
	person := func(k string, line int) bool { return needP[k] || im.persons.earlier(k, line) }
	prem := func(k string, line int) bool { return needM[k] || im.premises.earlier(k, line) }
	org := func(k string, line int) bool { return needO[k] || im.organisations.earlier(k, line) }

	// Persons and premises refer to nothing.
	if err := write(ctx, im, im.persons, TypePerson, im.upsertPersons); err != nil {
		return err
	}
	if err := write(ctx, im, im.premises, TypePremises, residence.Tx.UpsertPremises); err != nil {
		return err
	}
	im.organisations.check(im, TypeOrganisation, func(o residence.Organisation, line int) string {
		for i, rep := range o.Representatives {
			if !person(rep, line) {
				return fmt.Sprintf("representatives[%d]: unknown person", i)
			}
		}
		return ""
	})
	if err := write(ctx, im, im.organisations, TypeOrganisation, residence.Tx.UpsertOrganisations); err != nil {
		return err
	}
	im.relations.check(im, TypeRelation, func(r residence.Relation, line int) string {
		switch {
		case !person(r.From, line):
			return "from: unknown person"
		case !person(r.To, line):
			return "to: unknown person"
		}
		return ""
	})
	im.ownerships.check(im, TypeOwnership, func(o residence.Ownership, line int) string {
		switch {
		case !prem(o.RKA, line):
			return "rka: unknown premises"
		case o.OwnerIIN != "" && !person(o.OwnerIIN, line):
			return "owner_iin: unknown person"
		case o.OwnerBIN != "" && !org(o.OwnerBIN, line):
			return "owner_bin: unknown organisation"
		}
		return ""
	})
	im.rentals.check(im, TypeRental, func(a residence.RentalAgreement, line int) string {
		if !prem(a.RKA, line) {
			return "rka: unknown premises"
		}
		if !person(a.TenantIIN, line) {
			return "tenant_iin: unknown person"
		}
		for i, m := range a.Members {
			if !person(m, line) {
				return fmt.Sprintf("members[%d]: unknown person", i)
			}
		}
		return ""
	})
	im.registrations.check(im, TypeRegistration, func(g residence.Registration, line int) string {
		switch {
		case !person(g.IIN, line):
			return "iin: unknown person"
		case !prem(g.RKA, line):
			return "rka: unknown premises"
		}
		return ""
	})
	for _, err := range []error{
		write(ctx, im, im.relations, TypeRelation, residence.Tx.UpsertRelations),
		write(ctx, im, im.ownerships, TypeOwnership, residence.Tx.UpsertOwnerships),
		write(ctx, im, im.rentals, TypeRental, residence.Tx.UpsertRentalAgreements),
		write(ctx, im, im.registrations, TypeRegistration, im.upsertRegistrations),
	} {
		if err != nil {
			return err
		}
	}
	for _, b := range []interface{ reset() }{im.persons, im.premises, im.organisations, im.relations,
		im.ownerships, im.rentals, im.registrations} {
		b.reset()
	}
	return nil
}

// upsertPersons writes a batch of persons and, in the same transaction,
// ends the registrations of those recorded as deceased (DESIGN.md §3:
// deregistration on death, an event from the civil registry), with events.
func (im *importer) upsertPersons(tx residence.Tx, ctx context.Context, ps []residence.Person) error {
	if err := tx.UpsertPersons(ctx, ps); err != nil {
		return err
	}
	var dead []string
	for _, p := range ps {
		if p.Deceased {
			dead = append(dead, p.IIN)
		}
	}
	_, err := residence.EndRegistrationsOfDeceased(ctx, tx, dead, im.now())
	return err
}

// upsertRegistrations writes a batch of registrations and ends, in the same
// transaction, those of persons recorded as deceased: a registry that still
// lists a dead person's registration does not make it active again.
func (im *importer) upsertRegistrations(tx residence.Tx, ctx context.Context, rs []residence.Registration) error {
	if err := tx.UpsertImportedRegistrations(ctx, rs); err != nil {
		return err
	}
	iins := make([]string, 0, len(rs))
	for _, r := range rs {
		if r.Status == "" || r.Status == residence.RegistrationActive {
			iins = append(iins, r.IIN)
		}
	}
	_, err := residence.EndRegistrationsOfDeceased(ctx, tx, iins, im.now())
	return err
}

func (im *importer) now() time.Time {
	if im.opts.Clock != nil {
		return im.opts.Clock.Now()
	}
	return time.Now()
}

// write upserts the good records of b in one transaction. When the store
// refuses the batch for a reason that lies in a record (a conflict, an
// invalid value), it retries record by record to name the bad lines.
func write[T any](ctx context.Context, im *importer, b *batch[T], typ string,
	upsert func(residence.Tx, context.Context, []T) error) error {
	good := make([]T, 0, len(b.items))
	for _, it := range b.items {
		if !it.bad {
			good = append(good, it.v)
		}
	}
	if len(good) == 0 {
		return nil
	}
	err := im.st.InTx(ctx, func(tx residence.Tx) error { return upsert(tx, ctx, good) })
	if err == nil {
		im.sum.Imported += int64(len(good))
		return nil
	}
	if !recordError(err) {
		return fmt.Errorf("registry: write %s batch: %w", typ, err)
	}
	for i := range b.items {
		it := &b.items[i]
		if it.bad {
			continue
		}
		err := im.st.InTx(ctx, func(tx residence.Tx) error { return upsert(tx, ctx, []T{it.v}) })
		switch {
		case err == nil:
			im.sum.Imported++
		case recordError(err):
			b.markBad(i)
			im.bad(it.line, typ+": "+refusal(typ, err))
		default:
			return fmt.Errorf("registry: write %s: %w", typ, err)
		}
	}
	return nil
}

// recordError reports whether the store refused a write because of the
// record itself rather than failing.
func recordError(err error) bool {
	switch residence.ErrorCode(err) {
	case residence.EConflict, residence.EInvalid, residence.ENotFound:
		return true
	}
	return false
}

// refusal is the reason reported for a record the store refused. It uses the
// error's safe text, never the driver's message, which may quote values.
func refusal(typ string, err error) string {
	if typ == TypeRegistration && residence.IsCode(err, residence.EConflict) {
		return "conflict: the person already has another active registration of this kind"
	}
	return residence.ErrorCode(err) + ": " + residence.ErrorText(err).EN
}

// keySet maps keys to whether the store holds them.
type keySet map[string]bool

const existingChunk = 500

func (s keySet) fill(ctx context.Context, existing func(context.Context, []string) (map[string]bool, error)) error {
	keys := make([]string, 0, min(len(s), existingChunk))
	query := func() error {
		m, err := existing(ctx, keys)
		if err != nil {
			return err
		}
		for k, ok := range m {
			if ok {
				if _, asked := s[k]; asked {
					s[k] = true
				}
			}
		}
		keys = keys[:0]
		return nil
	}
	for k := range s {
		keys = append(keys, k)
		if len(keys) == existingChunk {
			if err := query(); err != nil {
				return err
			}
		}
	}
	if len(keys) > 0 {
		return query()
	}
	return nil
}

// batch holds the pending records of one type, with their lines, and an
// index from key to position.
type batch[T any] struct {
	size  int
	key   func(T) string
	items []item[T]
	index map[string]int
}

type item[T any] struct {
	line int
	v    T
	bad  bool
}

func newBatch[T any](size int, key func(T) string) *batch[T] {
	return &batch[T]{size: size, key: key, items: make([]item[T], 0, size), index: make(map[string]int, size)}
}

// add appends v unless its key is already pending (dup). full reports that
// the batch reached its size.
func (b *batch[T]) add(line int, v T) (full, dup bool) {
	k := b.key(v)
	if _, ok := b.index[k]; ok {
		return false, true
	}
	b.index[k] = len(b.items)
	b.items = append(b.items, item[T]{line: line, v: v})
	return len(b.items) >= b.size, false
}

// earlier reports whether a good pending record with key k comes from a line
// before line.
func (b *batch[T]) earlier(k string, line int) bool {
	i, ok := b.index[k]
	return ok && b.items[i].line < line
}

// check marks the pending records for which reason returns a non-empty
// string as bad and reports them.
func (b *batch[T]) check(im *importer, typ string, reason func(v T, line int) string) {
	for i := range b.items {
		it := &b.items[i]
		if it.bad {
			continue
		}
		if r := reason(it.v, it.line); r != "" {
			b.markBad(i)
			im.bad(it.line, typ+": "+r)
		}
	}
}

func (b *batch[T]) markBad(i int) {
	b.items[i].bad = true
	delete(b.index, b.key(b.items[i].v))
}

func (b *batch[T]) reset() {
	clear(b.items)
	b.items = b.items[:0]
	clear(b.index)
}
