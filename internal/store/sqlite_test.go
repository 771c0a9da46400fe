package store

import "testing"

func TestNumbered(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"VALUES ($1, $2), ($3, $4)", "VALUES (?, ?), (?, ?)"},
		{"a = $1 OR b = $1", "a = ?1 OR b = ?1"},
		{"a = $2 AND b = $1", "a = ?2 AND b = ?1"},
		{"LIMIT $10", "LIMIT ?10"},
	}
	for _, tt := range tests {
		if got := numbered(tt.in); got != tt.want {
			t.Errorf("numbered(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
