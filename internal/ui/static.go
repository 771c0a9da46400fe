package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"tirkeu/internal/residence"
)

// Static files are embedded (files, in ui.go) and served under names that
// carry a hash of their content, so a browser may keep them for a year.

type staticFile struct {
	body        []byte
	contentType string
}

func (u *UI) loadStatic() error {
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return fmt.Errorf("ui: static: %w", err)
	}
	for _, e := range entries {
		b, err := files.ReadFile("static/" + e.Name())
		if err != nil {
			return fmt.Errorf("ui: static: %w", err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ct := "application/octet-stream"
		switch ext {
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		u.static[hashed] = staticFile{body: b, contentType: ct}
		u.assets[e.Name()] = "/static/" + hashed
	}
	return nil
}

func (u *UI) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := u.static[r.PathValue("file")]
	if !ok {
		u.fail(w, r, &residence.Error{Code: residence.ENotFound, Text: tr("error.no_page")})
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(f.body)
}
