package registry_test

import (
	"bytes"
	"context"
	"testing"

	"tirkeu/internal/demo"
	"tirkeu/internal/registry"
	"tirkeu/internal/registry/registrytest"
)

// BenchmarkImport measures parsing, validation and batching against the
// in-memory store; the database adds its own cost on top.
func BenchmarkImport(b *testing.B) {
	var file bytes.Buffer
	if err := demo.Generate(&file, demo.GenerateOptions{Persons: 20000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var records int64
	for b.Loop() {
		sum, err := registry.Import(context.Background(), registrytest.NewStore(), bytes.NewReader(file.Bytes()), registry.Options{})
		if err != nil || sum.Bad != 0 {
			b.Fatal(err, sum)
		}
		records += sum.Read
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
