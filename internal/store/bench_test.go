package store_test

import (
	"fmt"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// BenchmarkOpen measures a fresh migrated store from storetest, the cost
// every service and HTTP test pays.
func BenchmarkOpen(b *testing.B) {
	for _, engine := range []string{storetest.SQLite, storetest.Postgres} {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				storetest.Open(b, engine)
			}
		})
	}
}

// BenchmarkUpsertPersons measures import throughput: batches of 1,000
// persons per transaction, every row new.
func BenchmarkUpsertPersons(b *testing.B) {
	for _, engine := range []string{storetest.SQLite, storetest.Postgres} {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine)
			const batch = 1000
			n := 0
			for b.Loop() {
				ps := make([]residence.Person, batch)
				for i := range ps {
					ps[i] = residence.Person{IIN: fmt.Sprintf("%012d", n), LastName: "L", FirstName: "F",
						BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Citizenship: "KZ", Capacity: residence.CapacityFull}
					n++
				}
				if err := s.InTx(b.Context(), func(tx residence.Tx) error { return tx.UpsertPersons(b.Context(), ps) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkAppendSealedEvents measures the access log's flush: 100
// personal-data reads inserted and sealed in one transaction, as
// BatchAccessLog writes them.
func BenchmarkAppendSealedEvents(b *testing.B) {
	for _, engine := range []string{storetest.SQLite, storetest.Postgres} {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine)
			const batch = 100
			at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			data := []byte(`{"actor_name":"Салық комитеті","purpose":"public_service","what":"registrations"}`)
			evs := make([]residence.Event, batch)
			for i := range evs {
				evs[i] = residence.Event{Type: residence.EventPersonalDataRead, At: at, PersonIIN: fmt.Sprintf("9001011%05d", i),
					ActorRole: "agency", Data: data}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.InTx(b.Context(), func(tx residence.Tx) error { return tx.AppendSealedEvents(b.Context(), evs...) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
