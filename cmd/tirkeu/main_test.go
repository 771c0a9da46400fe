package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestIINCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []iinResult
	}{
		{"all valid", []string{"800318300125", "900101300811"}, 0, []iinResult{
			{IIN: "800318300125", Valid: true}, {IIN: "900101300811", Valid: true}}},
		{"one invalid", []string{"800318300125", "800318300124"}, 1, []iinResult{
			{IIN: "800318300125", Valid: true}, {IIN: "800318300124", Error: "check digit does not match"}}},
		{"never issued", []string{"900101300800"}, 1, []iinResult{
			{IIN: "900101300800", Error: "check digit is undefined (both weight passes give 10): never issued"}}},
		{"not digits", []string{"abc"}, 1, []iinResult{{IIN: "abc", Error: "must be exactly 12 digits"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"iin"}, tt.args...), nil, &out, &errb)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.wantCode, errb.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d lines: %q", len(lines), out.String())
			}
			for i, l := range lines {
				var got iinResult
				if err := json.Unmarshal([]byte(l), &got); err != nil {
					t.Fatal(err)
				}
				if got != tt.want[i] {
					t.Errorf("line %d = %+v, want %+v", i, got, tt.want[i])
				}
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"nope"}, nil, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "unknown command") {
		t.Fatalf("stderr %q", errb.String())
	}
}
