package api

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"

	"tirkeu/internal/residence"
)

// maxKey bounds identifiers taken from paths (ids are 36 characters, RKAs
// at most 64).
const maxKey = 128

// pathKey returns a path parameter that names a record (an application or
// consent id, an RKA). A value no record can have (not UTF-8, a NUL, too
// long) is not found here, rather than an error from the database that
// refuses such text (PostgreSQL) and would surface as a 500.
func pathKey(r *http.Request, name string) (string, error) {
	v := r.PathValue(name)
	if v == "" || len(v) > maxKey || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", residence.ErrNotFound
	}
	return v, nil
}

// nulEscape is how JSON spells a NUL character inside a string. PostgreSQL
// text cannot hold it, so a body carrying one is refused as invalid JSON
// before any of its strings reaches the store.
var nulEscape = []byte(`\u0000`)

func hasNUL(body []byte) bool { return bytes.Contains(body, nulEscape) }
