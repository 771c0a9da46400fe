package certificate

import (
	"context"
	"testing"
)

// BenchmarkMake renders and seals one certificate (the cost of an issue
// beyond its two database statements).
func BenchmarkMake(b *testing.B) {
	seal, _ := demoSeal(b)
	m := &Maker{Seal: seal, BaseURL: "https://tirkeu.example"}
	f := facts()
	for b.Loop() {
		if _, _, err := m.Make(context.Background(), f); err != nil {
			b.Fatal(err)
		}
	}
}
