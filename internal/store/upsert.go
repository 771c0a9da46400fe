package store

import (
	"context"
	"fmt"
	"strings"

	"tirkeu/internal/residence"
)

// upsert describes a bulk upsert by natural key. Rows hold one value per
// column in cols, already in the engine's argument form.
type upsert struct {
	op, ref  string
	table    string
	cols     []string
	conflict string   // the conflict target, e.g. "(iin)"
	update   []string // columns rewritten on conflict (only when they differ)
	// guard, when set, is a further condition on the existing row (t) and
	// the new one (excluded) for the update to happen.
	guard string
}

// sql returns the INSERT ... ON CONFLICT statement for the given source
// ("VALUES ..." or "SELECT ... FROM tmp"). A row that is unchanged is not
// rewritten, so re-upserting the same data changes nothing.
func (u upsert) sql(source string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "INSERT INTO %s AS t (%s) %s ON CONFLICT %s ", u.table, strings.Join(u.cols, ", "), source, u.conflict)
	if len(u.update) == 0 {
		sb.WriteString("DO NOTHING")
		return sb.String()
	}
	sb.WriteString("DO UPDATE SET ")
	for i, c := range u.update {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s = excluded.%s", c, c)
	}
	sb.WriteString(" WHERE (")
	for i, c := range u.update {
		if i > 0 {
			sb.WriteString(" OR ")
		}
		fmt.Fprintf(&sb, "t.%s IS DISTINCT FROM excluded.%s", c, c)
	}
	sb.WriteString(")")
	if u.guard != "" {
		sb.WriteString(" AND (" + u.guard + ")")
	}
	return sb.String()
}

// bulkFunc writes rows for u; PostgreSQL uses COPY, SQLite multi-row VALUES.
type bulkFunc func(ctx context.Context, u upsert, rows [][]any) error

// valuesBulk writes rows with multi-row INSERT ... VALUES statements in
// batches that stay under both engines' parameter limits.
func (w writer) valuesBulk(ctx context.Context, u upsert, rows [][]any) error {
	per := max(1, min(500, 30000/len(u.cols)))
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		var sb strings.Builder
		sb.WriteString("VALUES ")
		args := make([]any, 0, len(batch)*len(u.cols))
		for i, r := range batch {
			if i > 0 {
				sb.WriteString(", ")
			}
			placeholders(&sb, len(args), len(u.cols))
			args = append(args, r...)
		}
		if _, err := w.exec(ctx, u.op, u.ref, u.sql(sb.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// dedupe keeps the last of the items with the same key, in first-seen order,
// because one upsert statement must not touch a row twice.
func dedupe[T any](items []T, key func(T) string) []T {
	seen := make(map[string]int, len(items))
	out := make([]T, 0, len(items))
	for _, it := range items {
		k := key(it)
		if i, ok := seen[k]; ok {
			out[i] = it
			continue
		}
		seen[k] = len(out)
		out = append(out, it)
	}
	return out
}

// registry implements the registry upserts of residence.Tx on a writer and
// a bulk path.
type registry struct {
	writer
	bulk bulkFunc
}

// UpsertPersons writes persons by IIN.
func (g registry) UpsertPersons(ctx context.Context, ps []residence.Person) error {
	ps = dedupe(ps, func(p residence.Person) string { return p.IIN })
	rows := make([][]any, len(ps))
	for i, p := range ps {
		capacity := p.Capacity
		if capacity == "" {
			capacity = residence.CapacityFull
		}
		rows[i] = []any{p.IIN, p.LastName, p.FirstName, p.Patronymic, g.d.date(p.BirthDate), p.Citizenship,
			string(capacity), p.Deceased, p.Phone, p.ConsularAbroad}
	}
	return g.bulk(ctx, upsert{
		op: "upsert persons", table: "persons",
		cols:     []string{"iin", "last_name", "first_name", "patronymic", "birth_date", "citizenship", "capacity", "deceased", "phone", "consular_abroad"},
		conflict: "(iin)",
		update:   []string{"last_name", "first_name", "patronymic", "birth_date", "citizenship", "capacity", "deceased", "phone", "consular_abroad"},
	}, rows)
}

// UpsertRelations writes relations by (kind, from, to).
func (g registry) UpsertRelations(ctx context.Context, rs []residence.Relation) error {
	rs = dedupe(rs, func(r residence.Relation) string { return string(r.Kind) + "|" + r.From + "|" + r.To })
	rows := make([][]any, len(rs))
	for i, r := range rs {
		rows[i] = []any{string(r.Kind), r.From, r.To}
	}
	return g.bulk(ctx, upsert{
		op: "upsert relations", ref: "person", table: "relations",
		cols: []string{"kind", "from_iin", "to_iin"}, conflict: "(kind, from_iin, to_iin)",
	}, rows)
}

// UpsertOrganisations writes organisations by BIN and makes each one's
// representatives exactly the given list.
func (g registry) UpsertOrganisations(ctx context.Context, os []residence.Organisation) error {
	os = dedupe(os, func(o residence.Organisation) string { return o.BIN })
	rows := make([][]any, len(os))
	var reps [][]any
	var bins, pairs []string
	for i, o := range os {
		rows[i] = []any{o.BIN, o.Name}
		bins = append(bins, o.BIN)
		for _, iin := range o.Representatives {
			reps = append(reps, []any{o.BIN, iin})
			pairs = append(pairs, o.BIN+":"+iin)
		}
	}
	err := g.bulk(ctx, upsert{
		op: "upsert organisations", table: "organisations",
		cols: []string{"bin", "name"}, conflict: "(bin)", update: []string{"name"},
	}, rows)
	if err != nil || len(os) == 0 {
		return err
	}
	_, err = g.exec(ctx, "upsert organisations: representatives", "", `
		DELETE FROM organisation_representatives
		WHERE bin IN (`+g.d.list("$1")+`) AND bin || ':' || iin NOT IN (`+g.d.list("$2")+`)`,
		stringsJSON(bins), stringsJSON(pairs))
	if err != nil {
		return err
	}
	reps = dedupe(reps, func(r []any) string { return r[0].(string) + ":" + r[1].(string) })
	return g.bulk(ctx, upsert{
		op: "upsert organisations: representatives", ref: "representative person", table: "organisation_representatives",
		cols: []string{"bin", "iin"}, conflict: "(bin, iin)",
	}, reps)
}

// UpsertPremises writes premises by RKA.
func (g registry) UpsertPremises(ctx context.Context, ps []residence.Premises) error {
	ps = dedupe(ps, func(p residence.Premises) string { return p.RKA })
	rows := make([][]any, len(ps))
	for i, p := range ps {
		rows[i] = []any{p.RKA, p.Region, p.District, p.Locality, p.Street, p.Building, p.Unit, string(p.Kind), p.StateRental, p.AreaM2}
	}
	return g.bulk(ctx, upsert{
		op: "upsert premises", table: "premises",
		cols:     []string{"rka", "region", "district", "locality", "street", "building", "unit", "kind", "state_rental", "area_m2"},
		conflict: "(rka)",
		update:   []string{"region", "district", "locality", "street", "building", "unit", "kind", "state_rental", "area_m2"},
	}, rows)
}

// UpsertOwnerships writes ownership shares by (RKA, owner).
func (g registry) UpsertOwnerships(ctx context.Context, os []residence.Ownership) error {
	os = dedupe(os, func(o residence.Ownership) string { return o.RKA + "|" + o.OwnerIIN + "|" + o.OwnerBIN })
	var persons, orgs [][]any
	for _, o := range os {
		switch {
		case o.OwnerIIN != "" && o.OwnerBIN == "":
			persons = append(persons, []any{o.RKA, o.OwnerIIN, o.Share})
		case o.OwnerBIN != "" && o.OwnerIIN == "":
			orgs = append(orgs, []any{o.RKA, o.OwnerBIN, o.Share})
		default:
			return fmt.Errorf("store: upsert ownerships: %w",
				residence.Errorf(residence.EInvalid, "ownership of %s needs exactly one of owner_iin and owner_bin", o.RKA))
		}
	}
	err := g.bulk(ctx, upsert{
		op: "upsert ownerships", ref: "premises or owner person", table: "ownerships",
		cols: []string{"rka", "owner_iin", "share"}, conflict: "(rka, owner_iin) WHERE owner_iin IS NOT NULL",
		update: []string{"share"},
	}, persons)
	if err != nil {
		return err
	}
	return g.bulk(ctx, upsert{
		op: "upsert ownerships", ref: "premises or owner organisation", table: "ownerships",
		cols: []string{"rka", "owner_bin", "share"}, conflict: "(rka, owner_bin) WHERE owner_bin IS NOT NULL",
		update: []string{"share"},
	}, orgs)
}

// UpsertRentalAgreements writes agreements by (RKA, tenant, valid from).
func (g registry) UpsertRentalAgreements(ctx context.Context, rs []residence.RentalAgreement) error {
	rs = dedupe(rs, func(r residence.RentalAgreement) string {
		return r.RKA + "|" + r.TenantIIN + "|" + normDate(r.ValidFrom).Format(dateFormat)
	})
	rows := make([][]any, len(rs))
	for i, r := range rs {
		rows[i] = []any{r.RKA, r.TenantIIN, g.d.date(r.ValidFrom), g.d.date(r.ValidUntil), stringsJSON(r.Members)}
	}
	return g.bulk(ctx, upsert{
		op: "upsert rental agreements", ref: "premises or tenant person", table: "rental_agreements",
		cols:     []string{"rka", "tenant_iin", "valid_from", "valid_until", "members"},
		conflict: "(rka, tenant_iin, valid_from)", update: []string{"valid_until", "members"},
	}, rows)
}

// UpsertImportedRegistrations writes registrations from the national
// registry by (IIN, RKA, Kind, Since). An active one that would give the
// person a second active registration of the kind is refused with
// EConflict naming the IIN, and nothing of the batch is written.
func (g registry) UpsertImportedRegistrations(ctx context.Context, rs []residence.Registration) error {
	key := func(r residence.Registration) string {
		return r.IIN + "|" + r.RKA + "|" + string(r.Kind) + "|" + normDate(r.Since).Format(dateFormat)
	}
	rs = dedupe(rs, key)
	if err := g.checkImportedActive(ctx, rs, key); err != nil {
		return err
	}
	rows := make([][]any, len(rs))
	for i, r := range rs {
		id := r.ID
		if id == "" {
			id = importedRegistrationID(r)
		}
		status := r.Status
		if status == "" {
			status = residence.RegistrationActive
		}
		rows[i] = []any{id, r.IIN, r.RKA, string(r.Kind), g.d.date(r.Since), g.d.date(r.Until), string(status),
			g.d.date(r.EndedOn), nullText(string(r.EndReason)), true}
	}
	return g.bulk(ctx, upsert{
		op: "upsert imported registrations", ref: "person or premises", table: "registrations",
		cols:     []string{"id", "iin", "rka", "kind", "since", "until", "status", "ended_on", "end_reason", "imported"},
		conflict: "(iin, rka, kind, since) WHERE imported",
		update:   []string{"until", "status", "ended_on", "end_reason"},
		// A registration the service ended (its period passed, the person
		// died) is not made active again by importing the same file twice.
		guard: "t.status = 'active' OR excluded.status <> 'active'",
	}, rows)
}

// checkImportedActive finds the first active imported registration that
// would break "one active registration per person and kind", against the
// batch itself and the database, so that the error names the person.
func (g registry) checkImportedActive(ctx context.Context, rs []residence.Registration, key func(residence.Registration) string) error {
	active := map[string]string{} // iin|kind -> key
	var iins []string
	for _, r := range rs {
		if r.Status != "" && r.Status != residence.RegistrationActive {
			continue
		}
		k := r.IIN + "|" + string(r.Kind)
		if prev, ok := active[k]; ok && prev != key(r) {
			return importConflict(r)
		}
		active[k] = key(r)
		iins = append(iins, r.IIN)
	}
	if len(iins) == 0 {
		return nil
	}
	existing, err := all(ctx, g.reader, "upsert imported registrations", `SELECT `+registrationCols+` FROM registrations
		WHERE status = 'active' AND iin IN (`+g.d.list("$1")+`)`, []any{stringsJSON(iins)}, scanRegistration)
	if err != nil {
		return err
	}
	for _, e := range existing {
		k, ok := active[e.IIN+"|"+string(e.Kind)]
		if !ok {
			continue
		}
		if !e.Imported || k != key(e) {
			return importConflict(e)
		}
	}
	return nil
}

func importConflict(r residence.Registration) error {
	return fmt.Errorf("store: upsert imported registrations: %w", residence.Errorf(residence.EConflict,
		"person %s already has another active %s registration", r.IIN, r.Kind))
}
