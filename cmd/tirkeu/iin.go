package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"tirkeu/internal/iin"
)

func init() {
	commands["iin"] = command{"validate IINs and BINs: one JSON line each, exit 1 if any is invalid", runIIN}
}

// iinResult is one line of `tirkeu iin`.
type iinResult struct {
	IIN   string `json:"iin"`
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
}

func runIIN(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: tirkeu iin NUMBER...")
		return 2
	}
	enc := json.NewEncoder(stdout)
	code := 0
	for _, a := range args {
		r := iinResult{IIN: a, Valid: true}
		if err := iin.Validate(a); err != nil {
			r.Valid, r.Error, code = false, err.Error(), 1
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "tirkeu iin:", err)
			return 1
		}
	}
	return code
}
